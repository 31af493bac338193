using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.LocalBroker.Inspection;
using Apache.Rocketmq.V2;

namespace ActorProducer.Conformance.Tests;

/// <summary>The Node client's session upkeep: heartbeats, and re-opening a dropped telemetry stream.</summary>
public sealed class NodeProducerSessionSpecs(SlowFirstCheckBrokerFixture fixture) : IClassFixture<SlowFirstCheckBrokerFixture>
{
    private LocalBroker.LocalBroker Broker => fixture.Broker;

    [Fact]
    public async Task Should_answer_the_clients_periodic_heartbeat_with_OK()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);

        // The client's first heartbeat is due 10 s after start-up.
        var run = (await fixture.Node.RunAsync("idle", topic, ["--prebind", "--idle-ms", "11000"])).ShouldHaveSucceeded();

        var heartbeats = Broker.Inspect.Requests().Where(r => r.ClientId == run.ClientId && r.Rpc == nameof(BrokerRpc.Heartbeat)).ToList();
        Assert.NotEmpty(heartbeats);
        Assert.All(heartbeats, h => Assert.Equal(Code.Ok, h.Code));
        Assert.NotNull(Assert.Single(Broker.Inspect.Clients(), c => c.ClientId == run.ClientId).LastHeartbeat);
    }

    [Fact]
    public async Task Should_reach_the_checker_on_the_telemetry_stream_the_client_reopened_after_a_drop()
    {
        var topic = fixture.NewTopic(TopicMessageType.Transaction);

        var running = fixture.Node.RunAsync("orphaned-transaction", topic, ["--prebind", "--answer", "COMMIT"]);
        // Drop the stream while the half message waits for its first check; the client reopens it after 1 s and
        // re-sends its Settings, which must register it again for the topic.
        await Broker.Inspect.WaitUntilAsync(b => b.HalfMessages(topic).Count == 1, TimeSpan.FromSeconds(15));
        Broker.Faults.DropTelemetryStreams();
        var run = (await running).ShouldHaveSucceeded();

        var transactionId = run.Required("transactionId").GetValue<string>();
        await Broker.Inspect.WaitUntilAsync(
            b => b.Transactions().Any(t => t.TransactionId == transactionId && t.State != TransactionState.Pending),
            TimeSpan.FromSeconds(5));
        var record = Assert.Single(Broker.Inspect.Transactions(), t => t.TransactionId == transactionId);
        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        var telemetryCalls = Broker.Inspect.Requests().Count(r => r.ClientId == run.ClientId && r.Rpc == nameof(BrokerRpc.Telemetry));
        Assert.True(telemetryCalls >= 2, $"expected the stream to be opened again, saw {telemetryCalls} Telemetry call(s).\n{run.Diagnostics}");
        Assert.Single(Broker.Inspect.Messages(topic), m => m.MessageId == run.Required("messageId").GetValue<string>());
    }
}
