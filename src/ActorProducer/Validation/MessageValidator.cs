using System.Globalization;
using Encoding = System.Text.Encoding;
using ActorProducer.Errors;
using ActorProducer.Messages;
using Apache.Rocketmq.V2;

namespace ActorProducer.Validation;

/// <summary>
/// Local message checks before anything goes on the wire: the union of the official clients' rules and the
/// proxy's (behavior.md §5.1, §7.3), so a message the proxy would refuse is refused here, with a message that
/// names the field, the value and the limit. Returns null when the message may be sent.
/// </summary>
internal static class MessageValidator
{
    /// <summary>The proxy's default <c>max_body_size</c> (4 MiB), used until the server's settings arrive.</summary>
    public const int DefaultMaxBodySize = 4 * 1024 * 1024;
    public const int MaxProperties = 128;
    public const int MaxPropertyBytes = 16 * 1024;
    /// <summary>A message group must be shorter than this many UTF-8 bytes.</summary>
    public const int MessageGroupByteLimit = 64;
    public static readonly TimeSpan MaxDeliveryDelay = TimeSpan.FromDays(1);

    /// <summary>Property keys the proxy refuses (ILLEGAL_MESSAGE_PROPERTY_KEY), plus those it sets itself.</summary>
    internal static readonly HashSet<string> ReservedPropertyKeys = new(StringComparer.Ordinal)
    {
        "TRACE_ON", "MSG_REGION", "KEYS", "TAGS", "WAIT", "DELAY", "RETRY_TOPIC", "REAL_TOPIC", "REAL_QID",
        "TRAN_MSG", "PGROUP", "MIN_OFFSET", "MAX_OFFSET", "BUYER_ID", "ORIGIN_MESSAGE_ID", "TRANSFER_FLAG",
        "CORRECTION_FLAG", "RECONSUME_TIME", "UNIQ_KEY", "MAX_RECONSUME_TIMES", "CONSUME_START_TIME",
        "POP_CK", "POP_CK_OFFSET", "1ST_POP_TIME", "TRAN_PREPARED_QUEUE_OFFSET", "DUP_INFO",
        "EXTEND_UNIQ_INFO", "INSTANCE_ID", "CORRELATION_ID", "REPLY_TO_CLIENT", "TTL", "ARRIVE_TIME",
        "PUSH_REPLY_TIME", "CLUSTER", "MSG_TYPE", "INNER_MULTI_QUEUE_OFFSET", "TIMER_DELAY_MS",
        "TIMER_DELAY_SEC", "TIMER_DELIVER_MS", "TIMER_ENQUEUE_MS", "TIMER_DEQUEUE_MS", "TIMER_ROLL_TIMES",
        "TIMER_OUT_MS", "TIMER_DEL_UNIQKEY", "TIMER_DELAY_LEVEL", "__BORNHOST", "BORN_TIMESTAMP",
        "DLQ_ORIGIN_TOPIC", "DLQ_ORIGIN_MESSAGE_ID",
        // Set by the proxy; a user value would change how the message is stored (e.g. __SHARDINGKEY makes it FIFO).
        "__SHARDINGKEY", "CHECK_IMMUNITY_TIME_IN_SECONDS", "TRACE_CONTEXT", "TRANSACTION_CHECK_TIMES",
    };

    /// <summary>Checks one message for a normal (non-transactional) send.</summary>
    public static ProducerError? Validate(ProducerMessage message, int maxBodySize) =>
        Validate(message, maxBodySize, DateTimeOffset.UtcNow);

    internal static ProducerError? Validate(ProducerMessage message, int maxBodySize, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        return CheckTopic(message.Topic)
            ?? CheckBody(message.Body, maxBodySize)
            ?? CheckTag(message.Tag)
            ?? CheckKeys(message.Keys)
            ?? CheckProperties(message.Properties)
            ?? CheckPropertyBytes(message)
            ?? CheckGroup(message.MessageGroup)
            ?? CheckDeliveryTime(message.DeliveryTime, now)
            ?? CheckExclusive(message);
    }

    /// <summary>Checks the half message of a transaction: <see cref="Validate(ProducerMessage,int)"/> plus no group and no delivery time.</summary>
    public static ProducerError? ValidateTransactional(ProducerMessage message, int maxBodySize) =>
        ValidateTransactional(message, maxBodySize, DateTimeOffset.UtcNow);

    internal static ProducerError? ValidateTransactional(ProducerMessage message, int maxBodySize, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.MessageGroup is not null)
            return ProducerError.Invalid("MessageGroup",
                $"MessageGroup is {Text.Quote(message.MessageGroup)} on a transactional message; a transactional message cannot be FIFO: remove the group or send it outside the transaction");
        if (message.DeliveryTime is { } at)
            return ProducerError.Invalid("DeliveryTime",
                string.Create(CultureInfo.InvariantCulture,
                    $"DeliveryTime is {at:O} on a transactional message; a transactional message cannot be delayed: remove it or send it outside the transaction"));
        return Validate(message, maxBodySize, now);
    }

    /// <summary>
    /// Checks a batch: not empty, every message valid, one topic, one message type, and for FIFO one message
    /// group (the proxy takes the type from the first message only, so the client must enforce this).
    /// </summary>
    public static ProducerError? ValidateBatch(IReadOnlyList<ProducerMessage> messages, int maxBodySize) =>
        ValidateBatch(messages, maxBodySize, DateTimeOffset.UtcNow);

    internal static ProducerError? ValidateBatch(IReadOnlyList<ProducerMessage> messages, int maxBodySize, DateTimeOffset now)
    {
        if (messages is null || messages.Count == 0)
            return ProducerError.Invalid("Messages", "The batch is empty; give at least one message");

        var first = messages[0];
        var firstType = MessageType.Unspecified;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var at = $"Message at index {i} of the batch of {messages.Count}";
            if (message is null)
                return ProducerError.Invalid("Messages", $"{at} is null");
            if (Validate(message, maxBodySize, now) is { } error)
                return error with { Message = $"{at}: {error.Message}" };
            var type = MessageTypes.Of(message, inTransaction: false);
            if (i == 0)
            {
                firstType = type;
                continue;
            }

            if (!string.Equals(message.Topic, first.Topic, StringComparison.Ordinal))
                return ProducerError.Invalid("Topic",
                    $"{at} has topic {Text.Quote(message.Topic)} but message 0 has {Text.Quote(first.Topic)}; a batch goes to one topic: split it per topic");
            if (type != firstType)
                return ProducerError.Invalid("Messages",
                    $"{at} is a {Name(type)} message but message 0 is {Name(firstType)}; a batch holds one message type: split it per type");
            if (type == MessageType.Fifo && !string.Equals(message.MessageGroup, first.MessageGroup, StringComparison.Ordinal))
                return ProducerError.Invalid("MessageGroup",
                    $"{at} has message group {Text.Quote(message.MessageGroup)} but message 0 has {Text.Quote(first.MessageGroup)}; a FIFO batch holds one group: split it per group");
        }
        return null;
    }

    private static string Name(MessageType type) => type.ToString().ToUpperInvariant();

    private static ProducerError? CheckTopic(string? topic) =>
        TopicName.Problem(topic) is { } problem ? ProducerError.Invalid("Topic", problem) : null;

    private static ProducerError? CheckBody(ReadOnlyMemory<byte> body, int maxBodySize)
    {
        // A limit of 0 or less means the server never sent one: fall back to the proxy default rather than refuse everything.
        var limit = maxBodySize > 0 ? maxBodySize : DefaultMaxBodySize;
        if (body.IsEmpty) return ProducerError.Invalid("Body", "Body is empty; a message needs at least 1 byte");
        if (body.Length > limit)
            return ProducerError.Invalid("Body",
                $"Body is {body.Length} bytes; the server's limit is {limit} bytes (max_body_size from settings sync): shrink or split the payload");
        return null;
    }

    private static ProducerError? CheckTag(string? tag)
    {
        if (tag is null) return null;
        if (string.IsNullOrWhiteSpace(tag))
            return ProducerError.Invalid("Tag", $"Tag {Text.Quote(tag)} is blank; leave it unset or give it a value");
        if (tag.Contains('|', StringComparison.Ordinal))
            return ProducerError.Invalid("Tag", $"Tag {Text.Quote(tag)} contains '|', which separates tags in consumer filters; remove it");
        if (Text.IndexOfControl(tag) is var c and >= 0)
            return ProducerError.Invalid("Tag", $"Tag {Text.Quote(tag)} contains a control character at index {c}; remove it");
        return null;
    }

    private static ProducerError? CheckKeys(IReadOnlyList<string>? keys)
    {
        if (keys is null) return null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (string.IsNullOrWhiteSpace(key))
                return ProducerError.Invalid("Keys", $"Key at index {i} is {Text.Quote(key)}; keys must not be blank");
            if (Text.IndexOfControl(key) is var c and >= 0)
                return ProducerError.Invalid("Keys", $"Key at index {i} ({Text.Quote(key)}) contains a control character at index {c}; remove it");
        }
        return null;
    }

    private static ProducerError? CheckProperties(IReadOnlyDictionary<string, string>? properties)
    {
        if (properties is null) return null;
        if (properties.Count > MaxProperties)
            return ProducerError.Invalid("Properties",
                $"The message has {properties.Count} properties; the limit is {MaxProperties}: move data into the body");
        foreach (var (key, value) in properties)
        {
            if (string.IsNullOrWhiteSpace(key))
                return ProducerError.Invalid("Properties", $"Property key {Text.Quote(key)} is blank; give every property a name");
            if (ReservedPropertyKeys.Contains(key))
                return ProducerError.Invalid("Properties",
                    $"Property key {Text.Quote(key)} is reserved for RocketMQ's own use; rename the property");
            if (Text.IndexOfControl(key) is var kc and >= 0)
                return ProducerError.Invalid("Properties", $"Property key {Text.Quote(key)} contains a control character at index {kc}; remove it");
            if (string.IsNullOrWhiteSpace(value))
                return ProducerError.Invalid("Properties", $"Property {Text.Quote(key)} has the blank value {Text.Quote(value)}; omit the property or give it a value");
            if (Text.IndexOfControl(value) is var vc and >= 0)
                return ProducerError.Invalid("Properties",
                    $"Property {Text.Quote(key)} has a value with a control character at index {vc} ({Text.Quote(value)}); remove it");
        }
        return null;
    }

    /// <summary>The proxy's size rule: UTF-8 bytes of property keys and values, tag and keys, at most 16 KiB.</summary>
    private static ProducerError? CheckPropertyBytes(ProducerMessage message)
    {
        var total = 0L;
        if (message.Properties is { } properties)
        {
            foreach (var (key, value) in properties) total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }
        if (message.Tag is { } tag) total += Encoding.UTF8.GetByteCount(tag);
        if (message.Keys is { } keys)
        {
            foreach (var key in keys) total += Encoding.UTF8.GetByteCount(key);
        }
        if (total > MaxPropertyBytes)
            return ProducerError.Invalid("Properties",
                $"Properties, tag and keys take {total} UTF-8 bytes; the server's limit is {MaxPropertyBytes} bytes: move data into the body");
        return null;
    }

    private static ProducerError? CheckGroup(string? group)
    {
        if (group is null) return null;
        if (string.IsNullOrWhiteSpace(group))
            return ProducerError.Invalid("MessageGroup", $"MessageGroup {Text.Quote(group)} is blank; leave it unset for a non-FIFO message or give it a value");
        if (Text.IndexOfControl(group) is var c and >= 0)
            return ProducerError.Invalid("MessageGroup", $"MessageGroup {Text.Quote(group)} contains a control character at index {c}; remove it");
        var bytes = Encoding.UTF8.GetByteCount(group);
        if (bytes >= MessageGroupByteLimit)
            return ProducerError.Invalid("MessageGroup",
                $"MessageGroup {Text.Quote(group)} is {bytes} UTF-8 bytes; the limit is {MessageGroupByteLimit - 1} bytes: use a shorter group id (e.g. a hash)");
        return null;
    }

    private static ProducerError? CheckDeliveryTime(DateTimeOffset? deliveryTime, DateTimeOffset now)
    {
        if (deliveryTime is not { } at) return null;
        var latest = now + MaxDeliveryDelay;
        if (at > latest)
            return ProducerError.Invalid("DeliveryTime", string.Create(CultureInfo.InvariantCulture,
                $"DeliveryTime {at:O} is {(at - now).TotalHours:0.##} hours ahead; the server's limit is {MaxDeliveryDelay.TotalHours:0} hours (latest allowed now: {latest:O})"));
        return null;
    }

    private static ProducerError? CheckExclusive(ProducerMessage message) =>
        message is { MessageGroup: not null, DeliveryTime: not null }
            ? ProducerError.Invalid("DeliveryTime",
                "MessageGroup and DeliveryTime are both set; a message is either FIFO (group) or delayed (delivery time), not both: remove one")
            : null;
}
