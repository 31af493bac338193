using ActorProducer.Settings;
using Apache.Rocketmq.V2;

namespace ActorProducer.Routing;

/// <summary>
/// A topic's route from QueryRoute (behavior.md §5.4, §7.2): all queues as the server listed them, the ones a
/// producer may write to (WRITE or READ_WRITE on the master, broker id 0, in server order), and their
/// distinct broker endpoints. Immutable; a refresh builds a new one (the round-robin cursor lives elsewhere).
/// </summary>
internal sealed class TopicRoute
{
    public const int MasterBrokerId = 0;

    // Endpoints per writable queue, parsed once: candidate selection asks on every send.
    private readonly Dictionary<MessageQueue, AccessPoint> _endpointsByQueue = new(ReferenceEqualityComparer.Instance);

    /// <summary>A route whose topic is taken from its first queue.</summary>
    /// <exception cref="ArgumentException">No queue (the topic cannot be named), or a writable queue has no valid endpoints.</exception>
    public TopicRoute(IReadOnlyList<MessageQueue> queues)
        : this(TopicOf(queues), queues)
    {
    }

    /// <exception cref="ArgumentException">A writable queue has no valid broker endpoints.</exception>
    public TopicRoute(string topic, IReadOnlyList<MessageQueue> queues)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(queues);
        Topic = topic;
        AllQueues = queues.ToArray();
        WritableQueues = AllQueues.Where(IsWritable).ToArray();

        var endpoints = new List<AccessPoint>();
        foreach (var queue in WritableQueues)
        {
            AccessPoint ep;
            try
            {
                ep = AccessPoint.FromProto(queue.Broker.Endpoints);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(
                    $"The route of topic '{topic}' has queue {queue.Id} on broker '{queue.Broker.Name}' with unusable endpoints: {e.Message}",
                    nameof(queues), e);
            }
            _endpointsByQueue[queue] = ep;
            if (!endpoints.Contains(ep)) endpoints.Add(ep);
        }
        Endpoints = endpoints;
        _acceptedByAll = WritableQueues.Count == 0
            ? []
            : WritableQueues.Skip(1).Aggregate(WritableQueues[0].AcceptMessageTypes.ToHashSet(), (types, q) =>
            {
                types.IntersectWith(q.AcceptMessageTypes);
                return types;
            });
    }

    // Message types every writable queue accepts: asked on every send.
    private readonly HashSet<MessageType> _acceptedByAll;

    public string Topic { get; }

    /// <summary>Every queue of the answer, in server order.</summary>
    public IReadOnlyList<MessageQueue> AllQueues { get; }

    /// <summary>Queues with WRITE or READ_WRITE permission on a master (broker id 0), in server order.</summary>
    public IReadOnlyList<MessageQueue> WritableQueues { get; }

    /// <summary>Distinct broker endpoints of the writable queues, in order of first appearance.</summary>
    public IReadOnlyList<AccessPoint> Endpoints { get; }

    public bool HasWritableQueue => WritableQueues.Count > 0;

    /// <summary>The broker endpoints of one of <see cref="WritableQueues"/>.</summary>
    public AccessPoint EndpointsOf(MessageQueue queue) =>
        _endpointsByQueue.TryGetValue(queue, out var ep) ? ep : AccessPoint.FromProto(queue.Broker.Endpoints);

    /// <summary>True when there is a writable queue and every writable queue accepts <paramref name="type"/>.</summary>
    public bool Accepts(MessageType type) => HasWritableQueue && _acceptedByAll.Contains(type);

    /// <summary>True when the queue's <c>accept_message_types</c> lists <paramref name="type"/> (§5.3).</summary>
    public static bool QueueAccepts(MessageQueue queue, MessageType type)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.AcceptMessageTypes.Contains(type);
    }

    /// <summary><see cref="QueueSelector.Candidates(IReadOnlyList{MessageQueue},int,int,Func{AccessPoint,bool})"/> over this route, without re-parsing endpoints.</summary>
    public IReadOnlyList<MessageQueue> Candidates(int start, int maxAttempts, Func<AccessPoint, bool> isIsolated)
    {
        ArgumentNullException.ThrowIfNull(isIsolated);
        return QueueSelector.CandidatesBy(WritableQueues, start, maxAttempts, q => isIsolated(EndpointsOf(q)));
    }

    /// <summary><see cref="QueueSelector.ForGroup"/> over this route's writable queues.</summary>
    public MessageQueue ForGroup(string group) => QueueSelector.ForGroup(WritableQueues, group);

    private static bool IsWritable(MessageQueue queue) =>
        queue.Permission is Permission.Write or Permission.ReadWrite
        && queue.Broker is { Id: MasterBrokerId };

    private static string TopicOf(IReadOnlyList<MessageQueue> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        return queues.Count > 0 && queues[0].Topic is { } resource
            ? resource.Name
            : throw new ArgumentException("A route without queues does not name its topic; use the constructor that takes the topic.", nameof(queues));
    }
}
