using ActorProducer.Messages;

namespace ActorProducer.Tests.Fakes;

/// <summary>Messages for the producer specs (fake transport and LocalBroker alike).</summary>
internal static class TestMessages
{
    /// <summary>A text message; <paramref name="configure"/> sets tag, keys, group... with a <c>with</c> expression.</summary>
    public static ProducerMessage Message(string topic, string body = "hello", Func<ProducerMessage, ProducerMessage>? configure = null)
    {
        var message = ProducerMessage.Text(topic, body);
        return configure is null ? message : configure(message);
    }
}
