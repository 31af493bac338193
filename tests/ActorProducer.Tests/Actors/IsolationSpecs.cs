using Akka.Actor;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>Endpoint isolation (behavior.md §5.5): skip an endpoint after a failed attempt until a heartbeat to it succeeds.</summary>
public sealed class IsolationSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";
    private const string Other = "broker-1";

    private async Task<IActorRef> StartOnTwoBrokersAsync()
    {
        Fake.WithBroker(Other, "127.0.0.2:8081").WithTopic(Topic, queuesPerBroker: 1, brokers: [FakeCluster.DefaultBroker, Other]);
        var producer = await StartProducerActorAsync();
        // Warm up: both connections handshaken and used once (round-robin alternates the first candidate).
        for (var i = 0; i < 2; i++)
        {
            producer.Tell(new Send(Message(Topic)));
            await ExpectSentAsync();
        }
        Assert.Equal(2, Fake.Sends.Select(s => s.Endpoint).Distinct().Count());
        return producer;
    }

    private async Task<SendResult> SendAsync(IActorRef producer)
    {
        producer.Tell(new Send(Message(Topic)));
        return await ExpectSentAsync();
    }

    [Fact]
    public async Task Should_isolate_an_endpoint_after_a_failed_attempt_and_send_elsewhere_until_a_heartbeat_succeeds()
    {
        var producer = await StartOnTwoBrokersAsync();
        var down = Fake.EndpointOf(Other);
        Fake.TakeDown(Other);
        var before = Fake.Sends.Count;

        for (var i = 0; i < 6; i++) Assert.Equal(FakeCluster.DefaultBroker, (await SendAsync(producer)).BrokerName);

        // One attempt found it down; every later send skipped it.
        Assert.Equal(1, Fake.Sends.Skip(before).Count(s => s.Endpoint == down));

        Fake.BringUp(Other);
        await AwaitAssertAsync(async () =>
        {
            var results = new[] { await SendAsync(producer), await SendAsync(producer) };
            Assert.Contains(results, r => r.BrokerName == Other);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Should_not_isolate_an_endpoint_for_an_answer_that_says_nothing_about_its_health()
    {
        var producer = await StartOnTwoBrokersAsync();
        Fake.FailNextSends(Code.IllegalMessageTag);
        producer.Tell(new Send(Message(Topic)));
        await ExpectMsgAsync<SendFailed>();
        var before = Fake.Sends.Count;

        await SendAsync(producer);
        await SendAsync(producer);

        Assert.Equal(2, Fake.Sends.Skip(before).Select(s => s.Endpoint).Distinct().Count());
    }

    [Fact]
    public async Task Should_still_send_to_an_isolated_endpoint_when_it_is_the_only_one()
    {
        Fake.WithTopic(Topic);
        Fake.FailNextSends(Code.InternalServerError, count: 3);
        var producer = await StartProducerActorAsync();
        producer.Tell(new Send(Message(Topic)));
        await ExpectMsgAsync<SendFailed>();

        var result = await SendAsync(producer);

        Assert.Equal(1, result.Attempts);
    }
}
