using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Inspection;

/// <summary>Where a transactional half message stands.</summary>
public enum TransactionState
{
    /// <summary>Half message stored, invisible, waiting for COMMIT/ROLLBACK or a check.</summary>
    Pending,
    Committed,
    RolledBack,
    /// <summary>Checked the maximum number of times without an answer: dropped, as the broker does.</summary>
    Discarded,
}

/// <summary>One message as LocalBroker stored it, with every property the producer sent; <c>Raw</c> is the message exactly as it arrived.</summary>
public sealed record StoredMessage(
    string Topic,
    string BrokerName,
    int QueueId,
    long Offset,
    string MessageId,
    MessageType MessageType,
    ReadOnlyMemory<byte> Body,
    string? Tag,
    IReadOnlyList<string> Keys,
    string? MessageGroup,
    DateTimeOffset? DeliveryTimestamp,
    IReadOnlyDictionary<string, string> UserProperties,
    string BornHost,
    DateTimeOffset BornTimestamp,
    DateTimeOffset StoreTimestamp,
    string ProducerClientId,
    string? TransactionId,
    Message Raw);

/// <summary>A transaction (half message) and its history.</summary>
public sealed record TransactionRecord(
    string TransactionId,
    string Topic,
    string MessageId,
    TransactionState State,
    int ChecksSent,
    TransactionSource? ResolvedBy,
    DateTimeOffset SentAt);

/// <summary>A client known to LocalBroker (it opened a telemetry stream or sent a request).</summary>
public sealed record ConnectedClient(
    string ClientId,
    string? Language,
    string? ClientVersion,
    Settings? SettingsReceived,
    bool HasTelemetryStream,
    DateTimeOffset? LastHeartbeat,
    bool Terminated);

/// <summary>One RPC LocalBroker answered.</summary>
public sealed record RequestLogEntry(
    DateTimeOffset At,
    string Rpc,
    string BrokerName,
    string? ClientId,
    Code Code,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Headers);
