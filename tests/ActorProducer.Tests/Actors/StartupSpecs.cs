using Akka.Configuration;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>Start-up with prebound topics (behavior.md §4.2): routes fetched and validated before the producer runs.</summary>
public sealed class StartupSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    [Fact]
    public async Task Should_fail_to_start_with_a_clear_message_when_a_prebound_topic_is_missing()
    {
        Fake.WithTopic("orders");

        var failure = await Assert.ThrowsAsync<ConfigurationException>(() => StartProducerAsync("orders", "missing"));

        Assert.Contains("'missing'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", failure.Message, StringComparison.Ordinal);
        Assert.Contains(FakeCluster.AccessPointText, failure.Message, StringComparison.Ordinal);
        // A definite answer is not retried.
        Assert.Equal(2, Fake.CallsOf("QueryRoute"));
    }

    [Fact]
    public async Task Should_start_after_transient_route_failures_of_a_prebound_topic()
    {
        Fake.WithTopic("orders");
        Fake.FailNextRouteQueries(Code.InternalServerError, count: 2);

        var producer = await StartProducerAsync(s => s with { PreboundTopics = ["orders"], ReconnectMinBackoff = TimeSpan.FromMilliseconds(10) });

        Assert.Equal(3, Fake.CallsOf("QueryRoute"));
        await producer.SendAsync(Message("orders"));
    }

    [Fact]
    public async Task Should_fail_to_start_when_the_startup_attempts_are_used_up()
    {
        Fake.WithTopic("orders");
        Fake.FailNextRouteQueries(Code.InternalServerError, count: 3);

        var failure = await Assert.ThrowsAsync<ConfigurationException>(() =>
            StartProducerAsync(s => s with { PreboundTopics = ["orders"], ReconnectMinBackoff = TimeSpan.FromMilliseconds(10) }));

        Assert.Contains("after 3 attempt(s)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, Fake.CallsOf("QueryRoute"));
    }

    [Fact]
    public async Task Should_announce_prebound_topics_and_later_topics_in_its_settings()
    {
        Fake.WithTopic("orders").WithTopic("audit");
        var producer = await StartProducerAsync("orders");
        Assert.Contains(Fake.ClientSettingsReceived, s => s.Publishing.Topics.Any(t => t.Name == "orders"));

        await producer.SendAsync(Message("audit"));

        await AwaitFakeAsync(f => f.ClientSettingsReceived.Any(s => s.Publishing.Topics.Select(t => t.Name).Order().SequenceEqual(["audit", "orders"])),
            "the settings re-sent after the first send to 'audit' list both topics");
        Assert.All(Fake.ClientSettingsReceived, s => Assert.Equal(ClientType.Producer, s.ClientType));
    }

    [Fact]
    public async Task Should_fail_sends_to_a_topic_that_does_not_exist_without_retrying()
    {
        Fake.WithTopic("orders");
        var producer = await StartProducerAsync();

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message("nope")));

        Assert.Equal(ProducerErrorKind.TopicNotFound, failure.Error.Kind);
        Assert.Contains("'nope'", failure.Error.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Sends);
    }
}
