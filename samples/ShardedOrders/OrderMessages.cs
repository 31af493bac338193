using Akka.Cluster.Sharding;

namespace ActorProducer.Samples.ShardedOrders;

/// <summary>
/// Something happened to an order: the entity publishes it as one FIFO message (message group = order id).
/// Replies: <see cref="OrderEventPublished"/> once the broker stored it, <see cref="OrderEventRejected"/> otherwise.
/// </summary>
/// <param name="OrderId">Entity id and FIFO message group.</param>
/// <param name="Sequence">Position of the event in the order's history (1, 2, ...).</param>
/// <param name="Kind">Event kind, also the message tag (OrderPlaced, ItemAdded, ...).</param>
public sealed record RecordOrderEvent(string OrderId, long Sequence, string Kind);

/// <summary>The event is stored: where, and by which node (and so which node-local producer).</summary>
public sealed record OrderEventPublished(string OrderId, long Sequence, string MessageId, string BrokerName, int QueueId, long Offset, string Node);

/// <summary>The event could not be published; <paramref name="Reason"/> says why.</summary>
public sealed record OrderEventRejected(string OrderId, long Sequence, string Reason);

/// <summary>
/// Published on the event stream when an entity asked to stop for a hand-off still has sends in flight and
/// stops only once they are answered (monitoring; the tests watch for it).
/// </summary>
public sealed record OrderHandOffDeferred(string OrderId, int EventsInFlight);

/// <summary>Routes <see cref="RecordOrderEvent"/> to the entity of its order.</summary>
public sealed class OrderMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    /// <inheritdoc />
    public override string? EntityId(object message) => message is RecordOrderEvent e ? e.OrderId : null;
}

/// <summary>Registry key of the order shard region (<c>IRequiredActor&lt;OrderRegion&gt;</c>).</summary>
public sealed class OrderRegion;
