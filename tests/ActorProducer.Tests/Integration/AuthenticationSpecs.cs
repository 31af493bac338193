using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Integration;

/// <summary>Signed requests (MQv2-HMAC-SHA1) against a LocalBroker with authentication on.</summary>
public sealed class AuthenticationSpecs(ITestOutputHelper output) : LocalBrokerTestKit(output)
{
    protected override void Configure(LocalBrokerOptions options)
    {
        options.Users["AK"] = "secret";
        options.Topics.Add(new TopicDefinition("orders"));
    }

    [Fact]
    public async Task Should_sign_every_request_with_the_credentials_from_HOCON()
    {
        var producer = await StartProducerAsync("""credentials { access-key = "AK", secret-key = "secret" }""");

        var receipt = await producer.SendAsync(Message("orders"));

        Assert.Equal(receipt.MessageId, Assert.Single(Broker.Inspect.Messages("orders")).MessageId);
        var calls = Broker.Inspect.Requests().Where(r => r.ClientId == producer.ClientId).ToList();
        Assert.Contains(calls, r => r.Rpc == "SendMessage");
        Assert.All(calls, r => Assert.StartsWith("MQv2-HMAC-SHA1 Credential=AK, SignedHeaders=x-mq-date-time, Signature=",
            r.Headers["authorization"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_fail_sends_signed_with_a_wrong_secret_with_Unauthorized()
    {
        var producer = await StartProducerAsync("""credentials { access-key = "AK", secret-key = "wrong" }""");

        var failed = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message("orders")));

        Assert.Equal(ProducerErrorKind.Unauthorized, failed.Error.Kind);
        Assert.Equal(Apache.Rocketmq.V2.Code.Unauthorized, failed.Error.StatusCode);
        Assert.Contains("credentials", failed.Error.Message, StringComparison.Ordinal);
        Assert.Empty(Broker.Inspect.Messages("orders"));
    }

    [Fact]
    public async Task Should_fail_to_start_with_a_wrong_secret_when_topics_are_prebound()
    {
        var failure = await Assert.ThrowsAsync<Akka.Configuration.ConfigurationException>(() =>
            StartProducerAsync("""
                credentials { access-key = "AK", secret-key = "wrong" }
                topics = ["orders"]
                """));

        Assert.Contains("UNAUTHORIZED", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_fail_unsigned_sends_with_Unauthorized()
    {
        var producer = await StartProducerAsync();

        var failed = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message("orders")));

        Assert.Equal(ProducerErrorKind.Unauthorized, failed.Error.Kind);
    }
}
