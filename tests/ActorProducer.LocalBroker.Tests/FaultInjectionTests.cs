using System.Diagnostics;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Grpc.Core;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>The fault injector (FailNext, gRPC failures, latency, telemetry drops). Faults are reset around each test.</summary>
public sealed class FaultInjectionTests : IClassFixture<LocalBrokerFixture>, IDisposable
{
    private readonly LocalBrokerFixture fixture;
    private readonly RocketMqTestClient client;

    public FaultInjectionTests(LocalBrokerFixture fixture)
    {
        this.fixture = fixture;
        fixture.Broker.Faults.Reset();
        client = fixture.NewClient();
    }

    private FaultInjector Faults => fixture.Broker.Faults;

    public static TheoryData<BrokerRpc> UnaryRpcs => new()
    {
        BrokerRpc.QueryRoute, BrokerRpc.Heartbeat, BrokerRpc.SendMessage, BrokerRpc.EndTransaction,
        BrokerRpc.NotifyClientTermination, BrokerRpc.RecallMessage,
    };

    [Fact]
    public async Task FailNext_answers_the_code_for_the_next_calls_only_and_stores_nothing()
    {
        var topic = fixture.CreateTopic();
        Faults.FailNext(BrokerRpc.SendMessage, 2, Code.TooManyRequests, "flow limit");

        var first = await client.SendAsync(TestMessage.To(topic));
        var second = await client.SendAsync(TestMessage.To(topic));
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
        var third = await client.SendAsync(TestMessage.To(topic));

        RocketMqAssert.Rejected(Code.TooManyRequests, first);
        Assert.Equal("flow limit", first.Status.Message);
        RocketMqAssert.Rejected(Code.TooManyRequests, second);
        RocketMqAssert.Accepted(third);
        Assert.Single(fixture.Broker.Inspect.Messages(topic));
    }

    [Theory]
    [MemberData(nameof(UnaryRpcs))]
    public async Task FailNext_applies_to_each_unary_rpc_with_the_code_name_as_default_message(BrokerRpc rpc)
    {
        Faults.FailNext(rpc, 1, Code.ProxyTimeout);

        var status = await CallAsync(rpc);

        RocketMqAssert.HasCode(Code.ProxyTimeout, status);
        Assert.Equal("PROXY_TIMEOUT", status.Message); // without text the message is the code name (behavior.md §7.0)
    }

    [Fact]
    public async Task FailNext_on_one_rpc_leaves_the_others_alone()
    {
        var topic = fixture.CreateTopic();
        Faults.FailNext(BrokerRpc.SendMessage, 1, Code.InternalServerError);

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(topic)).Status);
        RocketMqAssert.Rejected(Code.InternalServerError, await client.SendAsync(TestMessage.To(topic)));
    }

    [Fact]
    public async Task FailNext_on_Telemetry_answers_the_code_instead_of_settings()
    {
        Faults.FailNext(BrokerRpc.Telemetry, 1, Code.TooManyRequests);
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));
        var reply = await session.ReadAsync();

        RocketMqAssert.HasCode(Code.TooManyRequests, reply.Status);
        Assert.Null(reply.Settings);
    }

    [Fact]
    public async Task FailNextWithGrpcStatus_fails_the_call_at_the_gRPC_level_then_recovers()
    {
        var topic = fixture.CreateTopic();
        Faults.FailNextWithGrpcStatus(BrokerRpc.SendMessage, 1, StatusCode.Unavailable);

        await RocketMqAssert.GrpcFailsAsync(StatusCode.Unavailable, () => client.SendAsync(TestMessage.To(topic)));
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
    }

    [Fact]
    public async Task FailNextWithGrpcStatus_on_QueryRoute_can_signal_RESOURCE_EXHAUSTED()
    {
        Faults.FailNextWithGrpcStatus(BrokerRpc.QueryRoute, 1, StatusCode.ResourceExhausted);

        await RocketMqAssert.GrpcFailsAsync(StatusCode.ResourceExhausted, () => client.QueryRouteAsync(fixture.CreateTopic()));
    }

    [Fact]
    public async Task FailNextWithGrpcStatus_on_Telemetry_ends_the_stream_with_that_status()
    {
        Faults.FailNextWithGrpcStatus(BrokerRpc.Telemetry, 1, StatusCode.Unavailable);
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));

        Assert.Equal(StatusCode.Unavailable, (await session.WaitForEndAsync()).StatusCode);
    }

    [Fact]
    public async Task SetLatency_delays_the_rpc_beyond_a_short_deadline()
    {
        var topic = fixture.CreateTopic();
        Faults.SetLatency(BrokerRpc.QueryRoute, TimeSpan.FromSeconds(2));
        await RocketMqAssert.GrpcFailsAsync(
            StatusCode.DeadlineExceeded,
            async () => await client.Raw.QueryRouteAsync(
                new QueryRouteRequest { Topic = client.Topic(topic), Endpoints = client.AccessPoint },
                client.CallOptions(TimeSpan.FromMilliseconds(200))));
        var watch = Stopwatch.StartNew();
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), "latency must apply to the configured rpc only");
    }

    [Fact]
    public async Task SetLatency_holds_each_call_at_least_that_long_and_zero_removes_it()
    {
        var topic = fixture.CreateTopic();
        Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.FromMilliseconds(400));

        var watch = Stopwatch.StartNew();
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
        var delayed = watch.Elapsed;
        Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.Zero);
        watch.Restart();
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));

        Assert.True(delayed >= TimeSpan.FromMilliseconds(380), $"call took {delayed}");
        Assert.True(watch.Elapsed < delayed, $"after removing the latency the call took {watch.Elapsed}");
    }

    [Fact]
    public async Task DropTelemetryStreams_fails_open_streams_and_clients_can_reconnect()
    {
        var topic = fixture.CreateTopic();
        var session = await client.ConnectProducerAsync(topic);

        Faults.DropTelemetryStreams();

        var end = await session.WaitForEndAsync();
        await session.DisposeAsync();
        Assert.NotEqual(StatusCode.OK, end.StatusCode);
        await fixture.Broker.Inspect.WaitUntilAsync(
            b => b.Clients().Any(c => c.ClientId == client.Headers.ClientId && !c.HasTelemetryStream), TimeSpan.FromSeconds(5));
        await using var again = await client.ConnectProducerAsync(topic);
        Assert.NotNull(again.HandshakeReply);
    }

    [Fact]
    public async Task Reset_removes_pending_faults()
    {
        var topic = fixture.CreateTopic();
        Faults.FailNext(BrokerRpc.QueryRoute, 5, Code.InternalServerError);
        Faults.FailNextWithGrpcStatus(BrokerRpc.SendMessage, 5, StatusCode.Unavailable);

        Faults.Reset();

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(topic)).Status);
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
    }

    private async Task<Apache.Rocketmq.V2.Status> CallAsync(BrokerRpc rpc)
    {
        var topic = fixture.CreateTopic();
        return rpc switch
        {
            BrokerRpc.QueryRoute => (await client.QueryRouteAsync(topic)).Status,
            BrokerRpc.Heartbeat => (await client.HeartbeatAsync()).Status,
            BrokerRpc.SendMessage => (await client.SendAsync(TestMessage.To(topic))).Status,
            BrokerRpc.EndTransaction => (await client.EndTransactionAsync(topic, MessageIds.New(), "tx", TransactionResolution.Commit)).Status,
            BrokerRpc.NotifyClientTermination => (await client.NotifyClientTerminationAsync()).Status,
            BrokerRpc.RecallMessage => (await client.RecallAsync(topic, "handle")).Status,
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null),
        };
    }

    public void Dispose() => fixture.Broker.Faults.Reset();
}
