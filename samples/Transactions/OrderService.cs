using System.Text.Json;
using ActorProducer.Messages;

namespace ActorProducer.Samples.Transactions;

/// <summary>Where the demo makes the node "crash" while placing an order.</summary>
public enum CrashPoint
{
    /// <summary>No crash: send, write, commit.</summary>
    None,
    /// <summary>The half message was sent, the order was not written.</summary>
    BeforeLocalTransaction,
    /// <summary>The order was written, the commit was not sent.</summary>
    BeforeCommit,
}

/// <summary>What happened to one order on the node that placed it.</summary>
public sealed record PlacedOrder(Order Order, SendResult HalfMessage, bool Committed);

/// <summary>
/// Places orders and publishes "order created" atomically with the database write: half message first (invisible to
/// consumers), then the local transaction, then commit — or rollback if the write fails. If the node dies in between,
/// the broker asks a checker (<see cref="OrderCreatedChecker"/>) on any live node of the topic.
/// </summary>
public sealed class OrderService(IRocketMqProducer producer, OrderStore store, string topic)
{
    public async Task<PlacedOrder> PlaceAsync(Order order, CrashPoint crash = CrashPoint.None)
    {
        var transaction = await producer.BeginTransactionAsync();
        var halfMessage = await transaction.SendAsync(OrderCreated(order));
        if (crash == CrashPoint.BeforeLocalTransaction) return new PlacedOrder(order, halfMessage, Committed: false);

        try
        {
            await store.InsertAsync(order);
        }
        catch
        {
            await transaction.RollbackAsync(); // no order, no event
            throw;
        }
        if (crash == CrashPoint.BeforeCommit) return new PlacedOrder(order, halfMessage, Committed: false);

        await transaction.CommitAsync();
        return new PlacedOrder(order, halfMessage, Committed: true);
    }

    /// <summary>The event: JSON body, the order id as the message key (what the checker looks up), tag "created".</summary>
    private ProducerMessage OrderCreated(Order order) =>
        new(topic, JsonSerializer.SerializeToUtf8Bytes(new { orderId = order.Id, customer = order.Customer, amount = order.Amount }))
        {
            Keys = [order.Id],
            Tag = "created",
        };
}
