using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Topics;

/// <summary>Topic types versus message types: route accept lists (§5.3) and the proxy's type check (§5.2, §7.3 row 15).</summary>
internal static class MessageTypes
{
    private static readonly MessageType[] Normal = [MessageType.Normal];
    private static readonly MessageType[] Fifo = [MessageType.Fifo];
    private static readonly MessageType[] Delay = [MessageType.Delay];
    private static readonly MessageType[] Transaction = [MessageType.Transaction];
    private static readonly MessageType[] Mixed = [MessageType.Normal, MessageType.Fifo, MessageType.Delay, MessageType.Transaction];

    /// <summary>accept_message_types of every queue of a topic of this type.</summary>
    public static IReadOnlyList<MessageType> AcceptedBy(TopicMessageType type) => type switch
    {
        TopicMessageType.Normal => Normal,
        TopicMessageType.Fifo => Fifo,
        TopicMessageType.Delay => Delay,
        TopicMessageType.Transaction => Transaction,
        TopicMessageType.Mixed => Mixed,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown topic message type"),
    };

    /// <summary>
    /// The type the proxy derives from the properties it built (TopicMessageType.parseFromMessageProperty):
    /// the client's message_type is trusted only for TRANSACTION; then delivery time → DELAY, group → FIFO.
    /// </summary>
    public static MessageType Derive(Message message)
    {
        var system = message.SystemProperties ?? MessageValidator.EmptySystemProperties;
        if (system.MessageType == MessageType.Transaction)
        {
            return MessageType.Transaction;
        }

        if (system.DeliveryTimestamp is not null)
        {
            return MessageType.Delay;
        }

        return system.MessageGroup.Length > 0 ? MessageType.Fifo : MessageType.Normal;
    }

    /// <summary>
    /// TopicMessageTypeValidator.validate: the topic (null = unknown, i.e. UNSPECIFIED) must be MIXED or of the
    /// actual type, else MESSAGE_PROPERTY_CONFLICT_WITH_TYPE.
    /// </summary>
    public static void EnsureTopicAccepts(TopicMessageType? topicType, MessageType actual)
    {
        if (topicType == TopicMessageType.Mixed || (topicType is { } type && AcceptedBy(type)[0] == actual))
        {
            return;
        }

        var expected = topicType?.ToString().ToUpperInvariant() ?? "UNSPECIFIED";
        throw new ProxyException(Code.MessagePropertyConflictWithType,
            $"TopicMessageType validate failed, the expected type is {expected}, but actual type is {Statuses.NameOfType(actual)}");
    }
}
