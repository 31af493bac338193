using Apache.Rocketmq.V2;

namespace ActorProducer.Errors;

/// <summary>The kinds of failure a send can end with. Each says what the caller can do.</summary>
public enum ProducerErrorKind
{
    /// <summary>The message broke a rule (named in <see cref="ProducerError.Field"/>); fix it, retrying is pointless. Nothing was sent.</summary>
    InvalidMessage,
    /// <summary>The server rejected the request with a RocketMQ status code (see <see cref="ProducerError.StatusCode"/>).</summary>
    ServerRejected,
    /// <summary>The topic does not exist on the cluster; create it or fix the name.</summary>
    TopicNotFound,
    /// <summary>Credentials were missing or wrong (UNAUTHORIZED / FORBIDDEN); fix the configuration.</summary>
    Unauthorized,
    /// <summary>No answer within the request timeout; the message may or may not have been stored (same message id on retry).</summary>
    Timeout,
    /// <summary>The endpoint could not be reached (connection refused, stream failed); retry later.</summary>
    Unavailable,
    /// <summary>The producer's in-flight cap was reached; slow down and retry.</summary>
    Overloaded,
    /// <summary>The producer is shutting down or stopped; the message was not sent.</summary>
    ShuttingDown,
    /// <summary>The topic's route has no writable queue.</summary>
    NoWritableQueue,
}

/// <summary>A typed failure: kind, RocketMQ status code when the server answered, retryability and an actionable message.</summary>
/// <param name="Kind">Category of the failure.</param>
/// <param name="StatusCode">RocketMQ status code, when the server answered one.</param>
/// <param name="IsRetryable">Whether sending the same message again can succeed.</param>
/// <param name="Message">What went wrong and what to do, in words a person can act on.</param>
/// <param name="Field">For <see cref="ProducerErrorKind.InvalidMessage"/>: the offending field (e.g. "Body", "Tag").</param>
public sealed record ProducerError(
    ProducerErrorKind Kind,
    Code? StatusCode,
    bool IsRetryable,
    string Message,
    string? Field = null)
{
    /// <summary>
    /// True when the message may have been stored although the send failed: an attempt got no answer in time, lost its
    /// connection mid-call, or was in flight when the producer gave up on it. Its message id stayed the same on every
    /// attempt (see <see cref="Messages.SendFailed.MessageId"/>): consumers can de-duplicate by it. False means the
    /// message was not stored.
    /// </summary>
    public bool OutcomeUnknown { get; init; }

    /// <summary>A local validation failure naming the field and the limit.</summary>
    public static ProducerError Invalid(string field, string message) =>
        new(ProducerErrorKind.InvalidMessage, null, false, message, field);

    /// <inheritdoc />
    public override string ToString() =>
        StatusCode is { } code ? $"{Kind} ({code} {(int)code}): {Message}" : $"{Kind}: {Message}";
}

/// <summary>Thrown by the Task facade when a send fails; carries the <see cref="ProducerError"/>.</summary>
public sealed class RocketMqProducerException(ProducerError error) : Exception(error.ToString())
{
    /// <summary>The typed failure.</summary>
    public ProducerError Error { get; } = error;
}
