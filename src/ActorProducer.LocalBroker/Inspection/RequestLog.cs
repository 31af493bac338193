namespace ActorProducer.LocalBroker.Inspection;

/// <summary>
/// The last <see cref="Capacity"/> requests, in a lock-free ring buffer: logging costs one allocation and one
/// interlocked increment, so it never shows in a benchmark of SendMessage.
/// </summary>
internal sealed class RequestLog
{
    public const int Capacity = 100_000;

    private readonly RequestLogEntry?[] slots = new RequestLogEntry?[Capacity];
    private long written;

    public void Add(RequestLogEntry entry)
    {
        var sequence = Interlocked.Increment(ref written) - 1;
        Volatile.Write(ref slots[sequence % Capacity], entry);
    }

    /// <summary>Oldest first. An entry whose slot is still being written is skipped.</summary>
    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        var end = Interlocked.Read(ref written);
        var start = Math.Max(0, end - Capacity);
        var entries = new List<RequestLogEntry>((int)(end - start));
        for (var sequence = start; sequence < end; sequence++)
        {
            if (Volatile.Read(ref slots[sequence % Capacity]) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }
}
