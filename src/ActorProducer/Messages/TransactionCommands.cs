using ActorProducer.Errors;
using ActorProducer.Transactions;

namespace ActorProducer.Messages;

/// <summary>Identifies one local transaction of one producer. Obtained from <see cref="BeginTransaction"/>; usable for one message and one decision.</summary>
public sealed record TransactionHandle(Guid Id)
{
    /// <inheritdoc />
    public override string ToString() => $"transaction {Id:N}";
}

/// <summary>
/// Begin a transaction. Needs a transaction checker (configured in <c>RocketMqProducerSetup</c>). Reply:
/// <see cref="TransactionBegun"/> or <see cref="TransactionFailed"/>.
/// </summary>
public sealed record BeginTransaction(object? Correlation = null) : IProducerCommand;

/// <summary>The new transaction's handle.</summary>
public sealed record TransactionBegun(TransactionHandle Handle, object? Correlation);

/// <summary>
/// Send the transaction's half message (one per transaction, to a prebound TRANSACTION topic, with neither
/// message group nor delivery time). It stays invisible to consumers until committed. Reply:
/// <see cref="SendResult"/> (with its <see cref="SendResult.TransactionId"/>) or <see cref="SendFailed"/>.
/// </summary>
public sealed record SendInTransaction(TransactionHandle Handle, ProducerMessage Message, object? Correlation = null) : IProducerCommand;

/// <summary>
/// Commit (make visible) or roll back (discard) the transaction's half message, after your local transaction.
/// Reply: <see cref="TransactionEnded"/> or <see cref="TransactionFailed"/>.
/// </summary>
public sealed record EndTransaction(TransactionHandle Handle, TransactionResolution Resolution, object? Correlation = null) : IProducerCommand;

/// <summary>The broker accepted the decision.</summary>
public sealed record TransactionEnded(TransactionHandle Handle, TransactionResolution Resolution, string TransactionId, object? Correlation);

/// <summary>A transaction step failed; <see cref="ProducerError.Message"/> says why and what to do.</summary>
public sealed record TransactionFailed(TransactionHandle? Handle, ProducerError Error, object? Correlation);
