using ActorProducer.Messages;


namespace ActorProducer.Tests.Fakes;

/// <summary>
/// The catalogue of bad input a producer must refuse locally, by name, with the field its error names. Shared by the
/// fake-transport specs and the LocalBroker specs so both check the same cases.
/// </summary>
public static class BadInput
{
    /// <summary>Case name → field named in the error.</summary>
    public static TheoryData<string, string> Messages => new()
    {
        { "empty topic", "Topic" },
        { "illegal topic", "Topic" },
        { "topic over 127 characters", "Topic" },
        { "empty body", "Body" },
        { "blank tag", "Tag" },
        { "tag with a bar", "Tag" },
        { "blank key", "Keys" },
        { "reserved property key", "Properties" },
        { "blank property value", "Properties" },
        { "group and delivery time", "DeliveryTime" },
        { "delivery time over a day ahead", "DeliveryTime" },
        { "group of 64 bytes", "MessageGroup" },
    };

    /// <summary>The bad message called <paramref name="name"/>, for <paramref name="topic"/> where the case is not about the topic.</summary>
    public static ProducerMessage Message(string name, string topic) => name switch
    {
        "empty topic" => TestMessages.Message(""),
        "illegal topic" => TestMessages.Message("orders!"),
        "topic over 127 characters" => TestMessages.Message(new string('t', 128)),
        "empty body" => new ProducerMessage(topic, ReadOnlyMemory<byte>.Empty),
        "blank tag" => TestMessages.Message(topic, configure: m => m with { Tag = "  " }),
        "tag with a bar" => TestMessages.Message(topic, configure: m => m with { Tag = "a|b" }),
        "blank key" => TestMessages.Message(topic, configure: m => m with { Keys = ["k1", " "] }),
        "reserved property key" => TestMessages.Message(topic, configure: m => m with { Properties = new Dictionary<string, string> { ["UNIQ_KEY"] = "x" } }),
        "blank property value" => TestMessages.Message(topic, configure: m => m with { Properties = new Dictionary<string, string> { ["a"] = "" } }),
        "group and delivery time" => TestMessages.Message(topic, configure: m => m with { MessageGroup = "g", DeliveryTime = DateTimeOffset.UtcNow.AddMinutes(1) }),
        "delivery time over a day ahead" => TestMessages.Message(topic, configure: m => m with { DeliveryTime = DateTimeOffset.UtcNow.AddDays(1).AddMinutes(5) }),
        "group of 64 bytes" => TestMessages.Message(topic, configure: m => m with { MessageGroup = new string('g', 64) }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Case name → field named in the error.</summary>
    public static TheoryData<string, string> Batches => new()
    {
        { "empty batch", "Messages" },
        { "mixed topics", "Topic" },
        { "mixed types", "Messages" },
        { "mixed groups", "MessageGroup" },
        { "one bad message", "Tag" },
    };

    /// <summary>The bad batch called <paramref name="name"/>, to <paramref name="topic"/> (and <paramref name="otherTopic"/> when mixing topics).</summary>
    public static IReadOnlyList<ProducerMessage> Batch(string name, string topic, string otherTopic) => name switch
    {
        "empty batch" => [],
        "mixed topics" => [TestMessages.Message(topic), TestMessages.Message(otherTopic)],
        "mixed types" => [TestMessages.Message(topic), TestMessages.Message(topic, configure: m => m with { MessageGroup = "g" })],
        "mixed groups" => [TestMessages.Message(topic, configure: m => m with { MessageGroup = "g1" }), TestMessages.Message(topic, configure: m => m with { MessageGroup = "g2" })],
        "one bad message" => [TestMessages.Message(topic), TestMessages.Message(topic, configure: m => m with { Tag = "a|b" })],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
