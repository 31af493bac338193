using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Routing;
using ActorProducer.Tests.Fakes;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>FIFO: one request per message group in flight, so that retries cannot reorder a group.</summary>
public sealed class FifoSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders-fifo";

    private static ProducerMessage InGroup(string group, string body) => Message(Topic, body, m => m with { MessageGroup = group });

    [Fact]
    public async Task Should_keep_one_request_per_group_in_flight_and_preserve_order_across_retries()
    {
        Fake.WithTopic(Topic, MessageType.Fifo, queuesPerBroker: 4);
        Fake.FailNextSends(Code.InternalServerError);
        Fake.TimeOutNextSends();
        var producer = await StartProducerActorAsync();

        for (var i = 1; i <= 5; i++) producer.Tell(new Send(InGroup("order-123", $"m{i}"), i));

        for (var i = 1; i <= 5; i++)
        {
            var result = await ExpectSentAsync(i, TimeSpan.FromSeconds(5));
            Assert.Equal(i == 1 ? 3 : 1, result.Attempts);
        }
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], Fake.Stored.Select(s => s.Body));
        Assert.Equal(1, Fake.MaxGroupConcurrency);
        // One queue per group, the same for every attempt (SipHash-2-4 of the group: index 0 of 4 for "order-123").
        Assert.All(Fake.Sends, s => Assert.Equal(QueueSelector.GroupIndex("order-123", 4), s.Request.Messages[0].SystemProperties.QueueId));
        Assert.Equal(0, Fake.Stored[0].QueueId);
    }

    [Fact]
    public async Task Should_hold_the_next_message_of_a_group_until_the_previous_one_completed()
    {
        Fake.WithTopic(Topic, MessageType.Fifo);
        var first = Fake.HoldNextSend();
        var producer = await StartProducerActorAsync();
        producer.Tell(new Send(InGroup("a", "a1"), "a1"));
        await first.Arrived.WaitAsync(TimeSpan.FromSeconds(5));

        producer.Tell(new Send(InGroup("a", "a2"), "a2"));
        producer.Tell(new Send(InGroup("b", "b1"), "b1"));

        // Another group is not blocked; by the time it is done, a2 would have been sent if it were not held.
        await ExpectSentAsync("b1");
        Assert.DoesNotContain(Fake.Sends, s => s.Bodies.Contains("a2"));

        first.Release();
        await ExpectSentAsync("a1");
        await ExpectSentAsync("a2");
        Assert.Equal(["b1", "a1", "a2"], Fake.Stored.Select(s => s.Body));
    }

    [Fact]
    public async Task Should_fail_a_group_message_without_blocking_the_rest_of_the_group()
    {
        Fake.WithTopic(Topic, MessageType.Fifo);
        Fake.FailNextSends(Code.IllegalMessageGroup);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(InGroup("g", "g1"), 1));
        producer.Tell(new Send(InGroup("g", "g2"), 2));

        await ExpectFailedAsync(ProducerErrorKind.ServerRejected, 1);
        await ExpectSentAsync(2);
    }

    [Fact]
    public async Task Should_send_a_FIFO_batch_of_one_group_in_one_request()
    {
        Fake.WithTopic(Topic, MessageType.Fifo);
        var producer = await StartProducerActorAsync();

        producer.Tell(new SendBatch([InGroup("g", "1"), InGroup("g", "2"), InGroup("g", "3")]));

        Assert.True((await ExpectMsgAsync<SendBatchCompleted>()).AllSucceeded);
        Assert.Equal(["1", "2", "3"], Assert.Single(Fake.Sends).Bodies);
    }
}
