using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using Apache.Rocketmq.V2;

namespace ActorProducer.Conformance.Tests;

/// <summary>The Node client adopts LocalBroker's max_body_size from the Settings reply and enforces it locally.</summary>
public sealed class NodeProducerBodyLimitSpecs(SmallBodyLimitBrokerFixture fixture) : IClassFixture<SmallBodyLimitBrokerFixture>
{
    private const int Limit = SmallBodyLimitBrokerFixture.MaxBodySize;

    private LocalBroker.LocalBroker Broker => fixture.Broker;

    [Fact]
    public async Task Should_refuse_a_body_over_the_server_limit_without_sending_it()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);

        // --prebind: start-up waits for the Settings reply, so the limit is known before the send.
        var run = (await fixture.Node.RunAsync("send", topic, ["--prebind", "--body-size", $"{Limit + 1}", "--expect", "failure"]))
            .ShouldHaveFailed();

        Assert.Contains($"max size={Limit} bytes", run.ErrorMessage);
        Assert.Null(run.ErrorCode);
        var requests = Broker.Inspect.Requests().Where(r => r.ClientId == run.ClientId).ToList();
        Assert.Contains(requests, r => r.Rpc == nameof(BrokerRpc.QueryRoute));
        Assert.DoesNotContain(requests, r => r.Rpc == nameof(BrokerRpc.SendMessage));
        Assert.Empty(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_send_a_body_of_exactly_the_server_limit()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);

        var run = (await fixture.Node.RunAsync("send", topic, ["--prebind", "--body-size", $"{Limit}"])).ShouldHaveSucceeded();

        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(run.Required("messageId").GetValue<string>(), stored.MessageId);
        Assert.Equal(Limit, stored.Body.Length);
    }
}
