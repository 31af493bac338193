namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>Managed heap after full, compacting collections: what the process still holds, not what it churned.</summary>
public static class MemoryProbe
{
    public static long Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>
/// The heap of one run: before anything starts, at its peak (traffic done, producer, broker store and ledgers all
/// live), and after everything is disposed. It has returned to its baseline when what stays is at most
/// <see cref="Tolerance"/>: the larger of 4 MiB and a fifth of the peak's growth. What legitimately stays is of fixed
/// size (the stopped producer actor, kept to answer late requests; array pools, Kestrel's and gRPC's buffers, JIT data of
/// a first run), and measured noise is ±7 MB at 10,000 sends per API; a leak of the run's own state (the stored
/// messages, the ledgers, per-send state in the producer) keeps most of the peak's growth and exceeds it.
/// </summary>
public sealed class HeapAccount
{
    public const long MinimumToleranceBytes = 4L * 1024 * 1024;

    public long Before { get; } = MemoryProbe.Measure();
    public long Peak { get; private set; }
    public long After { get; private set; }
    public long Delta => After - Before;
    public long Tolerance => Math.Max(MinimumToleranceBytes, (Peak - Before) / 5);

    /// <summary>Measures the peak: call when the run's data is complete and still referenced.</summary>
    public void MarkPeak() => Peak = MemoryProbe.Measure();

    public void Finish() => After = MemoryProbe.Measure();

    public override string ToString() =>
        $"heap {Before / 1024:N0} KiB before, {Peak / 1024:N0} KiB at the peak, {After / 1024:N0} KiB after (Δ {Delta / 1024:N0} KiB, tolerance {Tolerance / 1024:N0} KiB)";

    public void AssertReturned(string who) =>
        Assert.True(Delta <= Tolerance, $"{who}: the heap stayed {Delta / 1024:N0} KiB above its baseline after the run ({this})");
}
