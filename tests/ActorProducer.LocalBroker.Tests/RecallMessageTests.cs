using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>RecallMessage of delay messages (behavior.md §5.10, §5.11).</summary>
public sealed class RecallMessageTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    [Fact]
    public async Task Delay_message_gets_a_recall_handle_and_recalling_it_removes_the_message()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Delay);
        var message = TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow.AddHours(1));
        var kept = TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow.AddHours(1));
        var entry = RocketMqAssert.Accepted(await client.SendAsync(message));
        RocketMqAssert.Accepted(await client.SendAsync(kept));

        Assert.NotEmpty(entry.RecallHandle);
        var response = await client.RecallAsync(topic, entry.RecallHandle);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(message.MessageId, response.MessageId);
        Assert.Equal([kept.MessageId], fixture.Broker.Inspect.Messages(topic).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Normal_message_gets_no_recall_handle_and_its_topic_refuses_recall_with_MESSAGE_PROPERTY_CONFLICT_WITH_TYPE()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Normal);
        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
        var delayTopic = fixture.CreateTopic(TopicMessageType.Delay);
        var delayed = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(delayTopic).DeliverAt(DateTimeOffset.UtcNow.AddHours(1))));

        var response = await client.RecallAsync(topic, delayed.RecallHandle);

        Assert.Empty(entry.RecallHandle);
        RocketMqAssert.HasCode(Code.MessagePropertyConflictWithType, response.Status);
        Assert.Single(fixture.Broker.Inspect.Messages(topic));
        Assert.Single(fixture.Broker.Inspect.Messages(delayTopic));
    }

    [Fact]
    public async Task Recall_with_an_undecodable_handle_answers_INTERNAL_SERVER_ERROR()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Delay);

        var response = await client.RecallAsync(topic, "not-a-recall-handle");

        RocketMqAssert.HasCode(Code.InternalServerError, response.Status);
    }

    [Theory]
    [InlineData("SCHEDULE_TOPIC_XXXX")]
    [InlineData("bad topic")]
    public async Task Recall_on_an_illegal_topic_answers_ILLEGAL_TOPIC(string topic)
    {
        var response = await client.RecallAsync(topic, "handle");

        RocketMqAssert.HasCode(Code.IllegalTopic, response.Status);
    }
}
