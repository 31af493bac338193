namespace ActorProducer.Messages;

/// <summary>
/// A message to publish. The message type follows from what is set: nothing → NORMAL,
/// <see cref="MessageGroup"/> → FIFO, <see cref="DeliveryTime"/> → DELAY (the two are exclusive);
/// a message sent inside a transaction is TRANSACTION and may set neither.
/// </summary>
/// <param name="Topic">Destination topic: 1..127 characters of <c>[%a-zA-Z0-9_-]</c>.</param>
/// <param name="Body">Payload; not empty and at most the server's max body size (4 MiB by default).</param>
public sealed record ProducerMessage(string Topic, ReadOnlyMemory<byte> Body)
{
    /// <summary>Optional tag for consumer-side filtering; not blank, no <c>|</c>, no control characters.</summary>
    public string? Tag { get; init; }

    /// <summary>Business keys used to look the message up; each not blank, no control characters.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>User properties; keys and values not blank, no reserved keys, at most 128 entries.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

    /// <summary>FIFO message group: messages of one group on one topic are stored and delivered in order (&lt; 64 UTF-8 bytes).</summary>
    public string? MessageGroup { get; init; }

    /// <summary>Delay message: delivered at this time (at most one day ahead; a past time means deliver now).</summary>
    public DateTimeOffset? DeliveryTime { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();

    /// <summary>Convenience: a message with a UTF-8 text body.</summary>
    public static ProducerMessage Text(string topic, string body) => new(topic, System.Text.Encoding.UTF8.GetBytes(body));
}
