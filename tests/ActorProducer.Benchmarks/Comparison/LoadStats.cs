using System.Diagnostics;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>
/// What a running load reports, written by many threads without allocating (so the harness does not show up in
/// the bytes-per-send column): completed and failed sends, sends in flight, and a latency histogram.
/// </summary>
internal sealed class LoadStats
{
    private long _completed;
    private long _failed;
    private long _inFlight;
    private volatile bool _stopping;

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Managed memory of the harness's own sending actors (set by the relay), not the producer's.</summary>
    public long SenderActorBytes { get; set; }

    public long Completed => Interlocked.Read(ref _completed);
    public long Failed => Interlocked.Read(ref _failed);
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Set by the harness: senders finish what is in flight and start nothing new.</summary>
    public bool Stopping => _stopping;

    public void Stop() => _stopping = true;

    public void Started() => Interlocked.Increment(ref _inFlight);

    /// <summary>One send finished; <paramref name="startedAt"/> is its <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public void Finished(long startedAt, bool ok)
    {
        Latency.Record(Stopwatch.GetTimestamp() - startedAt);
        Interlocked.Increment(ref ok ? ref _completed : ref _failed);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Waits until nothing is in flight (after <see cref="Stop"/>), at most <paramref name="timeout"/>.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (InFlight > 0 && Stopwatch.GetTimestamp() < until) await Task.Delay(10);
    }
}

/// <summary>
/// Latencies in 1 µs buckets up to 200 ms (longer ones land in the last bucket): exact enough for p50/p99,
/// fixed memory, lock-free recording.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Buckets = 200_000;
    private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;
    private readonly long[] _counts = new long[Buckets];

    public void Record(long elapsedTicks)
    {
        var us = (long)(elapsedTicks / TicksPerMicrosecond);
        Interlocked.Increment(ref _counts[Math.Clamp(us, 0, Buckets - 1)]);
    }

    public void Reset() => Array.Clear(_counts);

    /// <summary>The latency in milliseconds below which <paramref name="quantile"/> of the recorded ones fall (0 when empty).</summary>
    public double PercentileMs(double quantile)
    {
        long total = 0;
        foreach (var c in _counts) total += c;
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return (i + 0.5) / 1000.0;
        }
        return Buckets / 1000.0;
    }
}
