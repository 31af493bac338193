using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Topics;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Store;

/// <summary>Turns a received message into the inspection record; the received message itself is kept as <c>Raw</c>.</summary>
internal static class StoredMessageFactory
{
    public static StoredMessage Create(
        Message raw, string topic, string brokerName, int queueId, long offset, in StoreStamp stamp)
    {
        var system = raw.SystemProperties ?? MessageValidator.EmptySystemProperties;
        return new StoredMessage(
            Topic: topic,
            BrokerName: brokerName,
            QueueId: queueId,
            Offset: offset,
            MessageId: system.MessageId,
            MessageType: MessageTypes.Derive(raw),
            Body: raw.Body.Memory,
            Tag: system.Tag.Length > 0 ? system.Tag : null,
            Keys: system.Keys,
            MessageGroup: system.MessageGroup.Length > 0 ? system.MessageGroup : null,
            DeliveryTimestamp: system.DeliveryTimestamp is { } delivery ? ProtoTime.ToDateTimeOffset(delivery) : null,
            UserProperties: raw.UserProperties,
            // The proxy falls back to the peer address when the client sent no born_host (§5.2).
            BornHost: TextRules.IsBlank(system.BornHost) ? stamp.PeerAddress : system.BornHost,
            BornTimestamp: system.BornTimestamp is { } born ? ProtoTime.ToDateTimeOffset(born) : default,
            StoreTimestamp: stamp.StoreTime,
            ProducerClientId: stamp.ProducerClientId,
            TransactionId: stamp.TransactionId,
            Raw: raw);
    }
}
