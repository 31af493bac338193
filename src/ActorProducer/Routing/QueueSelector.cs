using Encoding = System.Text.Encoding;
using ActorProducer.Settings;
using Apache.Rocketmq.V2;

namespace ActorProducer.Routing;

/// <summary>
/// Which queue(s) a send goes to (behavior.md §5.4). Non-FIFO: a candidate list of distinct brokers, walked
/// round-robin from a per-topic cursor, skipping isolated endpoints; attempt n uses candidate (n-1) mod count.
/// FIFO: one queue per message group, by SipHash-2-4, the same in every process and client language.
/// </summary>
internal static class QueueSelector
{
    /// <summary>
    /// Up to <paramref name="maxAttempts"/> queues on distinct broker names, walking <paramref name="writable"/>
    /// from <paramref name="start"/> (mod its count) and skipping queues whose endpoints are isolated; when every
    /// endpoint is isolated, the walk is repeated ignoring isolation. Empty only when <paramref name="writable"/> is.
    /// </summary>
    public static IReadOnlyList<MessageQueue> Candidates(
        IReadOnlyList<MessageQueue> writable, int start, int maxAttempts, Func<AccessPoint, bool> isIsolated)
    {
        ArgumentNullException.ThrowIfNull(isIsolated);
        return CandidatesBy(writable, start, maxAttempts, q => isIsolated(AccessPoint.FromProto(q.Broker.Endpoints)));
    }

    /// <summary>As <see cref="Candidates"/>, with isolation decided per queue (lets a route reuse parsed endpoints).</summary>
    internal static IReadOnlyList<MessageQueue> CandidatesBy(
        IReadOnlyList<MessageQueue> writable, int start, int maxAttempts, Func<MessageQueue, bool> isIsolatedQueue)
    {
        ArgumentNullException.ThrowIfNull(writable);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAttempts);
        if (writable.Count == 0) return [];

        var picked = Walk(writable, start, maxAttempts, isIsolatedQueue);
        return picked.Count > 0 ? picked : Walk(writable, start, maxAttempts, static _ => false);
    }

    /// <summary>The queue of a FIFO message group: <c>floorMod(SipHash-2-4(UTF-8(group)) as signed int64, count)</c>. Isolation is ignored.</summary>
    /// <exception cref="ArgumentException"><paramref name="writable"/> is empty.</exception>
    public static MessageQueue ForGroup(IReadOnlyList<MessageQueue> writable, string group)
    {
        ArgumentNullException.ThrowIfNull(writable);
        if (writable.Count == 0) throw new ArgumentException("No writable message queue to choose from.", nameof(writable));
        return writable[GroupIndex(group, writable.Count)];
    }

    /// <summary>The index <see cref="ForGroup"/> picks among <paramref name="queueCount"/> queues.</summary>
    internal static int GroupIndex(string group, int queueCount)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueCount);
        var length = Encoding.UTF8.GetByteCount(group);
        Span<byte> bytes = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(group, bytes);
        var hash = unchecked((long)SipHash24.Hash(bytes));
        return (int)FloorMod(hash, queueCount);
    }

    private static List<MessageQueue> Walk(
        IReadOnlyList<MessageQueue> queues, int start, int maxAttempts, Func<MessageQueue, bool> isIsolated)
    {
        var count = queues.Count;
        var first = (int)FloorMod(start, count);
        var picked = new List<MessageQueue>(Math.Min(maxAttempts, count));
        var brokerNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count && picked.Count < maxAttempts; i++)
        {
            var queue = queues[(first + i) % count];
            if (isIsolated(queue) || !brokerNames.Add(queue.Broker.Name)) continue;
            picked.Add(queue);
        }
        return picked;
    }

    private static long FloorMod(long value, long divisor)
    {
        var r = value % divisor;
        return r < 0 ? r + divisor : r;
    }
}
