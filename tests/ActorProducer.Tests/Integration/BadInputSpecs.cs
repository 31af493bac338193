using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Integration;

/// <summary>Bad input is refused by the producer itself: LocalBroker never sees a SendMessage for it.</summary>
public sealed class BadInputSpecs(ITestOutputHelper output) : LocalBrokerTestKit(output)
{
    private const int ServerMaxBodySize = 1024;

    protected override void Configure(LocalBrokerOptions options)
    {
        options.MaxBodySize = ServerMaxBodySize;
        options.Topics.Add(new TopicDefinition("orders"));
        options.Topics.Add(new TopicDefinition("payments"));
    }

    [Theory]
    [MemberData(nameof(BadInput.Messages), MemberType = typeof(BadInput))]
    public async Task Should_refuse_a_bad_message_without_sending_it(string bad, string field)
    {
        var producer = await StartProducerAsync("""topics = ["orders"]""");

        var refused = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(BadInput.Message(bad, "orders")));

        Assert.Equal((ProducerErrorKind.InvalidMessage, field), (refused.Error.Kind, refused.Error.Field));
        Assert.Equal(0, SendRequests());
    }

    [Theory]
    [MemberData(nameof(BadInput.Batches), MemberType = typeof(BadInput))]
    public async Task Should_refuse_a_bad_batch_without_sending_it(string bad, string field)
    {
        var producer = await StartProducerAsync("""topics = ["orders"]""");

        var reply = await producer.SendBatchAsync(BadInput.Batch(bad, "orders", "payments"));

        Assert.All(reply.Outcomes, o => Assert.Equal(field, Assert.IsType<SendFailed>(o).Error.Field));
        Assert.Equal(0, SendRequests());
    }

    [Fact]
    public async Task Should_refuse_a_body_over_the_limit_learned_from_the_settings_handshake()
    {
        var producer = await StartProducerAsync("""topics = ["orders"]""");

        var refused = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(new ProducerMessage("orders", new byte[ServerMaxBodySize + 1])));
        Assert.Equal("Body", refused.Error.Field);
        Assert.Contains($"{ServerMaxBodySize}", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, SendRequests());

        await producer.SendAsync(new ProducerMessage("orders", new byte[ServerMaxBodySize]));
        Assert.Single(Broker.Inspect.Messages("orders"));
    }

    [Fact]
    public async Task Should_refuse_sends_after_shutdown_with_ShuttingDown()
    {
        var producer = await StartProducerAsync();
        await producer.SendAsync(Message("orders"));

        await producer.DisposeAsync();

        var refused = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message("orders")));
        Assert.Equal(ProducerErrorKind.ShuttingDown, refused.Error.Kind);
        Assert.Equal(1, SendRequests());
        Assert.Contains(Broker.Inspect.Requests(), r => r.Rpc == "NotifyClientTermination" && r.ClientId == producer.ClientId);
    }

    [Fact]
    public async Task Should_fail_a_send_to_a_topic_the_cluster_does_not_have_naming_it()
    {
        var producer = await StartProducerAsync();

        var failed = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message("no-such-topic")));

        Assert.Equal(ProducerErrorKind.TopicNotFound, failed.Error.Kind);
        Assert.Contains("'no-such-topic'", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, SendRequests());
    }

    [Fact]
    public async Task Should_fail_to_start_when_a_prebound_topic_is_missing()
    {
        var failure = await Assert.ThrowsAsync<Akka.Configuration.ConfigurationException>(() =>
            StartProducerAsync("""topics = ["orders", "missing"]"""));

        Assert.Contains("'missing'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Broker.Endpoint, failure.Message, StringComparison.Ordinal);
    }
}
