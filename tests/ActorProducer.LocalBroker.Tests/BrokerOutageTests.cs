using System.Security.Authentication;
using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Grpc.Core;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Simulated broker outages and server restarts. Each test owns its broker.</summary>
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task TakeBrokerDown_removes_its_queues_from_routes_and_fails_calls_on_its_endpoint_with_UNAVAILABLE()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.BrokerCount = 2);
        var topic = broker.CreateTopic();
        using var client = broker.Connect();
        using var toBroker1 = broker.ConnectTo("broker-1");

        broker.Faults.TakeBrokerDown("broker-1");

        var route = await client.QueryRouteAsync(topic);
        Assert.Equal(["broker-0"], route.MessageQueues.Select(q => q.Broker.Name).Distinct());
        await RocketMqAssert.GrpcFailsAsync(StatusCode.Unavailable, () => toBroker1.SendAsync(TestMessage.To(topic)));
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
        Assert.All(broker.Inspect.Messages(topic), m => Assert.Equal("broker-0", m.BrokerName));
    }

    [Fact]
    public async Task TakeBrokerDown_keeping_it_in_route_lists_its_queues_but_fails_calls_on_its_endpoint()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.BrokerCount = 2);
        var topic = broker.CreateTopic();
        using var client = broker.Connect();
        using var toBroker1 = broker.ConnectTo("broker-1");

        broker.Faults.TakeBrokerDown("broker-1", keepInRoute: true);

        var route = await client.QueryRouteAsync(topic);
        Assert.Equal(["broker-0", "broker-1"], route.MessageQueues.Select(q => q.Broker.Name).Distinct().Order());
        await RocketMqAssert.GrpcFailsAsync(StatusCode.Unavailable, () => toBroker1.SendAsync(TestMessage.To(topic)));
        Assert.Empty(broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task BringBrokerUp_restores_its_queues_and_its_endpoint()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.BrokerCount = 2);
        var topic = broker.CreateTopic();
        using var client = broker.Connect();
        using var toBroker1 = broker.ConnectTo("broker-1");
        broker.Faults.TakeBrokerDown("broker-1");

        broker.Faults.BringBrokerUp("broker-1");

        var route = await client.QueryRouteAsync(topic);
        Assert.Equal(["broker-0", "broker-1"], route.MessageQueues.Select(q => q.Broker.Name).Distinct().Order());
        RocketMqAssert.Accepted(await toBroker1.SendAsync(TestMessage.To(topic)));
    }

    [Fact]
    public async Task TakeBrokerDown_of_the_access_point_broker_fails_route_queries_sent_to_it()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.BrokerCount = 2);
        var topic = broker.CreateTopic();
        using var client = broker.Connect();
        using var viaBroker1 = broker.ConnectTo("broker-1");

        broker.Faults.TakeBrokerDown("broker-0");

        await RocketMqAssert.GrpcFailsAsync(StatusCode.Unavailable, () => client.QueryRouteAsync(topic));
        var route = await viaBroker1.QueryRouteAsync(topic, client.AccessPoint);
        Assert.Equal(["broker-1"], route.MessageQueues.Select(q => q.Broker.Name).Distinct());
    }

    [Fact]
    public async Task StopAsync_ends_streams_and_refuses_calls_and_RestartAsync_serves_the_same_port_and_store()
    {
        await using var broker = await TestBrokers.StartAsync();
        var topic = broker.CreateTopic();
        var port = broker.Port;
        var first = TestMessage.To(topic);
        using (var client = broker.Connect())
        {
            RocketMqAssert.Accepted(await client.SendAsync(first));
            await using var session = await client.ConnectProducerAsync(topic);

            await broker.StopAsync();

            Assert.NotEqual(StatusCode.OK, (await session.WaitForEndAsync()).StatusCode);
            await RocketMqAssert.GrpcFailsAsync(StatusCode.Unavailable, () => client.QueryRouteAsync(topic));
        }

        await broker.RestartAsync();

        Assert.Equal(port, broker.Port);
        using var reconnected = broker.Connect();
        var second = TestMessage.To(topic);
        RocketMqAssert.Accepted(await reconnected.SendAsync(second));
        Assert.Equal(
            new[] { first.MessageId, second.MessageId }.Order(),
            broker.Inspect.Messages(topic).Select(m => m.MessageId).Order());
        RocketMqAssert.HasCode(Code.Ok, (await reconnected.QueryRouteAsync(topic)).Status);
    }

    [Fact]
    public async Task RestartAsync_forgets_client_settings_as_a_restarted_proxy_does()
    {
        await using var broker = await TestBrokers.StartAsync();
        var topic = broker.CreateTopic();
        var headers = RocketMqHeaders.Default();
        using (var client = broker.Connect(headers))
        {
            await using var session = await client.ConnectProducerAsync(topic);
            RocketMqAssert.HasCode(Code.Ok, (await client.HeartbeatAsync()).Status);
            await broker.StopAsync();
        }

        await broker.RestartAsync();
        using var reconnected = broker.Connect(headers);

        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await reconnected.HeartbeatAsync()).Status);
        await using var again = await reconnected.ConnectProducerAsync(topic);
        RocketMqAssert.HasCode(Code.Ok, (await reconnected.HeartbeatAsync()).Status);
    }

    [Fact]
    public async Task RestartAsync_keeps_pending_half_messages_and_checks_them_with_producers_that_reconnect()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.TransactionChecks = new TransactionCheckPolicy(
            FirstCheckAfter: TimeSpan.FromMilliseconds(500),
            CheckInterval: TimeSpan.FromMilliseconds(500),
            MaxChecks: 20,
            TransactionDataTtl: TimeSpan.FromSeconds(30)));
        var topic = broker.CreateTopic(TopicMessageType.Transaction);
        SendResultEntry entry;
        using (var client = broker.Connect())
        {
            entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));
            await broker.StopAsync();
        }

        await broker.RestartAsync();
        using var producer = broker.Connect();
        await using var session = await producer.ConnectProducerAsync(topic);
        var check = await session.ReadUntilAsync(
            c => c.CommandCase == TelemetryCommand.CommandOneofCase.RecoverOrphanedTransactionCommand, TimeSpan.FromSeconds(10));

        Assert.Equal(entry.TransactionId, check.RecoverOrphanedTransactionCommand.TransactionId);
        RocketMqAssert.HasCode(
            Code.Ok,
            (await producer.EndTransactionAsync(topic, entry.MessageId, entry.TransactionId, TransactionResolution.Commit, TransactionSource.SourceServerCheck)).Status);
        Assert.Equal(entry.MessageId, Assert.Single(broker.Inspect.Messages(topic)).MessageId);
    }

    [Fact]
    public async Task RestartAsync_continues_queue_offsets_where_they_were()
    {
        await using var broker = await TestBrokers.StartAsync();
        var topic = broker.CreateTopic(TopicMessageType.Fifo);
        using (var client = broker.Connect())
        {
            RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithGroup("g")));
            RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithGroup("g")));
        }

        await broker.StopAsync();
        await broker.RestartAsync();
        using var reconnected = broker.Connect();
        var entry = RocketMqAssert.Accepted(await reconnected.SendAsync(TestMessage.To(topic).WithGroup("g")));

        var stored = broker.Inspect.Messages(topic);
        Assert.Equal(3, stored.Count);
        Assert.Single(stored.Select(m => (m.BrokerName, m.QueueId)).Distinct());
        Assert.Equal(stored[1].Offset + 1, entry.Offset);
    }
}

/// <summary>TLS mode: clients connect over TLS without verifying the self-signed certificate (behavior.md §1, §7.7).</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Broker_in_TLS_mode_serves_route_send_and_telemetry_to_a_client_that_accepts_any_certificate()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.UseTls = true);
        var topic = broker.CreateTopic();
        using var client = RocketMqTestClient.Connect(broker.Endpoint, useTls: true);

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(topic)).Status);
        await using var session = await client.ConnectProducerAsync(topic);
        RocketMqAssert.HasCode(Code.Ok, (await client.HeartbeatAsync()).Status);
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
        Assert.Single(broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Broker_in_TLS_mode_presents_a_certificate_that_a_verifying_client_rejects()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.UseTls = true);
        var topic = broker.CreateTopic();
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress("https://" + broker.Endpoint);
        var strict = new MessagingService.MessagingServiceClient(channel);

        var failure = await Assert.ThrowsAsync<RpcException>(async () => await strict.QueryRouteAsync(
            new QueryRouteRequest { Topic = new Resource { Name = topic }, Endpoints = AccessPoints.Parse(broker.Endpoint) },
            new CallOptions(RocketMqHeaders.Default().ToMetadata(), DateTime.UtcNow.AddSeconds(10))));

        Assert.Contains(Causes(failure.Status.DebugException), e => e is AuthenticationException);
    }

    private static IEnumerable<Exception> Causes(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
