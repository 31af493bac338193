using ActorProducer.Settings;
using Apache.Rocketmq.V2;

namespace ActorProducer.Routing;

/// <summary>
/// The candidate queues of one route under one set of isolated endpoints, computed once per start position:
/// every non-FIFO send asks for a list, and there are only as many different lists as writable queues.
/// Build a new cache when the route or the isolated endpoints change. Not thread-safe (one per sender actor).
/// </summary>
internal sealed class CandidateCache(TopicRoute route, int maxAttempts, Func<AccessPoint, bool> isIsolated)
{
    private readonly IReadOnlyList<MessageQueue>?[] _byStart = new IReadOnlyList<MessageQueue>?[route.WritableQueues.Count];

    /// <summary>The candidates for the round-robin <paramref name="cursor"/> (any int; taken modulo the writable queue count).</summary>
    public IReadOnlyList<MessageQueue> For(int cursor)
    {
        if (_byStart.Length == 0) return [];
        var start = ((cursor % _byStart.Length) + _byStart.Length) % _byStart.Length;
        return _byStart[start] ??= route.Candidates(start, maxAttempts, isIsolated);
    }
}
