using ActorProducer.Ids;
using ActorProducer.Messages;
using Apache.Rocketmq.V2;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.Benchmarks;

/// <summary>
/// The wire form of a send, built as the producer builds it. <see cref="BuildMessage"/> mirrors the private
/// <c>TopicSenderActor.ToProto</c> (keep the two alike): the harness may not change src/ActorProducer to expose it.
/// </summary>
internal static class ProducerWire
{
    private static readonly string BornHost = System.Net.Dns.GetHostName();

    /// <summary>As <c>TopicSenderActor.ToProto</c>: fresh message id and born timestamp, body copied into a ByteString.</summary>
    public static Message BuildMessage(ProducerMessage message, Resource topic, MessageType type)
    {
        var system = new SystemProperties
        {
            MessageId = MessageIdGenerator.Next(),
            MessageType = type,
            BodyEncoding = Apache.Rocketmq.V2.Encoding.Identity,
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

    /// <summary>One NORMAL message in a SendMessage request, as <c>TopicSenderActor.Dispatch</c> wraps it for queue <paramref name="queueId"/>.</summary>
    public static SendMessageRequest BuildRequest(ProducerMessage message, Resource topic, int queueId = 0)
    {
        var proto = BuildMessage(message, topic, MessageType.Normal);
        proto.SystemProperties.QueueId = queueId;
        return new SendMessageRequest { Messages = { proto } };
    }
}
