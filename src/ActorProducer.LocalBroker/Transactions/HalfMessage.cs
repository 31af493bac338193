using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Store;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Transactions;

/// <summary>A transactional half message: invisible until COMMIT, with its check schedule. Guarded by <see cref="Gate"/>.</summary>
internal sealed class HalfMessage(StoredMessage stored, QueueLog target, SimulatedBroker broker)
{
    public Lock Gate { get; } = new();

    /// <summary>The half message as stored in the broker's half topic (its offset is the half-topic offset).</summary>
    public StoredMessage Stored { get; } = stored;

    /// <summary>The queue it goes to when committed.</summary>
    public QueueLog Target { get; } = target;

    public SimulatedBroker Broker { get; } = broker;

    public string TransactionId => Stored.TransactionId!;

    public string Topic => Stored.Topic;

    public TransactionState State { get; set; } = TransactionState.Pending;

    public int ChecksSent { get; set; }

    public TransactionSource? ResolvedBy { get; set; }

    public ITimer? CheckTimer { get; set; }

    public TransactionRecord Snapshot()
    {
        lock (Gate)
        {
            return new TransactionRecord(TransactionId, Topic, Stored.MessageId, State, ChecksSent, ResolvedBy, Stored.StoreTimestamp);
        }
    }

    /// <summary>Leaves the Pending state for good; no more checks.</summary>
    public void Finish(TransactionState state, TransactionSource? resolvedBy)
    {
        State = state;
        ResolvedBy = resolvedBy;
        CheckTimer?.Dispose();
        CheckTimer = null;
    }
}
