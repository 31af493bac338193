using Akka.Actor;

namespace ActorProducer.Transactions;

/// <summary>A decision about a transaction's half message.</summary>
public enum TransactionResolution
{
    /// <summary>Make the message visible to consumers.</summary>
    Commit,
    /// <summary>Discard the message.</summary>
    Rollback,
    /// <summary>Not decided yet: nothing is sent and the broker asks again later.</summary>
    Unknown,
}

/// <summary>A half message the broker asks about: what the producer sent, with its ids.</summary>
public sealed record TransactionMessageView(
    string Topic,
    string MessageId,
    string TransactionId,
    ReadOnlyMemory<byte> Body,
    string? Tag,
    IReadOnlyList<string> Keys,
    IReadOnlyDictionary<string, string> Properties,
    DateTimeOffset? BornTimestamp,
    string BornHost);

/// <summary>
/// Answers the broker's transaction checks from durable state (e.g. "is order 42 in the database?").
/// It may be asked about transactions another producer or an earlier run began, so it must decide from
/// what it can look up (keys, properties, message id), never from memory. Throwing or timing out counts as
/// <see cref="TransactionResolution.Unknown"/>: the broker asks again.
/// </summary>
public interface ITransactionChecker
{
    /// <summary>Decides the fate of <paramref name="message"/>; honour <paramref name="cancellationToken"/> (the check timeout).</summary>
    Task<TransactionResolution> CheckAsync(TransactionMessageView message, CancellationToken cancellationToken);
}

/// <summary>
/// What an actor-based checker receives (when <c>RocketMqProducerSetup.TransactionCheckerProps</c> is used);
/// it must reply with a <see cref="TransactionResolution"/> to the sender within the check timeout.
/// </summary>
public sealed record CheckTransaction(TransactionMessageView Message) : INoSerializationVerificationNeeded;
