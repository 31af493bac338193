using ActorProducer.Transactions;

namespace ActorProducer.Samples.Transactions;

/// <summary>
/// Answers the broker's checks about "order created" messages whose node never committed or rolled back. It decides
/// from the database only — never from memory — because the node that began the transaction may be gone:
/// the order is there → Commit; it is not there and the message is older than <paramref name="grace"/> → Rollback
/// (the local transaction never happened); not there yet but recent → Unknown (it may still be being written; the
/// broker asks again).
/// </summary>
public sealed class OrderCreatedChecker(OrderStore store, TimeSpan grace, string node, Action<string> report) : ITransactionChecker
{
    public async Task<TransactionResolution> CheckAsync(TransactionMessageView message, CancellationToken cancellationToken)
    {
        var orderId = message.Keys.FirstOrDefault();
        if (orderId is null)
        {
            report($"  [{node} checker] message {message.MessageId} names no order → Rollback");
            return TransactionResolution.Rollback;
        }

        if (await store.ExistsAsync(orderId, cancellationToken))
        {
            report($"  [{node} checker] {orderId}: found in the orders database → Commit");
            return TransactionResolution.Commit;
        }

        var age = DateTimeOffset.UtcNow - (message.BornTimestamp ?? DateTimeOffset.MinValue);
        if (age < grace)
        {
            report($"  [{node} checker] {orderId}: not in the database yet, message is {age.TotalSeconds:0.0}s old (grace {grace.TotalSeconds:0}s) → Unknown, ask again");
            return TransactionResolution.Unknown;
        }

        report($"  [{node} checker] {orderId}: not in the database, message is {age.TotalSeconds:0.0}s old → Rollback");
        return TransactionResolution.Rollback;
    }
}
