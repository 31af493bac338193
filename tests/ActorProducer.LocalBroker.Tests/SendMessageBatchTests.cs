using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Several messages in one SendMessageRequest (behavior.md §5.9, §7.3 row 19).</summary>
public sealed class SendMessageBatchTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    [Fact]
    public async Task SendMessage_batch_answers_one_OK_entry_per_message_in_request_order()
    {
        var topic = fixture.CreateTopic();
        TestMessage[] batch = [TestMessage.To(topic).WithBody("a"), TestMessage.To(topic).WithBody("b"), TestMessage.To(topic).WithBody("c")];

        var response = await client.SendAsync(batch.Select(m => m.Build()).ToArray());

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(batch.Select(m => m.MessageId), response.Entries.Select(e => e.MessageId));
        Assert.All(response.Entries, e => RocketMqAssert.HasCode(Code.Ok, e.Status));
    }

    [Fact]
    public async Task SendMessage_batch_goes_to_one_queue_with_consecutive_offsets()
    {
        var topic = fixture.CreateTopic();
        var batch = Enumerable.Range(0, 5).Select(i => TestMessage.To(topic).WithBody($"m{i}").Build()).ToArray();

        var response = await client.SendAsync(batch);

        var stored = fixture.Broker.Inspect.Messages(topic);
        Assert.Equal(5, stored.Count);
        Assert.Single(stored.Select(m => (m.BrokerName, m.QueueId)).Distinct());
        Assert.Equal(batch.Select(m => m.SystemProperties.MessageId), stored.Select(m => m.MessageId));
        var first = stored[0].Offset;
        Assert.Equal(Enumerable.Range(0, 5).Select(i => first + i), stored.Select(m => m.Offset));
        Assert.Equal(stored.Select(m => m.Offset), response.Entries.Select(e => e.Offset));
    }

    [Fact]
    public async Task SendMessage_batch_with_different_topic_in_later_message_answers_MESSAGE_CORRUPTED()
    {
        var topic = fixture.CreateTopic();
        var other = fixture.CreateTopic();

        var response = await client.SendAsync(TestMessage.To(topic), TestMessage.To(topic), TestMessage.To(other));

        RocketMqAssert.Rejected(Code.MessageCorrupted, response);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
        Assert.Empty(fixture.Broker.Inspect.Messages(other));
    }

    [Fact]
    public async Task SendMessage_batch_with_same_topic_name_in_another_namespace_answers_MESSAGE_CORRUPTED()
    {
        var topic = fixture.CreateTopic();

        var response = await client.SendAsync(TestMessage.To(topic), TestMessage.To(topic).InNamespace("other-namespace"));

        RocketMqAssert.Rejected(Code.MessageCorrupted, response);
    }

    [Fact]
    public async Task SendMessage_batch_type_check_uses_the_first_message_only_so_a_later_FIFO_message_passes()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Normal);

        var response = await client.SendAsync(TestMessage.To(topic), TestMessage.To(topic).WithGroup("g"));

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(2, response.Entries.Count);
    }

    [Fact]
    public async Task SendMessage_batch_whose_first_message_mismatches_the_topic_type_answers_MESSAGE_PROPERTY_CONFLICT_WITH_TYPE()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Normal);

        var response = await client.SendAsync(TestMessage.To(topic).WithGroup("g"), TestMessage.To(topic));

        RocketMqAssert.Rejected(Code.MessagePropertyConflictWithType, response);
    }
}
