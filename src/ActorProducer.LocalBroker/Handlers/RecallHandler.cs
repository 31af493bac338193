using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Store;
using ActorProducer.LocalBroker.Topics;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Handlers;

/// <summary>
/// RecallMessage (behavior.md §5.11; proxy ProducerProcessor + broker RecallMessageProcessor): a delay message whose
/// delivery time has not come is removed and its id returned. Broker-side refusals surface as INTERNAL_SERVER_ERROR,
/// the proxy's mapping of the broker's ILLEGAL_OPERATION. Recalling twice succeeds twice, as on the broker.
/// </summary>
internal sealed class RecallHandler(BrokerRuntime runtime)
{
    /// <summary>The broker's timer limit (timerMaxDelaySec, 3 days by default): later handles are refused.</summary>
    private static readonly long TimerMaxDelayMillis = (long)TimeSpan.FromDays(3).TotalMilliseconds;

    public RecallMessageResponse Handle(CallInfo call, RecallMessageRequest request)
    {
        var topicName = request.Topic?.Name ?? string.Empty;
        TopicNameRules.Validate(topicName);
        var topic = runtime.Topics.Find(topicName);
        if (runtime.Options.ValidateMessageType)
        {
            MessageTypes.EnsureTopicAccepts(topic?.Definition.Type, MessageType.Delay);
        }

        var handle = RecallHandle.TryDecode(request.RecallHandle)
            ?? throw new ProxyException(Code.InternalServerError, "recall handle is invalid");
        if (topic is null)
        {
            throw new ProxyException(Code.TopicNotFound, $"recall failed, the topic[{topicName}] not exist");
        }

        if (handle.Topic != topicName)
        {
            throw new ProxyException(Code.InternalServerError, "recall failed, topic not match");
        }

        var broker = runtime.Cluster.Find(handle.BrokerName);
        if (broker is null || broker.IsDown)
        {
            throw new ProxyException(Code.InternalServerError, "recall failed, broker service not available");
        }

        var timeLeft = handle.DeliverMillis - runtime.Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (timeLeft <= 0 || timeLeft >= TimerMaxDelayMillis)
        {
            throw new ProxyException(Code.InternalServerError, "recall failed, timestamp invalid");
        }

        runtime.Recalls.Recall(handle);
        return new RecallMessageResponse { Status = Statuses.Ok, MessageId = handle.MessageId };
    }
}
