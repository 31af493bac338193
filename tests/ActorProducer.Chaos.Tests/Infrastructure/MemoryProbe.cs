namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>Managed heap after full, compacting collections: what the process still holds, not what it churned.</summary>
public static class MemoryProbe
{
    /// <summary>
    /// How far the heap may stay above its baseline after a run. A run of 1,000 sends per API stores ~2,000 messages of
    /// ~300 B in LocalBroker plus a ledger (~1 MB all told, ~10 MB at 10,000); what may legitimately remain is the stopped
    /// producer actor (kept to answer late requests), Akka's and gRPC's lazily grown pools and the JIT's data of the
    /// first run of a code path: well under 4 MiB measured. A leak of the store, the ledger or the channels exceeds it.
    /// </summary>
    public const long ToleranceBytes = 4L * 1024 * 1024;

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
