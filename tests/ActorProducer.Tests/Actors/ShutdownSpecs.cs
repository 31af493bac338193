using Akka.Actor;
using ActorProducer.Actors;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>Graceful shutdown: drain what is in flight (bounded), refuse what comes after, say goodbye to the servers.</summary>
public sealed class ShutdownSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";

    [Fact]
    public async Task Should_let_a_send_in_flight_complete_before_shutdown_completes()
    {
        Fake.WithTopic(Topic);
        var held = Fake.HoldNextSend();
        var producer = await StartProducerAsync();
        producer.Actor.Tell(new Send(Message(Topic), "in flight"));
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(5));

        var disposal = producer.DisposeAsync().AsTask();
        // Draining: new sends are refused while the old one is still open.
        producer.Actor.Tell(new Send(Message(Topic), "late"));
        await ExpectFailedAsync(ProducerErrorKind.ShuttingDown, "late");
        Assert.False(disposal.IsCompleted, "shutdown completed while a send was still in flight");

        held.Release();
        await ExpectSentAsync("in flight");
        await disposal.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(Fake.Sends);
        Assert.Equal(1, Fake.CallsOf("NotifyClientTermination", FakeCluster.AccessPoint));
        Assert.Equal(1, Fake.CallsOf("TelemetryCompleted", FakeCluster.AccessPoint));
    }

    [Fact]
    public async Task Should_fail_sends_still_in_flight_after_the_drain_timeout_with_ShuttingDown()
    {
        Fake.WithTopic(Topic);
        var held = Fake.HoldNextSend();
        var producer = await StartProducerAsync(s => s with { ShutdownDrainTimeout = TimeSpan.FromMilliseconds(300), RequestTimeout = TimeSpan.FromSeconds(5) });
        producer.Actor.Tell(new Send(Message(Topic), "stuck"));
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(5));

        producer.Actor.Tell(new ProducerActor.Shutdown("test"));

        // The failure reaches the caller before shutdown reports completion (after which the actor is stopped).
        var failed = await ExpectFailedAsync(ProducerErrorKind.ShuttingDown, "stuck", TimeSpan.FromSeconds(3));
        Assert.Contains("drain timeout", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await ExpectMsgAsync<ProducerActor.ShutdownCompleted>()).FailedOnDrainTimeout);

        held.Release();
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_refuse_sends_after_shutdown_with_ShuttingDown_without_any_network_call()
    {
        Fake.WithTopic(Topic);
        var producer = await StartProducerAsync();
        await producer.SendAsync(Message(Topic));
        await producer.DisposeAsync();

        var refused = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message(Topic)).WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(ProducerErrorKind.ShuttingDown, refused.Error.Kind);
        var batch = await producer.SendBatchAsync([Message(Topic)]).WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(ProducerErrorKind.ShuttingDown, Assert.IsType<SendFailed>(Assert.Single(batch.Outcomes)).Error.Kind);
        Assert.Single(Fake.Sends);
    }

    [Fact]
    public async Task Should_notify_every_connected_endpoint_on_shutdown()
    {
        Fake.WithBroker("broker-1", "127.0.0.2:8081").WithTopic(Topic, queuesPerBroker: 1, brokers: [FakeCluster.DefaultBroker, "broker-1"]);
        var producer = await StartProducerAsync(Topic);

        await producer.DisposeAsync();

        Assert.Equal(1, Fake.CallsOf("NotifyClientTermination", FakeCluster.AccessPoint));
        Assert.Equal(1, Fake.CallsOf("NotifyClientTermination", Fake.EndpointOf("broker-1")));
    }
}
