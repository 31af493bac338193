using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Topics;

namespace ActorProducer.LocalBroker.Inspection;

/// <summary>Read-only view of LocalBroker's state for tests and samples. Every method returns a snapshot.</summary>
public sealed class BrokerInspector
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly BrokerRuntime runtime;

    internal BrokerInspector(BrokerRuntime runtime) => this.runtime = runtime;

    /// <summary>Messages visible to consumers on a topic (committed, not rolled back; delay messages included whether due or not), per queue in offset order, queues in (broker, queue id) order. Empty for an unknown topic. Each queue keeps its last <see cref="LocalBrokerOptions.MaxMessagesPerQueue"/> messages.</summary>
    public IReadOnlyList<StoredMessage> Messages(string topic) => Collect(topic, filter: null);

    /// <summary>Messages of one queue in offset order (visible ones only). Empty for an unknown topic, broker or queue.</summary>
    public IReadOnlyList<StoredMessage> Queue(string topic, string brokerName, int queueId)
    {
        var messages = new List<StoredMessage>();
        if (runtime.Topics.Find(topic) is { } state && runtime.Cluster.Find(brokerName) is { } broker)
        {
            state.Queue(broker.Index, queueId)?.CopyVisibleTo(messages);
        }

        return messages;
    }

    /// <summary>
    /// What a consumer could receive now: the visible messages of the topic whose delivery time has come
    /// (messages without a delivery time, and delay messages that are due), in the order of <see cref="Messages"/>.
    /// </summary>
    public IReadOnlyList<StoredMessage> DeliverableMessages(string topic)
    {
        var now = runtime.Time.GetUtcNow();
        return Collect(topic, message => message.DeliveryTimestamp is not { } due || due <= now);
    }

    /// <summary>Half messages still pending (invisible) on a topic.</summary>
    public IReadOnlyList<StoredMessage> HalfMessages(string topic) => runtime.Transactions.Pending(topic);

    /// <summary>All transactions ever seen, in send order (past <see cref="LocalBrokerOptions.MaxMessagesPerQueue"/>, the oldest resolved ones are forgotten).</summary>
    public IReadOnlyList<TransactionRecord> Transactions() => runtime.Transactions.Snapshot();

    /// <summary>Clients known to the broker, in the order they first appeared.</summary>
    public IReadOnlyList<ConnectedClient> Clients() => runtime.Clients.Snapshot();

    /// <summary>Every RPC answered so far, oldest first (the last 100 000; telemetry counts each command received).</summary>
    public IReadOnlyList<RequestLogEntry> Requests() => runtime.Requests.Snapshot();

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes (then throws TimeoutException).</summary>
    public async Task WaitUntilAsync(Func<BrokerInspector, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"LocalBroker state did not reach the expected condition within {timeout}");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    private List<StoredMessage> Collect(string topic, Func<StoredMessage, bool>? filter)
    {
        var messages = new List<StoredMessage>();
        if (runtime.Topics.Find(topic) is TopicState state)
        {
            foreach (var queue in state.AllQueues())
            {
                queue.CopyVisibleTo(messages, filter);
            }
        }

        return messages;
    }
}
