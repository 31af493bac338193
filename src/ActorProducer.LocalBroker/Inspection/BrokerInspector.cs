using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Inspection;

/// <summary>Read-only view of LocalBroker's state for tests and samples. Every method returns a snapshot.</summary>
public sealed class BrokerInspector
{
    /// <summary>Messages visible to consumers on a topic (committed, not rolled back; delay messages included whether due or not), per queue in offset order, queues in (broker, queue id) order.</summary>
    public IReadOnlyList<StoredMessage> Messages(string topic) => throw new NotImplementedException();

    /// <summary>Messages of one queue in offset order (visible ones only).</summary>
    public IReadOnlyList<StoredMessage> Queue(string topic, string brokerName, int queueId) => throw new NotImplementedException();

    /// <summary>Delay messages whose delivery time has come (what a consumer could receive now).</summary>
    public IReadOnlyList<StoredMessage> DeliverableMessages(string topic) => throw new NotImplementedException();

    /// <summary>Half messages still pending (invisible) on a topic.</summary>
    public IReadOnlyList<StoredMessage> HalfMessages(string topic) => throw new NotImplementedException();

    /// <summary>All transactions ever seen, in send order.</summary>
    public IReadOnlyList<TransactionRecord> Transactions() => throw new NotImplementedException();

    /// <summary>Clients known to the broker, in the order they first appeared.</summary>
    public IReadOnlyList<ConnectedClient> Clients() => throw new NotImplementedException();

    /// <summary>Every RPC answered so far, oldest first.</summary>
    public IReadOnlyList<RequestLogEntry> Requests() => throw new NotImplementedException();

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes (then throws TimeoutException).</summary>
    public Task WaitUntilAsync(Func<BrokerInspector, bool> condition, TimeSpan timeout) => throw new NotImplementedException();
}
