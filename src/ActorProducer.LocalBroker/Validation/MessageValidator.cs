using Encoding = System.Text.Encoding;
using ActorProducer.LocalBroker.Server;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Validation;

/// <summary>
/// Per-message checks of SendMessage, rows 4–14 of behavior.md §7.3, in the proxy's order
/// (SendMessageActivity.buildMessage / buildMessageProperty). The first failure throws a <see cref="ProxyException"/>.
/// </summary>
internal static class MessageValidator
{
    public const int MaxUserPropertyCount = 128;
    public const int MaxUserPropertySize = 16 * 1024;
    public const int MaxMessageGroupBytes = 64;
    public const long MaxTransactionRecoverySeconds = 3600;

    /// <summary>What an absent system_properties reads as (proto3 default instance, like Java's getter).</summary>
    public static readonly SystemProperties EmptySystemProperties = new();

    public static void Validate(Message message, int maxBodySize, long nowMillis, long maxDelayMillis)
    {
        ValidateBody(message, maxBodySize);
        var system = message.SystemProperties ?? EmptySystemProperties;
        long propertySize = ValidateUserProperties(message);
        propertySize += ValidateTag(system.Tag);
        propertySize += ValidateKeys(system);
        if (propertySize > MaxUserPropertySize)
        {
            throw new ProxyException(Code.MessagePropertiesTooLarge,
                $"the total size of user property is too large, max is {MaxUserPropertySize}");
        }

        if (TextRules.IsBlank(system.MessageId))
        {
            throw new ProxyException(Code.IllegalMessageId, "message id cannot be empty");
        }

        if (system.MessageType == MessageType.Transaction && system.OrphanedTransactionRecoveryDuration is { } recovery
            && ProtoTime.ToSeconds(recovery) > MaxTransactionRecoverySeconds)
        {
            throw new ProxyException(Code.BadRequest,
                $"the max transaction recovery time of message is too large, max is {MaxTransactionRecoverySeconds}");
        }

        if (system.DeliveryTimestamp is { } delivery && maxDelayMillis > 0
            && ProtoTime.ToMillis(delivery) - nowMillis > maxDelayMillis)
        {
            throw new ProxyException(Code.IllegalDeliveryTime,
                $"the max delay time of message is too large, max is {maxDelayMillis}");
        }

        ValidateMessageGroup(system.MessageGroup);
    }

    private static void ValidateBody(Message message, int maxBodySize)
    {
        var length = message.Body.Length;
        if (length == 0)
        {
            throw new ProxyException(Code.MessageBodyEmpty, "message body cannot be empty");
        }

        if (maxBodySize > 0 && length > maxBodySize)
        {
            throw new ProxyException(Code.MessageBodyTooLarge, $"message body cannot exceed the max {maxBodySize}");
        }
    }

    private static long ValidateUserProperties(Message message)
    {
        var properties = message.UserProperties;
        if (properties.Count > MaxUserPropertyCount)
        {
            throw new ProxyException(Code.MessagePropertiesTooLarge,
                $"too many user properties, max is {MaxUserPropertyCount}");
        }

        long size = 0;
        foreach (var (key, value) in properties)
        {
            if (ReservedPropertyKeys.Contains(key))
            {
                throw new ProxyException(Code.IllegalMessagePropertyKey, $"property is used by system: {key}");
            }

            if (TextRules.ContainsControlCharacter(key))
            {
                throw new ProxyException(Code.IllegalMessagePropertyKey, "the key of property cannot contain control character");
            }

            if (TextRules.ContainsControlCharacter(value))
            {
                throw new ProxyException(Code.IllegalMessagePropertyKey, "the value of property cannot contain control character");
            }

            size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        return size;
    }

    private static int ValidateTag(string tag)
    {
        if (tag.Length == 0)
        {
            return 0;
        }

        if (TextRules.IsBlank(tag))
        {
            throw new ProxyException(Code.IllegalMessageTag, "tag cannot be the char sequence of whitespace");
        }

        if (tag.Contains('|', StringComparison.Ordinal))
        {
            throw new ProxyException(Code.IllegalMessageTag, "tag cannot contain '|'");
        }

        if (TextRules.ContainsControlCharacter(tag))
        {
            throw new ProxyException(Code.IllegalMessageTag, "tag cannot contain control character");
        }

        return Encoding.UTF8.GetByteCount(tag);
    }

    private static long ValidateKeys(SystemProperties system)
    {
        long size = 0;
        foreach (var key in system.Keys)
        {
            if (key.Length == 0)
            {
                continue;
            }

            if (TextRules.IsBlank(key))
            {
                throw new ProxyException(Code.IllegalMessageKey, "key cannot be the char sequence of whitespace");
            }

            if (TextRules.ContainsControlCharacter(key))
            {
                throw new ProxyException(Code.IllegalMessageKey, "key cannot contain control character");
            }

            size += Encoding.UTF8.GetByteCount(key);
        }

        return size;
    }

    private static void ValidateMessageGroup(string group)
    {
        if (group.Length == 0)
        {
            return;
        }

        if (TextRules.IsBlank(group))
        {
            throw new ProxyException(Code.IllegalMessageGroup, "message group cannot be the char sequence of whitespace");
        }

        if (Encoding.UTF8.GetByteCount(group) >= MaxMessageGroupBytes)
        {
            throw new ProxyException(Code.IllegalMessageGroup, $"message group exceed the max size {MaxMessageGroupBytes}");
        }

        if (TextRules.ContainsControlCharacter(group))
        {
            throw new ProxyException(Code.IllegalMessageGroup, "message group cannot contain control character");
        }
    }
}
