using ActorProducer.Actors;

namespace ActorProducer.Tests.Actors;

public sealed class InFlightGaugeSpec
{
    [Fact]
    public void Emptying_the_gauge_is_reported_only_while_draining()
    {
        var gauge = new InFlightGauge("client-1");
        gauge.Add(2);
        Assert.False(gauge.Remove(2), "not draining: nobody waits for the last reply");

        gauge.Add(3);
        Assert.False(gauge.StartDraining());
        Assert.False(gauge.Remove(1));
        Assert.False(gauge.Remove(1));
        Assert.True(gauge.Remove(1), "the reply that empties a draining gauge must report it");
        Assert.Equal(0, gauge.Count);
    }

    [Fact]
    public void Draining_an_empty_gauge_is_done_at_once() =>
        Assert.True(new InFlightGauge("client-1").StartDraining());

    [Fact]
    public void Concurrent_removals_report_the_drain_exactly_once()
    {
        var gauge = new InFlightGauge("client-1");
        gauge.Add(10_000);
        gauge.StartDraining();
        var reports = 0;
        Parallel.For(0, 10_000, _ =>
        {
            if (gauge.Remove(1)) Interlocked.Increment(ref reports);
        });
        Assert.Equal(1, reports);
    }
}
