using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>The proxy's topic-type check on SendMessage (behavior.md §5.2, §5.3, §7.3 row 15).</summary>
public sealed class MessageTypeTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    public enum Kind
    {
        Normal,
        Fifo,
        Delay,
        Transaction,
    }

    public static TheoryData<TopicMessageType, Kind, bool> Compatibility()
    {
        var data = new TheoryData<TopicMessageType, Kind, bool>();
        foreach (var topicType in Enum.GetValues<TopicMessageType>())
        {
            foreach (var kind in Enum.GetValues<Kind>())
            {
                var accepted = topicType == TopicMessageType.Mixed || topicType.ToString() == kind.ToString();
                data.Add(topicType, kind, accepted);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Compatibility))]
    public async Task SendMessage_accepts_a_message_type_only_on_a_topic_of_that_type_or_MIXED(TopicMessageType topicType, Kind kind, bool accepted)
    {
        var topic = fixture.CreateTopic(topicType);

        var response = await client.SendAsync(Message(topic, kind));

        if (accepted)
        {
            RocketMqAssert.Accepted(response);
        }
        else
        {
            RocketMqAssert.Rejected(Code.MessagePropertyConflictWithType, response);
        }
    }

    [Fact]
    public async Task SendMessage_derives_FIFO_from_the_message_group_whatever_message_type_says()
    {
        var normalTopic = fixture.CreateTopic(TopicMessageType.Normal);
        var fifoTopic = fixture.CreateTopic(TopicMessageType.Fifo);

        RocketMqAssert.Rejected(
            Code.MessagePropertyConflictWithType,
            await client.SendAsync(TestMessage.To(normalTopic).WithGroup("g").WithMessageType(MessageType.Normal)));
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fifoTopic).WithGroup("g").WithMessageType(MessageType.Normal)));
    }

    [Fact]
    public async Task SendMessage_derives_NORMAL_when_message_type_claims_FIFO_without_a_group()
    {
        var normalTopic = fixture.CreateTopic(TopicMessageType.Normal);

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(normalTopic).WithMessageType(MessageType.Fifo)));
    }

    [Fact]
    public async Task SendMessage_derives_DELAY_from_the_delivery_timestamp_whatever_message_type_says()
    {
        var delayTopic = fixture.CreateTopic(TopicMessageType.Delay);
        var normalTopic = fixture.CreateTopic(TopicMessageType.Normal);

        RocketMqAssert.Accepted(await client.SendAsync(
            TestMessage.To(delayTopic).DeliverAt(DateTimeOffset.UtcNow.AddMinutes(5)).WithMessageType(MessageType.Normal)));
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(normalTopic).WithMessageType(MessageType.Delay)));
    }

    [Fact]
    public async Task SendMessage_trusts_message_type_TRANSACTION_so_it_conflicts_with_a_NORMAL_topic()
    {
        var normalTopic = fixture.CreateTopic(TopicMessageType.Normal);

        RocketMqAssert.Rejected(
            Code.MessagePropertyConflictWithType,
            await client.SendAsync(TestMessage.To(normalTopic).WithMessageType(MessageType.Transaction)));
    }

    [Fact]
    public async Task SendMessage_on_MIXED_topic_keeps_a_transaction_message_invisible_until_commit()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Mixed);

        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));

        Assert.NotEmpty(entry.TransactionId);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
        Assert.Single(fixture.Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task SendMessage_with_type_check_disabled_accepts_any_message_type_on_any_topic()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.ValidateMessageType = false);
        using var lenient = broker.Connect();
        var topic = broker.CreateTopic(TopicMessageType.Normal);

        RocketMqAssert.Accepted(await lenient.SendAsync(TestMessage.To(topic).WithGroup("g")));
        RocketMqAssert.Accepted(await lenient.SendAsync(TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow.AddMinutes(1))));
    }

    private static Message Message(string topic, Kind kind) => kind switch
    {
        Kind.Normal => TestMessage.To(topic),
        Kind.Fifo => TestMessage.To(topic).WithGroup("group-1"),
        Kind.Delay => TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow.AddMinutes(10)),
        _ => TestMessage.To(topic).AsTransaction(),
    };
}
