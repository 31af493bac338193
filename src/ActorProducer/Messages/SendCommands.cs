namespace ActorProducer.Messages;

/// <summary>Marker of every request the producer actor accepts.</summary>
public interface IProducerCommand;

/// <summary>
/// Publish one message. Tell it to the producer actor (or Ask it); the sender gets exactly one reply:
/// <see cref="SendResult"/> when the broker stored it, or <see cref="SendFailed"/> with a typed error.
/// </summary>
/// <param name="Message">The message.</param>
/// <param name="Correlation">Any value of the caller's; it comes back unchanged in the reply.</param>
public sealed record Send(ProducerMessage Message, object? Correlation = null) : IProducerCommand;

/// <summary>
/// Publish several messages in one request. All must share topic and message type, and for FIFO one message group.
/// The sender gets exactly one <see cref="SendBatchCompleted"/> reply, with one outcome per message in order.
/// </summary>
public sealed record SendBatch(IReadOnlyList<ProducerMessage> Messages, object? Correlation = null) : IProducerCommand;
