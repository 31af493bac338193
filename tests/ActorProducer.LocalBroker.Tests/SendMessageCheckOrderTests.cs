using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>
/// When a request breaks several rules, the code reported is the first check in the proxy's order
/// (behavior.md §7.3): checks 3–14 run message by message, then the type and permission checks.
/// </summary>
public sealed class SendMessageCheckOrderTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    [Fact]
    public async Task SendMessage_illegal_first_topic_is_reported_before_empty_body()
    {
        var response = await client.SendAsync(TestMessage.To("bad topic").WithBody([]));

        RocketMqAssert.Rejected(Code.IllegalTopic, response);
    }

    [Fact]
    public async Task SendMessage_bad_body_in_message_1_is_reported_before_topic_mismatch_in_message_2()
    {
        var topic = fixture.CreateTopic();

        var response = await client.SendAsync(
            TestMessage.To(topic).WithBody([]),
            TestMessage.To(fixture.CreateTopic()));

        RocketMqAssert.Rejected(Code.MessageBodyEmpty, response);
    }

    [Fact]
    public async Task SendMessage_topic_mismatch_of_message_2_is_reported_before_its_own_bad_body()
    {
        var topic = fixture.CreateTopic();

        var response = await client.SendAsync(
            TestMessage.To(topic),
            TestMessage.To(fixture.CreateTopic()).WithBody([]));

        RocketMqAssert.Rejected(Code.MessageCorrupted, response);
    }

    [Fact]
    public async Task SendMessage_invalid_message_2_fails_the_whole_request_and_stores_nothing()
    {
        var topic = fixture.CreateTopic();

        var response = await client.SendAsync(TestMessage.To(topic), TestMessage.To(topic).WithTag("a|b"));

        RocketMqAssert.Rejected(Code.IllegalMessageTag, response);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task SendMessage_body_too_large_is_reported_before_too_many_properties()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.MaxBodySize = 16);
        using var small = broker.Connect();

        var response = await small.SendAsync(
            TestMessage.To(broker.CreateTopic()).WithBodySize(17).WithProperties(Properties(129)));

        RocketMqAssert.Rejected(Code.MessageBodyTooLarge, response);
    }

    [Fact]
    public async Task SendMessage_too_many_properties_is_reported_before_reserved_key()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic()).WithProperties(Properties(128)).WithProperty("KEYS", "k"));

        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, response);
    }

    [Fact]
    public async Task SendMessage_reserved_property_key_is_reported_before_illegal_tag()
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperty("UNIQ_KEY", "x").WithTag("a|b"));

        RocketMqAssert.Rejected(Code.IllegalMessagePropertyKey, response);
    }

    [Fact]
    public async Task SendMessage_illegal_tag_is_reported_before_illegal_key()
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithTag(" ").WithKeys(" "));

        RocketMqAssert.Rejected(Code.IllegalMessageTag, response);
    }

    [Fact]
    public async Task SendMessage_illegal_key_is_reported_before_oversized_properties()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic()).WithKeys("k\u0001").WithProperty("p", TestStrings.Ascii(20_000)));

        RocketMqAssert.Rejected(Code.IllegalMessageKey, response);
    }

    [Fact]
    public async Task SendMessage_oversized_properties_are_reported_before_blank_message_id()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic()).WithProperty("p", TestStrings.Ascii(20_000)).WithMessageId(""));

        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, response);
    }

    [Fact]
    public async Task SendMessage_blank_message_id_is_reported_before_illegal_delivery_time()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic(TopicMessageType.Delay)).WithMessageId("").DeliverAt(DateTimeOffset.UtcNow.AddDays(2)));

        RocketMqAssert.Rejected(Code.IllegalMessageId, response);
    }

    [Fact]
    public async Task SendMessage_transaction_recovery_over_3600_seconds_is_reported_before_illegal_delivery_time()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic(TopicMessageType.Transaction))
                .AsTransaction(TimeSpan.FromHours(2))
                .DeliverAt(DateTimeOffset.UtcNow.AddDays(2)));

        RocketMqAssert.Rejected(Code.BadRequest, response);
    }

    [Fact]
    public async Task SendMessage_illegal_delivery_time_is_reported_before_illegal_message_group()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic(TopicMessageType.Mixed)).DeliverAt(DateTimeOffset.UtcNow.AddDays(2)).WithGroup(" "));

        RocketMqAssert.Rejected(Code.IllegalDeliveryTime, response);
    }

    [Fact]
    public async Task SendMessage_illegal_message_group_is_reported_before_topic_type_mismatch()
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic(TopicMessageType.Normal)).WithGroup(" "));

        RocketMqAssert.Rejected(Code.IllegalMessageGroup, response);
    }

    [Fact]
    public async Task SendMessage_message_validation_is_reported_before_unknown_topic()
    {
        var response = await client.SendAsync(TestMessage.To(TopicNames.Unique("missing")).WithTag("a|b"));

        RocketMqAssert.Rejected(Code.IllegalMessageTag, response);
    }

    [Fact]
    public async Task SendMessage_topic_type_mismatch_is_reported_before_missing_write_permission()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Normal, permission: Permission.Read);

        var response = await client.SendAsync(TestMessage.To(topic).WithGroup("g"));

        RocketMqAssert.Rejected(Code.MessagePropertyConflictWithType, response);
    }

    private static IEnumerable<KeyValuePair<string, string>> Properties(int count)
        => Enumerable.Range(0, count).Select(i => KeyValuePair.Create($"p{i}", $"v{i}"));
}
