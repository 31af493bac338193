using System.Buffers.Binary;
using System.Security.Cryptography;
using Apache.Rocketmq.V2;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.Testing;

/// <summary>Message ids in the v1 layout of behavior.md §3.2 (34 upper-hex chars starting with <c>01</c>), unique per call.</summary>
public static class MessageIds
{
    private static readonly byte[] FakeMac = RandomNumberGenerator.GetBytes(6);
    private static int sequence;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        FakeMac.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[6..], (ushort)Environment.ProcessId);
        var seconds = DateTimeOffset.UtcNow - new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[8..], (uint)seconds.TotalSeconds);
        BinaryPrimitives.WriteInt32BigEndian(bytes[12..], Interlocked.Increment(ref sequence));
        return "01" + Convert.ToHexString(bytes);
    }
}

/// <summary>
/// Builds a valid <see cref="Message"/> as an official producer fills it (behavior.md §5.2); every part can be
/// made invalid for negative tests. The message type follows the client rule unless set explicitly.
/// </summary>
public sealed class TestMessage
{
    private readonly Message message;
    private bool transaction;
    private MessageType? explicitType;

    private TestMessage(string topic)
    {
        message = new Message
        {
            Topic = new Resource { Name = topic },
            Body = ByteString.CopyFromUtf8("hello"),
            SystemProperties = new SystemProperties
            {
                MessageId = MessageIds.New(),
                BodyEncoding = Apache.Rocketmq.V2.Encoding.Identity,
                BornTimestamp = Timestamp.FromDateTime(DateTime.UtcNow),
                BornHost = "test-host",
            },
        };
    }

    /// <summary>A NORMAL message to <paramref name="topic"/> with body "hello" and a fresh message id.</summary>
    public static TestMessage To(string topic) => new(topic);

    public string MessageId => message.SystemProperties.MessageId;

    public TestMessage InNamespace(string resourceNamespace)
    {
        message.Topic.ResourceNamespace = resourceNamespace;
        return this;
    }

    public TestMessage WithBody(string text) => WithBody(System.Text.Encoding.UTF8.GetBytes(text));

    public TestMessage WithBody(byte[] body)
    {
        message.Body = ByteString.CopyFrom(body);
        return this;
    }

    /// <summary>A body of exactly <paramref name="bytes"/> bytes.</summary>
    public TestMessage WithBodySize(int bytes)
    {
        var body = new byte[bytes];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        return WithBody(body);
    }

    public TestMessage WithTag(string tag)
    {
        message.SystemProperties.Tag = tag;
        return this;
    }

    public TestMessage WithKeys(params string[] keys)
    {
        message.SystemProperties.Keys.Clear();
        message.SystemProperties.Keys.AddRange(keys);
        return this;
    }

    /// <summary>Sets the message group: a FIFO message.</summary>
    public TestMessage WithGroup(string group)
    {
        message.SystemProperties.MessageGroup = group;
        return this;
    }

    /// <summary>Sets the delivery timestamp: a DELAY message.</summary>
    public TestMessage DeliverAt(DateTimeOffset at)
    {
        message.SystemProperties.DeliveryTimestamp = Timestamp.FromDateTimeOffset(at);
        return this;
    }

    /// <summary>Marks it as the half message of a transaction (TRANSACTION), optionally with a recovery duration.</summary>
    public TestMessage AsTransaction(TimeSpan? orphanedRecovery = null)
    {
        transaction = true;
        if (orphanedRecovery is { } recovery)
        {
            message.SystemProperties.OrphanedTransactionRecoveryDuration = Duration.FromTimeSpan(recovery);
        }

        return this;
    }

    public TestMessage WithProperty(string key, string value)
    {
        message.UserProperties[key] = value;
        return this;
    }

    public TestMessage WithProperties(IEnumerable<KeyValuePair<string, string>> properties)
    {
        foreach (var (key, value) in properties)
        {
            message.UserProperties[key] = value;
        }

        return this;
    }

    public TestMessage WithMessageId(string messageId)
    {
        message.SystemProperties.MessageId = messageId;
        return this;
    }

    /// <summary>Overrides the <c>message_type</c> field (the proxy trusts it only for TRANSACTION).</summary>
    public TestMessage WithMessageType(MessageType type)
    {
        explicitType = type;
        return this;
    }

    public TestMessage WithQueueId(int queueId)
    {
        message.SystemProperties.QueueId = queueId;
        return this;
    }

    /// <summary>Any other change, including ones no real client would make.</summary>
    public TestMessage Mutate(Action<Message> change)
    {
        change(message);
        return this;
    }

    public Message Build()
    {
        var built = message.Clone();
        if (built.SystemProperties is { } system)
        {
            system.MessageType = explicitType ?? DerivedType(system);
        }

        return built;
    }

    public static implicit operator Message(TestMessage builder) => builder.Build();

    private MessageType DerivedType(SystemProperties system)
    {
        if (transaction)
        {
            return MessageType.Transaction;
        }

        if (system.HasMessageGroup)
        {
            return MessageType.Fifo;
        }

        return system.DeliveryTimestamp is not null ? MessageType.Delay : MessageType.Normal;
    }
}

/// <summary>Strings sized in UTF-8 bytes, for the proxy's byte-counted limits.</summary>
public static class TestStrings
{
    /// <summary>An ASCII string of exactly <paramref name="length"/> characters.</summary>
    public static string Ascii(int length, char fill = 'x') => new(fill, length);

    /// <summary><paramref name="count"/> copies of 'é' (2 UTF-8 bytes each).</summary>
    public static string TwoByteChars(int count) => new('é', count);

    public static int Utf8Length(string text) => System.Text.Encoding.UTF8.GetByteCount(text);
}
