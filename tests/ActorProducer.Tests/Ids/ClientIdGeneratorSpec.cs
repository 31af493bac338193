using System.Collections.Concurrent;
using ActorProducer.Ids;

namespace ActorProducer.Tests.Ids;

public sealed class ClientIdGeneratorSpec
{
    [Theory]
    [InlineData(1700000000000L, "LOYW3V28")]
    [InlineData(0L, "0")]
    [InlineData(35L, "Z")]
    [InlineData(36L, "10")]
    [InlineData(long.MaxValue, "1Y2P0IJ32E8E7")]
    public void Suffix_is_the_epoch_milliseconds_in_upper_case_base_36(long epochMs, string expected) =>
        Assert.Equal(expected, ClientIdGenerator.ToBase36(epochMs));

    [Fact]
    public void Id_is_host_pid_index_and_suffix_joined_by_at_signs() =>
        Assert.Equal("myhost@12345@1@LOYW3V28", ClientIdGenerator.Format("myhost", 12345, 1, 1700000000000L));

    [Fact]
    public void Next_names_this_host_and_process_and_the_current_time()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var parts = ClientIdGenerator.Next().Split('@');
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(4, parts.Length);
        Assert.False(string.IsNullOrWhiteSpace(parts[0]));
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        Assert.True(int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var suffix = FromBase36(parts[3]);
        Assert.InRange(suffix, before, after);
    }

    [Fact]
    public void Two_producers_in_one_process_never_share_an_id()
    {
        var ids = new ConcurrentBag<string>();
        Parallel.For(0, 1000, _ => ids.Add(ClientIdGenerator.Next()));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Index_counts_up_from_one_per_process()
    {
        var first = Index(ClientIdGenerator.Next());
        var second = Index(ClientIdGenerator.Next());
        Assert.True(first >= 1);
        Assert.True(second > first);
    }

    private static int Index(string id) => int.Parse(id.Split('@')[2], System.Globalization.CultureInfo.InvariantCulture);

    private static long FromBase36(string text) =>
        text.Aggregate(0L, (acc, c) => acc * 36 + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".IndexOf(c, StringComparison.Ordinal));
}
