using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Store;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Topics;

/// <summary>A topic and its queues: <c>QueueCount</c> logs on every simulated broker.</summary>
internal sealed class TopicState
{
    private readonly QueueLog[][] queues;
    private readonly int[] cursors;

    public TopicState(TopicDefinition definition, IReadOnlyList<SimulatedBroker> brokers, int maxMessagesPerQueue)
    {
        Definition = definition;
        AcceptMessageTypes = MessageTypes.AcceptedBy(definition.Type);
        IsWritable = definition.Permission is Permission.Write or Permission.ReadWrite;
        queues = new QueueLog[brokers.Count][];
        cursors = new int[brokers.Count];
        for (var b = 0; b < brokers.Count; b++)
        {
            queues[b] = new QueueLog[definition.QueueCount];
            for (var q = 0; q < definition.QueueCount; q++)
            {
                queues[b][q] = new QueueLog(definition.Name, brokers[b].Name, q, maxMessagesPerQueue);
            }
        }
    }

    public TopicDefinition Definition { get; }

    public string Name => Definition.Name;

    public IReadOnlyList<MessageType> AcceptMessageTypes { get; }

    /// <summary>Whether the queues take writes; a topic without writable queue answers FORBIDDEN (§7.3 row 16).</summary>
    public bool IsWritable { get; }

    public QueueLog? Queue(int brokerIndex, int queueId) =>
        queueId >= 0 && queueId < Definition.QueueCount ? queues[brokerIndex][queueId] : null;

    /// <summary>
    /// The queue a send to <paramref name="brokerIndex"/> lands in: the client's queue_id when it is one of this
    /// broker's queues (deterministic, keeps FIFO groups together), else round-robin over the broker's queues.
    /// </summary>
    public QueueLog SelectQueue(int brokerIndex, int requestedQueueId)
    {
        var brokerQueues = queues[brokerIndex];
        if (requestedQueueId >= 0 && requestedQueueId < brokerQueues.Length)
        {
            return brokerQueues[requestedQueueId];
        }

        var next = (uint)Interlocked.Increment(ref cursors[brokerIndex]);
        return brokerQueues[next % (uint)brokerQueues.Length];
    }

    /// <summary>Every queue, broker by broker, queue ids ascending.</summary>
    public IEnumerable<QueueLog> AllQueues() => queues.SelectMany(brokerQueues => brokerQueues);
}
