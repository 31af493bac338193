using ActorProducer.Messages;
using Apache.Rocketmq.V2;

namespace ActorProducer.Validation;

/// <summary>The message type a message is sent as (behavior.md §5.2); it must be accepted by the topic's queues.</summary>
internal static class MessageTypes
{
    /// <summary>
    /// TRANSACTION inside a transaction; otherwise FIFO with a message group, DELAY with a delivery time, else
    /// NORMAL. (Group and delivery time together, or either inside a transaction, are refused by
    /// <see cref="MessageValidator"/>; this only names the type.)
    /// </summary>
    public static MessageType Of(ProducerMessage message, bool inTransaction)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (inTransaction) return MessageType.Transaction;
        if (message.MessageGroup is not null) return MessageType.Fifo;
        if (message.DeliveryTime is not null) return MessageType.Delay;
        return MessageType.Normal;
    }
}
