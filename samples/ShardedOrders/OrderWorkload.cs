using Akka.Actor;

namespace ActorProducer.Samples.ShardedOrders;

/// <summary>What a workload run got back: one reply per event sent.</summary>
public sealed record WorkloadResult(IReadOnlyList<OrderEventPublished> Published, IReadOnlyList<OrderEventRejected> Rejected);

/// <summary>Drives the order region like the rest of a service would: events per order, in sequence order.</summary>
public static class OrderWorkload
{
    /// <summary>The id of order <paramref name="index"/> (1-based).</summary>
    public static string OrderId(int index) => $"order-{index:D3}";

    /// <summary>The kind of the event at <paramref name="sequence"/> in an order of <paramref name="total"/> events.</summary>
    public static string KindOf(long sequence, long total) =>
        sequence == 1 ? "OrderPlaced" : sequence == total ? "Shipped" : sequence == total - 1 ? "Paid" : "ItemAdded";

    /// <summary>
    /// Sends events <paramref name="from"/>..<paramref name="to"/> of every order through <paramref name="region"/>,
    /// orders concurrently, each order in sequence order with up to <paramref name="window"/> events unanswered
    /// (1 = wait for each reply; more = pipelined, ordering is then up to the entity and the producer).
    /// </summary>
    public static async Task<WorkloadResult> RunAsync(
        IActorRef region, IReadOnlyList<string> orderIds, long from, long to, long total, int window, TimeSpan replyTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var replies = await Task.WhenAll(orderIds.Select(async orderId =>
        {
            var inFlight = new Queue<Task<object>>();
            var answered = new List<object>();
            for (var sequence = from; sequence <= to; sequence++)
            {
                if (inFlight.Count == window) answered.Add(await inFlight.Dequeue());
                // Ask enqueues before it returns: the region receives one order's events in sequence order.
                inFlight.Enqueue(region.Ask<object>(new RecordOrderEvent(orderId, sequence, KindOf(sequence, total)), replyTimeout));
            }
            while (inFlight.Count > 0) answered.Add(await inFlight.Dequeue());
            return answered;
        }));
        var all = replies.SelectMany(r => r).ToArray();
        return new WorkloadResult(all.OfType<OrderEventPublished>().ToArray(), all.OfType<OrderEventRejected>().ToArray());
    }
}
