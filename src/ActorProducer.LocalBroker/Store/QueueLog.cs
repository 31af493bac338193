using ActorProducer.LocalBroker.Inspection;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Store;

/// <summary>
/// The append-only log of one (topic, broker, queue): offsets start at 0 and are never reused. A recalled
/// delay message is hidden, not removed, so later offsets stay put. Past <c>maxMessages</c> (0 = no limit) the
/// oldest messages are dropped, as a broker deletes old commit-log files. One lock per queue keeps sends to
/// different queues independent.
/// </summary>
internal sealed class QueueLog(string topic, string brokerName, int queueId, int maxMessages)
{
    private readonly Lock gate = new();
    private readonly List<StoredMessage> messages = [];
    private long firstOffset;
    private HashSet<long>? hidden;

    public string Topic { get; } = topic;

    public string BrokerName { get; } = brokerName;

    public int QueueId { get; } = queueId;

    /// <summary>Appends the messages of one request contiguously; returns the offset of the first.</summary>
    public long Append(IReadOnlyList<Message> batch, in StoreStamp stamp)
    {
        lock (gate)
        {
            var first = NextOffset;
            for (var i = 0; i < batch.Count; i++)
            {
                messages.Add(StoredMessageFactory.Create(batch[i], Topic, BrokerName, QueueId, first + i, stamp));
            }

            TrimOldest();
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
                BrokerName = BrokerName, QueueId = QueueId, Offset = NextOffset, StoreTimestamp = storeTime,
            };
            messages.Add(committed);
            TrimOldest();
            return committed;
        }
    }

    /// <summary>Hides the message at <paramref name="offset"/> (recall); false when it was already hidden or never existed.</summary>
    public bool Hide(long offset)
    {
        lock (gate)
        {
            return offset >= firstOffset && offset < NextOffset && (hidden ??= []).Add(offset);
        }
    }

    private long NextOffset => firstOffset + messages.Count;

    /// <summary>Drops the oldest messages beyond the limit, in chunks so that appends stay amortized O(1).</summary>
    private void TrimOldest()
    {
        if (maxMessages <= 0 || messages.Count <= maxMessages + maxMessages / 4)
        {
            return;
        }

        var drop = messages.Count - maxMessages;
        messages.RemoveRange(0, drop);
        firstOffset += drop;
        hidden?.RemoveWhere(offset => offset < firstOffset);
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
