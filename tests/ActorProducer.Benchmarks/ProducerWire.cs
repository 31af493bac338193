using ActorProducer.Messages;
using ActorProducer.Transport;
using Apache.Rocketmq.V2;

namespace ActorProducer.Benchmarks;

/// <summary>The wire form of a send, built by the producer's own code (<see cref="WireMessages.ToProto"/>).</summary>
internal static class ProducerWire
{
    /// <summary>One NORMAL message in a SendMessage request, as <c>TopicSenderActor.Dispatch</c> wraps it for queue <paramref name="queueId"/>.</summary>
    public static SendMessageRequest BuildRequest(ProducerMessage message, Resource topic, int queueId = 0)
    {
        var proto = WireMessages.ToProto(message, MessageType.Normal, topic);
        proto.SystemProperties.QueueId = queueId;
        var request = new SendMessageRequest();
        request.Messages.Capacity = 1; // as TopicSenderActor sizes it
        request.Messages.Add(proto);
        return request;
    }
}
