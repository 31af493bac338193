using System.Collections.Concurrent;

namespace ActorProducer.LocalBroker.Store;

/// <summary>Where each recallable (future-dated delay) message was stored, by (topic, broker, message id) as the handle names it.</summary>
internal sealed class RecallIndex
{
    private readonly ConcurrentDictionary<(string Topic, string Broker, string MessageId), (QueueLog Log, long Offset)> locations = new();

    public void Add(QueueLog log, long offset, string messageId) =>
        locations[(log.Topic, log.BrokerName, messageId)] = (log, offset);

    /// <summary>Hides the message the handle names, if it is still stored; a second recall is a no-op, as on the broker.</summary>
    public void Recall(RecallHandle handle)
    {
        if (locations.TryRemove((handle.Topic, handle.BrokerName, handle.MessageId), out var location))
        {
            location.Log.Hide(location.Offset);
        }
    }
}
