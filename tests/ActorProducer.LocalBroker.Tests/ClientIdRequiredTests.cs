using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Grpc.Core;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Every producer RPC needs <c>x-mq-client-id</c> (behavior.md §2.1, §7.0): 40017 in the status, gRPC OK.</summary>
public sealed class ClientIdRequiredTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    public static TheoryData<string> ProducerRpcs => new()
    {
        "QueryRoute", "Heartbeat", "SendMessage", "EndTransaction", "NotifyClientTermination", "RecallMessage",
    };

    [Theory]
    [MemberData(nameof(ProducerRpcs))]
    public async Task Producer_rpc_without_client_id_header_answers_CLIENT_ID_REQUIRED(string rpc)
    {
        var client = fixture.NewClient(h => h with { ClientId = null });

        var status = await CallAsync(client, rpc);

        RocketMqAssert.HasCode(Code.ClientIdRequired, status);
    }

    [Theory]
    [MemberData(nameof(ProducerRpcs))]
    public async Task Producer_rpc_with_empty_client_id_answers_CLIENT_ID_REQUIRED(string rpc)
    {
        var client = fixture.NewClient(h => h with { ClientId = "" });

        var status = await CallAsync(client, rpc);

        RocketMqAssert.HasCode(Code.ClientIdRequired, status);
    }

    [Fact]
    public async Task SendMessage_without_client_id_is_refused_before_any_message_validation_and_stores_nothing()
    {
        var topic = fixture.CreateTopic();
        var client = fixture.NewClient(h => h with { ClientId = null });

        RocketMqAssert.Rejected(Code.ClientIdRequired, await client.SendAsync(new SendMessageRequest()));
        RocketMqAssert.Rejected(Code.ClientIdRequired, await client.SendAsync(TestMessage.To(topic)));
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task QueryRoute_without_client_id_is_refused_before_the_topic_is_checked()
    {
        var client = fixture.NewClient(h => h with { ClientId = null });

        RocketMqAssert.HasCode(Code.ClientIdRequired, (await client.QueryRouteAsync("TBW102")).Status);
    }

    [Fact]
    public async Task Refusal_for_missing_client_id_is_recorded_in_the_request_log()
    {
        var marker = Guid.NewGuid().ToString();
        var client = fixture.NewClient(h => h.With("x-mq-request-id", marker) with { ClientId = null });

        await client.QueryRouteAsync(fixture.CreateTopic());

        var logged = Assert.Single(
            fixture.Broker.Inspect.Requests(),
            r => r.Headers.TryGetValue("x-mq-request-id", out var id) && id == marker);
        Assert.Equal("QueryRoute", logged.Rpc);
        Assert.Equal(Code.ClientIdRequired, logged.Code);
        Assert.True(string.IsNullOrEmpty(logged.ClientId));
    }

    private async Task<Apache.Rocketmq.V2.Status> CallAsync(RocketMqTestClient client, string rpc)
    {
        var topic = fixture.CreateTopic();
        return rpc switch
        {
            "QueryRoute" => (await client.QueryRouteAsync(topic)).Status,
            "Heartbeat" => (await client.HeartbeatAsync()).Status,
            "SendMessage" => (await client.SendAsync(TestMessage.To(topic))).Status,
            "EndTransaction" => (await client.EndTransactionAsync(topic, MessageIds.New(), "tx-1", TransactionResolution.Commit)).Status,
            "NotifyClientTermination" => (await client.NotifyClientTerminationAsync()).Status,
            "RecallMessage" => (await client.RecallAsync(topic, "handle")).Status,
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null),
        };
    }
}

/// <summary>The consumer-side RPCs exist but answer NOT_IMPLEMENTED; the server keeps working (protocol.md §1.3).</summary>
public sealed class ConsumerRpcTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    public static TheoryData<string> ConsumerRpcs => new()
    {
        "QueryAssignment", "ReceiveMessage", "AckMessage", "ForwardMessageToDeadLetterQueue", "PullMessage",
        "UpdateOffset", "GetOffset", "QueryOffset", "ChangeInvisibleDuration", "SyncLiteSubscription",
    };

    [Theory]
    [MemberData(nameof(ConsumerRpcs))]
    public async Task Consumer_rpc_answers_NOT_IMPLEMENTED_and_the_server_keeps_working(string rpc)
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic();

        var status = await CallAsync(client, rpc, topic);

        RocketMqAssert.HasCode(Code.NotImplemented, status);
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
    }

    private static async Task<Apache.Rocketmq.V2.Status> CallAsync(RocketMqTestClient client, string rpc, string topic)
    {
        var group = new Resource { Name = "group-1" };
        var queue = new MessageQueue { Topic = client.Topic(topic), Id = 0 };
        var raw = client.Raw;
        var options = client.CallOptions();
        switch (rpc)
        {
            case "QueryAssignment":
                return (await raw.QueryAssignmentAsync(new QueryAssignmentRequest { Topic = client.Topic(topic), Group = group, Endpoints = client.AccessPoint }, options)).Status;
            case "AckMessage":
                return (await raw.AckMessageAsync(new AckMessageRequest { Group = group, Topic = client.Topic(topic) }, options)).Status;
            case "ForwardMessageToDeadLetterQueue":
                return (await raw.ForwardMessageToDeadLetterQueueAsync(new ForwardMessageToDeadLetterQueueRequest { Group = group, Topic = client.Topic(topic) }, options)).Status;
            case "UpdateOffset":
                return (await raw.UpdateOffsetAsync(new UpdateOffsetRequest { Group = group, MessageQueue = queue }, options)).Status;
            case "GetOffset":
                return (await raw.GetOffsetAsync(new GetOffsetRequest { Group = group, MessageQueue = queue }, options)).Status;
            case "QueryOffset":
                return (await raw.QueryOffsetAsync(new QueryOffsetRequest { MessageQueue = queue }, options)).Status;
            case "ChangeInvisibleDuration":
                return (await raw.ChangeInvisibleDurationAsync(new ChangeInvisibleDurationRequest { Group = group, Topic = client.Topic(topic) }, options)).Status;
            case "SyncLiteSubscription":
                return (await raw.SyncLiteSubscriptionAsync(new SyncLiteSubscriptionRequest { Group = group, Topic = client.Topic(topic) }, options)).Status;
            case "ReceiveMessage":
            {
                using var call = raw.ReceiveMessage(new ReceiveMessageRequest { Group = group, MessageQueue = queue, BatchSize = 1 }, options);
                var responses = await call.ResponseStream.ReadAllAsync().ToListAsync();
                var only = Assert.Single(responses);
                Assert.Equal(ReceiveMessageResponse.ContentOneofCase.Status, only.ContentCase);
                return only.Status;
            }

            case "PullMessage":
            {
                using var call = raw.PullMessage(new PullMessageRequest { Group = group, MessageQueue = queue, BatchSize = 1 }, options);
                var responses = await call.ResponseStream.ReadAllAsync().ToListAsync();
                var only = Assert.Single(responses);
                Assert.Equal(PullMessageResponse.ContentOneofCase.Status, only.ContentCase);
                return only.Status;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null);
        }
    }
}
