using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>The happy paths of every way to send: Ask, Tell with a correlation id, the Task facade.</summary>
public sealed class SendSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    [Fact]
    public async Task Should_reply_to_a_Tell_once_with_the_receipt_and_the_callers_correlation()
    {
        Fake.WithTopic("orders");
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message("orders", "o-1"), Correlation: 42));

        var result = await ExpectSentAsync(correlation: 42);
        var sent = Assert.Single(Fake.Sends);
        var stored = Assert.Single(Fake.Stored);
        Assert.Equal(sent.MessageIds[0], result.MessageId);
        Assert.Equal(("orders", FakeCluster.DefaultBroker, stored.QueueId, stored.Offset, 1),
            (result.Topic, result.BrokerName, result.QueueId, result.Offset, result.Attempts));
        Assert.Equal("o-1", stored.Body);
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_complete_SendAsync_with_the_receipt()
    {
        Fake.WithTopic("orders");
        var producer = await StartProducerAsync();

        var result = await producer.SendAsync(Message("orders"));

        Assert.Equal(Fake.Stored.Single().Message.SystemProperties.MessageId, result.MessageId);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Should_throw_from_SendAsync_with_the_typed_error_when_the_send_fails()
    {
        Fake.WithTopic("orders");
        Fake.FailNextSends(Apache.Rocketmq.V2.Code.IllegalMessageTag);
        var producer = await StartProducerAsync();

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message("orders")));

        Assert.Equal(Apache.Rocketmq.V2.Code.IllegalMessageTag, failure.Error.StatusCode);
    }

    [Fact]
    public async Task Should_send_message_properties_as_given()
    {
        Fake.WithTopic("orders");
        var producer = await StartProducerActorAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(5);
        Fake.WithTopic("delayed", Apache.Rocketmq.V2.MessageType.Delay);

        producer.Tell(new Send(Message("orders", configure: m => m with
        {
            Tag = "TagA", Keys = ["k1", "k2"], Properties = new Dictionary<string, string> { ["region"] = "eu" },
        })));
        await ExpectSentAsync();
        producer.Tell(new Send(Message("delayed", configure: m => m with { DeliveryTime = at })));
        await ExpectSentAsync();

        var normal = Fake.Stored[0].Message;
        Assert.Equal("TagA", normal.SystemProperties.Tag);
        Assert.Equal(["k1", "k2"], normal.SystemProperties.Keys);
        Assert.Equal("eu", normal.UserProperties["region"]);
        Assert.Equal(Apache.Rocketmq.V2.MessageType.Normal, normal.SystemProperties.MessageType);
        var delayed = Fake.Stored[1].Message;
        Assert.Equal(Apache.Rocketmq.V2.MessageType.Delay, delayed.SystemProperties.MessageType);
        Assert.Equal(at.ToUnixTimeMilliseconds(), delayed.SystemProperties.DeliveryTimestamp.ToDateTimeOffset().ToUnixTimeMilliseconds());
    }
}
