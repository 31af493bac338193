namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>How long replies took, and how many came after the producer's promise (<see cref="Accounting.Tolerance"/> included).</summary>
public sealed record Timings(int Late, double P50Ms, double P99Ms, double MaxMs)
{
    public static Timings None { get; } = new(0, 0, 0, 0);
}

/// <summary>Collects reply latencies against a bound.</summary>
public sealed class TimingTally(TimeSpan bound)
{
    private readonly List<double> _ms = [];
    private int _late;

    public void Add(TimeSpan latency)
    {
        _ms.Add(latency.TotalMilliseconds);
        if (latency > bound + Accounting.Tolerance) _late++;
    }

    public Timings Build()
    {
        if (_ms.Count == 0) return Timings.None;
        _ms.Sort();
        return new Timings(_late, Percentile(0.50), Percentile(0.99), _ms[^1]);
    }

    private double Percentile(double p) => _ms[Math.Min(_ms.Count - 1, (int)Math.Ceiling(p * _ms.Count) - 1)];
}

/// <summary>The assertions of a tally: each count must be zero, and the message says which and how many.</summary>
public static class Zero
{
    public static void All(string who, params (int Count, string What)[] counts)
    {
        var broken = counts.Where(c => c.Count != 0).Select(c => $"{c.Count} {c.What}").ToList();
        Assert.True(broken.Count == 0, $"{who}: {string.Join("; ", broken)}");
    }
}
