using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>Explicit batches: one request, one reply with one outcome per message, in order.</summary>
public sealed class BatchSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";

    private static IReadOnlyList<ProducerMessage> Three() => [Message(Topic, "1"), Message(Topic, "2"), Message(Topic, "3")];

    [Fact]
    public async Task Should_send_a_batch_in_one_request_and_reply_once_with_an_outcome_per_message()
    {
        Fake.WithTopic(Topic);
        var producer = await StartProducerActorAsync();

        producer.Tell(new SendBatch(Three(), "batch"));

        var reply = await ExpectMsgAsync<SendBatchCompleted>();
        Assert.Equal("batch", reply.Correlation);
        var request = Assert.Single(Fake.Sends);
        Assert.Equal(["1", "2", "3"], request.Bodies);
        var results = reply.Outcomes.Select(o => Assert.IsType<SendResult>(o)).ToArray();
        Assert.Equal(request.MessageIds, results.Select(r => r.MessageId));
        Assert.Equal(3, results.Select(r => r.MessageId).Distinct().Count());
        Assert.All(results, r => Assert.Equal("batch", r.Correlation));
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_retry_only_the_failed_messages_of_a_batch()
    {
        Fake.WithTopic(Topic);
        Fake.AnswerNextSendPerEntry(Code.Ok, Code.InternalServerError, Code.Ok);
        var producer = await StartProducerAsync();

        var reply = await producer.SendBatchAsync(Three());

        Assert.True(reply.AllSucceeded);
        Assert.Equal([1, 2, 1], reply.Outcomes.Cast<SendResult>().Select(r => r.Attempts));
        Assert.Equal(2, Fake.Sends.Count);
        Assert.Equal(["2"], Fake.Sends[1].Bodies);
        Assert.Equal(Fake.Sends[0].MessageIds[1], Fake.Sends[1].MessageIds[0]);
        Assert.Equal(["1", "3", "2"], Fake.Stored.Select(s => s.Body));
    }

    [Fact]
    public async Task Should_report_a_failed_entry_on_its_own_message_only()
    {
        Fake.WithTopic(Topic);
        Fake.AnswerNextSendPerEntry(Code.Ok, Code.MessagePropertiesTooLarge, Code.Ok);
        var producer = await StartProducerAsync();

        var reply = await producer.SendBatchAsync(Three());

        Assert.IsType<SendResult>(reply.Outcomes[0]);
        var failed = Assert.IsType<SendFailed>(reply.Outcomes[1]);
        Assert.Equal(Code.MessagePropertiesTooLarge, failed.Error.StatusCode);
        Assert.Equal(Fake.Sends[0].MessageIds[1], failed.MessageId);
        Assert.IsType<SendResult>(reply.Outcomes[2]);
        Assert.Single(Fake.Sends);
    }

    [Fact]
    public async Task Should_fail_every_message_of_a_batch_the_server_rejected_as_a_whole()
    {
        Fake.WithTopic(Topic);
        Fake.FailNextSends(Code.MessageCorrupted);
        var producer = await StartProducerAsync();

        var reply = await producer.SendBatchAsync(Three());

        Assert.Equal(3, reply.Outcomes.Count);
        Assert.All(reply.Outcomes, o => Assert.Equal(Code.MessageCorrupted, Assert.IsType<SendFailed>(o).Error.StatusCode));
    }
}

/// <summary>Auto-batching: concurrent single sends to one topic share a request; each caller still gets its own reply.</summary>
public sealed class AutoBatchingSpecs(ITestOutputHelper output)
    : ProducerTestKit(output, "akka.rocketmq.producer.batching { enabled = on, linger = 10s, max-messages = 4 }")
{
    private const string Topic = "orders";

    [Fact]
    public async Task Should_combine_concurrent_sends_into_one_request()
    {
        Fake.WithTopic(Topic);
        var producer = await StartProducerActorAsync();

        for (var i = 0; i < 4; i++) producer.Tell(new Send(Message(Topic, $"m{i}"), i));

        var results = new List<SendResult>();
        for (var i = 0; i < 4; i++) results.Add(await ExpectMsgAsync<SendResult>());
        Assert.Equal([0, 1, 2, 3], results.Select(r => (int)r.Correlation!).Order());
        var request = Assert.Single(Fake.Sends);
        Assert.Equal(["m0", "m1", "m2", "m3"], request.Bodies);
        Assert.Equal(request.MessageIds.Order(), results.Select(r => r.MessageId).Order());
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_flush_a_partial_batch_when_the_linger_expires()
    {
        Fake.WithTopic(Topic);
        var producer = (await StartProducerAsync(s => s with { BatchLinger = TimeSpan.FromMilliseconds(100) })).Actor;

        producer.Tell(new Send(Message(Topic, "alone"), "alone"));

        await ExpectSentAsync("alone");
        Assert.Equal(["alone"], Assert.Single(Fake.Sends).Bodies);
    }

    [Fact]
    public async Task Should_retry_the_failed_part_of_an_auto_batch_and_answer_each_caller()
    {
        Fake.WithTopic(Topic);
        Fake.AnswerNextSendPerEntry(Code.Ok, Code.InternalServerError, Code.Ok, Code.Ok);
        var producer = await StartProducerActorAsync();

        for (var i = 0; i < 4; i++) producer.Tell(new Send(Message(Topic, $"m{i}"), i));

        var results = new List<SendResult>();
        for (var i = 0; i < 4; i++) results.Add(await ExpectMsgAsync<SendResult>());
        Assert.Equal(2, results.Single(r => (int)r.Correlation! == 1).Attempts);
        Assert.Equal(["m1"], Fake.Sends[1].Bodies);
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_not_batch_FIFO_messages()
    {
        Fake.WithTopic("fifo", MessageType.Fifo);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message("fifo", "1", m => m with { MessageGroup = "g" }), 1));
        producer.Tell(new Send(Message("fifo", "2", m => m with { MessageGroup = "g" }), 2));

        await ExpectSentAsync(1);
        await ExpectSentAsync(2);
        Assert.All(Fake.Sends, s => Assert.Single(s.Bodies));
    }
}
