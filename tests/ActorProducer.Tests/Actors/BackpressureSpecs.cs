using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>The in-flight cap: past it a send is refused at once with Overloaded, never queued or dropped.</summary>
public sealed class BackpressureSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";

    [Fact]
    public async Task Should_refuse_a_send_past_max_in_flight_at_once_with_Overloaded()
    {
        Fake.WithTopic(Topic);
        var first = Fake.HoldNextSend();
        var second = Fake.HoldNextSend();
        var producer = (await StartProducerAsync(s => s with { MaxInFlight = 2 })).Actor;
        producer.Tell(new Send(Message(Topic), 1));
        producer.Tell(new Send(Message(Topic), 2));
        await first.Arrived.WaitAsync(TimeSpan.FromSeconds(5));
        await second.Arrived.WaitAsync(TimeSpan.FromSeconds(5));

        producer.Tell(new Send(Message(Topic), 3));

        var refused = await ExpectFailedAsync(ProducerErrorKind.Overloaded, correlation: 3, within: TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, refused.Attempts);
        Assert.True(refused.Error.IsRetryable);
        Assert.Contains("max-in-flight", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Fake.Sends.Count);

        first.Release();
        second.Release();
        var answered = new[] { await ExpectMsgAsync<SendResult>(), await ExpectMsgAsync<SendResult>() };
        Assert.Equal([1, 2], answered.Select(r => (int)r.Correlation!).Order());

        // Capacity is back once they completed.
        producer.Tell(new Send(Message(Topic), 4));
        await ExpectSentAsync(correlation: 4);
    }

    [Fact]
    public async Task Should_count_every_message_of_a_batch_against_the_cap()
    {
        Fake.WithTopic(Topic);
        var producer = (await StartProducerAsync(s => s with { MaxInFlight = 2 })).Actor;

        producer.Tell(new SendBatch([Message(Topic), Message(Topic), Message(Topic)], "b"));

        var reply = await ExpectMsgAsync<SendBatchCompleted>();
        Assert.Equal("b", reply.Correlation);
        Assert.Equal(3, reply.Outcomes.Count);
        Assert.All(reply.Outcomes, o => Assert.Equal(ProducerErrorKind.Overloaded, Assert.IsType<SendFailed>(o).Error.Kind));
        Assert.Empty(Fake.Sends);
    }
}
