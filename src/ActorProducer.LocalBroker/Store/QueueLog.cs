using ActorProducer.LocalBroker.Inspection;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Store;

/// <summary>
/// The append-only log of one (topic, broker, queue): offsets start at 0 and are never reused. A recalled
/// delay message is hidden, not removed, so later offsets stay put. One lock per queue keeps sends to
/// different queues independent.
/// </summary>
internal sealed class QueueLog(string topic, string brokerName, int queueId)
{
    private readonly Lock gate = new();
    private readonly List<StoredMessage> messages = [];
    private HashSet<long>? hidden;

    public string Topic { get; } = topic;

    public string BrokerName { get; } = brokerName;

    public int QueueId { get; } = queueId;

    /// <summary>Appends the messages of one request contiguously; returns the offset of the first.</summary>
    public long Append(IReadOnlyList<Message> batch, in StoreStamp stamp)
    {
        lock (gate)
        {
            long first = messages.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                messages.Add(StoredMessageFactory.Create(batch[i], Topic, BrokerName, QueueId, first + i, stamp));
            }

            return first;
        }
    }

    /// <summary>Appends a committed half message (a new message on the real topic, as the broker writes it).</summary>
    public StoredMessage AppendCommitted(StoredMessage half, DateTimeOffset storeTime)
    {
        lock (gate)
        {
            var committed = half with
            {
                BrokerName = BrokerName, QueueId = QueueId, Offset = messages.Count, StoreTimestamp = storeTime,
            };
            messages.Add(committed);
            return committed;
        }
    }

    /// <summary>Hides the message at <paramref name="offset"/> (recall); false when it was already hidden or never existed.</summary>
    public bool Hide(long offset)
    {
        lock (gate)
        {
            return offset >= 0 && offset < messages.Count && (hidden ??= []).Add(offset);
        }
    }

    /// <summary>Adds the visible messages, in offset order, that satisfy <paramref name="filter"/> (all when null).</summary>
    public void CopyVisibleTo(List<StoredMessage> into, Func<StoredMessage, bool>? filter = null)
    {
        lock (gate)
        {
            foreach (var message in messages)
            {
                if ((hidden is null || !hidden.Contains(message.Offset)) && (filter is null || filter(message)))
                {
                    into.Add(message);
                }
            }
        }
    }
}
