using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using Apache.Rocketmq.V2;

namespace ActorProducer.Conformance.Tests;

/// <summary>
/// Messages the Node client does not validate locally reach LocalBroker, which must refuse them with the proxy's
/// codes. The client retries every failed non-transactional send, so each attempt must be refused the same way.
/// </summary>
public sealed class NodeProducerValidationSpecs(DefaultBrokerFixture fixture) : IClassFixture<DefaultBrokerFixture>
{
    private LocalBroker.LocalBroker Broker => fixture.Broker;

    [Theory]
    [InlineData(TopicMessageType.Normal, new[] { "--tag", "a|b" }, Code.IllegalMessageTag)]
    [InlineData(TopicMessageType.Normal, new[] { "--property", "UNIQ_KEY=mine" }, Code.IllegalMessagePropertyKey)]
    [InlineData(TopicMessageType.Normal, new[] { "--body=" }, Code.MessageBodyEmpty)]
    [InlineData(TopicMessageType.Delay, new[] { "--delay-ms", "90000000" }, Code.IllegalDeliveryTime)]
    [InlineData(TopicMessageType.Fifo, new[] { "--message-group", "g123456789012345678901234567890123456789012345678901234567890123" }, Code.IllegalMessageGroup)]
    public async Task Should_refuse_every_attempt_of_an_invalid_message_with_the_proxys_code(TopicMessageType type, string[] message, Code expected)
    {
        var topic = fixture.NewTopic(type);

        var run = (await fixture.Node.RunAsync("send", topic, ["--prebind", "--expect", "failure", .. message])).ShouldHaveFailed();

        Assert.True(run.ErrorCode == (int)expected, $"expected code {(int)expected} ({expected}), got {run.ErrorCode}.\n{run.Diagnostics}");
        var sends = Broker.Inspect.Requests().Where(r => r.ClientId == run.ClientId && r.Rpc == nameof(BrokerRpc.SendMessage)).ToList();
        Assert.Equal(3, sends.Count); // the client's default maxAttempts
        Assert.All(sends, s => Assert.Equal(expected, s.Code));
        Assert.Empty(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_refuse_an_illegal_topic_name_at_QueryRoute_with_ILLEGAL_TOPIC()
    {
        var run = (await fixture.Node.RunAsync("send", "bad.topic", ["--expect", "failure"])).ShouldHaveFailed();

        Assert.True(run.ErrorCode == (int)Code.IllegalTopic, $"expected code 40002, got {run.ErrorCode}.\n{run.Diagnostics}");
        var requests = Broker.Inspect.Requests().Where(r => r.ClientId == run.ClientId).ToList();
        Assert.Contains(requests, r => r.Rpc == nameof(BrokerRpc.QueryRoute) && r.Code == Code.IllegalTopic);
        Assert.DoesNotContain(requests, r => r.Rpc == nameof(BrokerRpc.SendMessage));
    }
}
