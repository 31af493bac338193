using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>Bad input is refused with a reply naming the field, before any network call.</summary>
public sealed class ValidationSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";

    [Theory]
    [MemberData(nameof(BadInput.Messages), MemberType = typeof(BadInput))]
    public async Task Should_refuse_a_bad_message_naming_the_field_before_any_network_call(string bad, string field)
    {
        Fake.WithTopic(Topic);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(BadInput.Message(bad, Topic), bad));

        var failed = await ExpectFailedAsync(ProducerErrorKind.InvalidMessage, correlation: bad);
        Assert.Equal(field, failed.Error.Field);
        Assert.False(failed.Error.IsRetryable);
        Assert.Equal(0, failed.Attempts);
        Assert.Null(failed.MessageId);
        Assert.Empty(Fake.Sends);
        Assert.Equal(0, Fake.CallsOf("QueryRoute"));
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_refuse_a_body_over_the_limit_the_server_sent_in_the_settings_handshake()
    {
        Fake.WithTopic(Topic).MaxBodySize = 1024;
        var producer = (await StartProducerAsync(Topic)).Actor;

        producer.Tell(new Send(new ProducerMessage(Topic, new byte[1025])));
        var failed = await ExpectFailedAsync(ProducerErrorKind.InvalidMessage);
        Assert.Equal("Body", failed.Error.Field);
        Assert.Contains("1024", failed.Error.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Sends);

        producer.Tell(new Send(new ProducerMessage(Topic, new byte[1024])));
        await ExpectSentAsync();
    }

    [Theory]
    [MemberData(nameof(BadInput.Batches), MemberType = typeof(BadInput))]
    public async Task Should_refuse_a_bad_batch_with_one_failed_outcome_per_message_before_any_network_call(string bad, string field)
    {
        Fake.WithTopic(Topic).WithTopic("payments");
        var producer = await StartProducerActorAsync();
        var messages = BadInput.Batch(bad, Topic, "payments");

        producer.Tell(new SendBatch(messages, bad));

        var reply = await ExpectMsgAsync<SendBatchCompleted>();
        Assert.Equal(bad, reply.Correlation);
        Assert.False(reply.AllSucceeded, "a refused batch must not read as a success");
        // One outcome per message; an empty batch still needs one to carry the error.
        Assert.Equal(Math.Max(1, messages.Count), reply.Outcomes.Count);
        Assert.All(reply.Outcomes, o =>
        {
            var failed = Assert.IsType<SendFailed>(o);
            Assert.Equal(ProducerErrorKind.InvalidMessage, failed.Error.Kind);
            Assert.Equal(field, failed.Error.Field);
        });
        Assert.Empty(Fake.Sends);
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_refuse_a_message_type_the_topic_does_not_accept_before_sending()
    {
        Fake.WithTopic(Topic, Apache.Rocketmq.V2.MessageType.Normal);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic, configure: m => m with { MessageGroup = "g" })));

        var failed = await ExpectFailedAsync(ProducerErrorKind.InvalidMessage);
        Assert.Contains("FIFO", failed.Error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Fake.Sends);
    }

    [Fact]
    public async Task Should_refuse_null_messages_without_disturbing_sends_in_flight()
    {
        Fake.WithTopic(Topic);
        var held = Fake.HoldNextSend();
        var producer = await StartProducerActorAsync();
        producer.Tell(new Send(Message(Topic), "in flight"));
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(5));

        producer.Tell(new Send(null!, "null message"));
        Assert.Equal("Message", (await ExpectFailedAsync(ProducerErrorKind.InvalidMessage, "null message")).Error.Field);
        producer.Tell(new SendBatch(null!, "null batch"));
        Assert.False((await ExpectMsgAsync<SendBatchCompleted>()).AllSucceeded);
        producer.Tell(new SendBatch([Message(Topic), null!], "null in batch"));
        var reply = await ExpectMsgAsync<SendBatchCompleted>();
        Assert.Equal(2, reply.Outcomes.Count);
        Assert.False(reply.AllSucceeded);

        held.Release();
        await ExpectSentAsync("in flight");
        await ExpectNoMoreRepliesAsync();
    }
}
