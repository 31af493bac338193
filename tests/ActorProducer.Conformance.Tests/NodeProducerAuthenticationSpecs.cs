using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using Apache.Rocketmq.V2;

namespace ActorProducer.Conformance.Tests;

/// <summary>The Node client's request signing (MQv2-HMAC-SHA1 over a UTC x-mq-date-time) against LocalBroker with users.</summary>
public sealed class NodeProducerAuthenticationSpecs(AuthenticatingBrokerFixture fixture) : IClassFixture<AuthenticatingBrokerFixture>
{
    private LocalBroker.LocalBroker Broker => fixture.Broker;

    [Fact]
    public async Task Should_accept_a_send_signed_with_the_right_credentials()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);

        var run = (await fixture.Node.RunAsync("send", topic, ["--prebind"], AuthenticatingBrokerFixture.User)).ShouldHaveSucceeded();

        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(run.Required("messageId").GetValue<string>(), stored.MessageId);
        var requests = Broker.Inspect.Requests().Where(r => r.ClientId == run.ClientId).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r =>
        {
            Assert.StartsWith($"MQv2-HMAC-SHA1 Credential={AuthenticatingBrokerFixture.User.AccessKey}, SignedHeaders=x-mq-date-time, Signature=", r.Headers["authorization"]);
            Assert.NotEqual(Code.Unauthorized, r.Code);
        });
    }

    [Fact]
    public async Task Should_fail_with_UNAUTHORIZED_and_store_nothing_when_the_secret_is_wrong()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);
        var wrong = AuthenticatingBrokerFixture.User with { AccessSecret = "not-the-secret" };

        var run = (await fixture.Node.RunAsync("send", topic, ["--expect", "failure"], wrong)).ShouldHaveFailed();

        Assert.True(run.ErrorCode == (int)Code.Unauthorized, $"expected code 40100, got {run.ErrorCode}.\n{run.Diagnostics}");
        Assert.Equal("UnauthorizedException", run.ErrorName);
        Assert.Empty(Broker.Inspect.Messages(topic));
        var requests = Broker.Inspect.Requests().Where(r => r.ClientId == run.ClientId).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(Code.Unauthorized, r.Code));
        Assert.DoesNotContain(requests, r => r.Rpc == nameof(BrokerRpc.SendMessage) && r.Code == Code.Ok);
    }
}
