using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using ActorProducer.Actors;
using ActorProducer.Messages;
using Apache.Rocketmq.V2;

namespace ActorProducer.Benchmarks;

/// <summary>
/// The wire form of a send, built by the producer's own code: <c>TopicSenderActor.ToProto</c> is private, and the
/// harness may not change src/ActorProducer, so it is called through reflection on an actor object that was never
/// constructed (ToProto reads only the topic resource). A rename in the actor fails here, at start, by name.
/// </summary>
internal static class ProducerWire
{
    private static readonly ConcurrentDictionary<Resource, Func<ProducerMessage, MessageType, Message>> Builders = new();

    /// <summary>As the producer builds it: fresh message id and born timestamp, body copied into a ByteString.</summary>
    public static Message BuildMessage(ProducerMessage message, Resource topic, MessageType type) =>
        Builders.GetOrAdd(topic, CreateBuilder)(message, type);

    /// <summary>One NORMAL message in a SendMessage request, as <c>TopicSenderActor.Dispatch</c> wraps it for queue <paramref name="queueId"/>.</summary>
    public static SendMessageRequest BuildRequest(ProducerMessage message, Resource topic, int queueId = 0)
    {
        var proto = BuildMessage(message, topic, MessageType.Normal);
        proto.SystemProperties.QueueId = queueId;
        var request = new SendMessageRequest();
        request.Messages.Add(proto);
        return request;
    }

    private static Func<ProducerMessage, MessageType, Message> CreateBuilder(Resource topic)
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;
        var sender = RuntimeHelpers.GetUninitializedObject(typeof(TopicSenderActor));
        var resource = typeof(TopicSenderActor).GetField("_resource", Instance)
                       ?? throw new MissingFieldException(nameof(TopicSenderActor), "_resource");
        resource.SetValue(sender, topic);
        var toProto = typeof(TopicSenderActor).GetMethod("ToProto", Instance, [typeof(ProducerMessage), typeof(MessageType)])
                      ?? throw new MissingMethodException(nameof(TopicSenderActor), "ToProto(ProducerMessage, MessageType)");
        return toProto.CreateDelegate<Func<ProducerMessage, MessageType, Message>>(sender);
    }
}
