using ActorProducer.Settings;
using Google.Protobuf.WellKnownTypes;
using ProtoBackoff = Apache.Rocketmq.V2.ExponentialBackoff;

namespace ActorProducer.Tests.Settings;

public sealed class ExponentialBackoffSpec
{
    private static readonly ExponentialBackoff ProxyDefault = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), 2);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)] // §5.6: 20 ms before attempt 2
    [InlineData(3, 40)] // §5.6: 40 ms before attempt 3
    [InlineData(4, 80)]
    [InlineData(7, 640)]
    [InlineData(8, 1000)] // 1280 ms, capped
    [InlineData(100, 1000)]
    [InlineData(int.MaxValue, 1000)] // overflow ends at the cap
    public void Proxy_default_policy_doubles_from_10_ms_up_to_1_s(int attempt, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ProxyDefault.DelayBefore(attempt));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(50)]
    public void Immediate_policy_never_waits(int attempt) =>
        Assert.Equal(TimeSpan.Zero, ExponentialBackoff.Immediate.DelayBefore(attempt));

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    public void Multiplier_1_keeps_the_delay_constant(int attempt) =>
        Assert.Equal(TimeSpan.FromMilliseconds(50), new ExponentialBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), 1).DelayBefore(attempt));

    [Fact]
    public void Zero_initial_with_huge_growth_stays_zero() =>
        Assert.Equal(TimeSpan.Zero, new ExponentialBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1), 1e308).DelayBefore(int.MaxValue));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Attempts_count_from_1(int attempt) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ProxyDefault.DelayBefore(attempt));

    [Fact]
    public void Server_policy_is_read_from_settings()
    {
        var proto = new ProtoBackoff
        {
            Initial = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(10)),
            Max = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            Multiplier = 2,
        };
        Assert.Equal(ProxyDefault, ExponentialBackoff.FromProto(proto));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-2f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Server_policy_without_a_usable_multiplier_uses_1(float multiplier) =>
        Assert.Equal(1, ExponentialBackoff.FromProto(new ProtoBackoff { Multiplier = multiplier }).Multiplier);

    [Fact]
    public void Server_policy_without_durations_retries_at_once()
    {
        var backoff = ExponentialBackoff.FromProto(new ProtoBackoff { Multiplier = 2 });
        Assert.Equal(TimeSpan.Zero, backoff.DelayBefore(3));
    }

    [Fact]
    public void Survives_a_round_trip_through_protobuf()
    {
        Assert.Equal(ProxyDefault, ExponentialBackoff.FromProto(ProxyDefault.ToProto()));
        var immediate = ExponentialBackoff.Immediate.ToProto();
        Assert.Equal(TimeSpan.Zero, immediate.Initial.ToTimeSpan());
        Assert.Equal(TimeSpan.Zero, immediate.Max.ToTimeSpan());
        Assert.Equal(1f, immediate.Multiplier);
    }

    [Fact]
    public void Jitter_adds_up_to_the_random_factor_of_the_delay()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 2, RandomFactor: 0.2);
        var random = new Random(42);
        var delay = TimeSpan.FromSeconds(10);

        var samples = Enumerable.Range(0, 1000).Select(_ => backoff.WithJitter(delay, random)).ToArray();

        Assert.All(samples, s => Assert.InRange(s, delay, TimeSpan.FromSeconds(12)));
        Assert.True(samples.Distinct().Count() > 900, "jitter should spread the delays");
    }

    [Theory]
    [InlineData(0.0, 5000)]
    [InlineData(0.5, 0)]
    public void No_jitter_without_a_factor_or_a_delay(double factor, int delayMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(delayMs), ExponentialBackoff.Jitter(TimeSpan.FromMilliseconds(delayMs), factor, new Random(1)));

    [Fact]
    public void Negative_random_factor_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ExponentialBackoff.Jitter(TimeSpan.FromSeconds(1), -0.1, new Random(1)));
}
