using ActorProducer.Errors;

namespace ActorProducer.Messages;

/// <summary>What happened to one message: <see cref="SendResult"/> or <see cref="SendFailed"/>.</summary>
public abstract record SendOutcome(string Topic, object? Correlation)
{
    /// <summary>True for <see cref="SendResult"/>.</summary>
    public abstract bool Succeeded { get; }
}

/// <summary>The broker stored the message.</summary>
/// <param name="MessageId">Client-generated id, stable across retries (consumers de-duplicate by it).</param>
/// <param name="Topic">Topic it was sent to.</param>
/// <param name="BrokerName">Broker whose queue the message was sent to.</param>
/// <param name="QueueId">Queue id the producer targeted.</param>
/// <param name="Offset">Queue offset at which the broker stored it.</param>
/// <param name="Attempts">Attempts it took (1 = no retry).</param>
/// <param name="Correlation">The caller's correlation value, unchanged.</param>
/// <param name="TransactionId">Server-assigned transaction id, for transactional messages only.</param>
/// <param name="RecallHandle">Handle to recall a delay message before it is due, for delay messages only.</param>
public sealed record SendResult(
    string MessageId,
    string Topic,
    string BrokerName,
    int QueueId,
    long Offset,
    int Attempts,
    object? Correlation,
    string? TransactionId = null,
    string? RecallHandle = null) : SendOutcome(Topic, Correlation)
{
    /// <summary>The broker endpoints the message was sent to (where its transaction must be ended).</summary>
    public string? Endpoint { get; init; }

    /// <inheritdoc />
    public override bool Succeeded => true;
}

/// <summary>The message was not stored, or, when <see cref="ProducerError.OutcomeUnknown"/> (after a timeout or a connection lost mid-call), may have been.</summary>
/// <param name="Error">Why, with the RocketMQ status code when the server answered, and what to do.</param>
/// <param name="Topic">Topic it was meant for.</param>
/// <param name="MessageId">The id the message had, when one was generated (it was validated and sent).</param>
/// <param name="Attempts">Attempts made (0 = refused before anything was sent).</param>
/// <param name="Correlation">The caller's correlation value, unchanged.</param>
public sealed record SendFailed(
    ProducerError Error,
    string Topic,
    string? MessageId,
    int Attempts,
    object? Correlation) : SendOutcome(Topic, Correlation)
{
    /// <inheritdoc />
    public override bool Succeeded => false;
}

/// <summary>The one reply to <see cref="SendBatch"/>: an outcome per message, in the order they were given.</summary>
public sealed record SendBatchCompleted(IReadOnlyList<SendOutcome> Outcomes, object? Correlation)
{
    /// <summary>True when every message was stored.</summary>
    public bool AllSucceeded => Outcomes.All(o => o.Succeeded);
}
