using ActorProducer.Ids;
using ActorProducer.Messages;
using Apache.Rocketmq.V2;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.Transport;

/// <summary>Turns a validated <see cref="ProducerMessage"/> into the <see cref="Message"/> a SendMessage request carries (behavior.md §5.2).</summary>
internal static class WireMessages
{
    private static readonly string BornHost = System.Net.Dns.GetHostName();

    /// <summary>A new wire message with a fresh message id (kept for every attempt); the queue id is set per attempt.</summary>
    public static Message ToProto(ProducerMessage message, MessageType type, Resource topic)
    {
        var system = new SystemProperties
        {
            MessageId = MessageIdGenerator.Next(),
            MessageType = type,
            BodyEncoding = Encoding.Identity,
            BornTimestamp = Timestamp.FromDateTime(DateTime.UtcNow),
            BornHost = BornHost,
        };
        if (message.Tag is not null) system.Tag = message.Tag;
        system.Keys.Add(message.Keys);
        if (message.MessageGroup is not null) system.MessageGroup = message.MessageGroup;
        if (message.DeliveryTime is { } at) system.DeliveryTimestamp = Timestamp.FromDateTimeOffset(at);
        var proto = new Message { Topic = topic, SystemProperties = system, Body = ByteString.CopyFrom(message.Body.Span) };
        foreach (var (key, value) in message.Properties) proto.UserProperties[key] = value;
        return proto;
    }
}
