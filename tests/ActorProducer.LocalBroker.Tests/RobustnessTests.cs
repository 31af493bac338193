using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Google.Protobuf;
using Grpc.Core;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Malformed and hostile input never takes the server down: the next valid call still succeeds.</summary>
public sealed class RobustnessTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    public static TheoryData<string> UnaryRpcs => new()
    {
        "QueryRoute", "Heartbeat", "SendMessage", "EndTransaction", "NotifyClientTermination", "RecallMessage",
    };

    [Theory]
    [MemberData(nameof(UnaryRpcs))]
    public async Task Undecodable_request_bytes_fail_only_that_call(string rpc)
    {
        byte[] garbage = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01];

        await Assert.ThrowsAsync<RpcException>(() => client.InvokeRawUnaryAsync(rpc, garbage));

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task SendMessage_with_an_empty_message_answers_ILLEGAL_TOPIC()
    {
        RocketMqAssert.Rejected(Code.IllegalTopic, await client.SendAsync(new Message()));

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task SendMessage_with_a_topic_name_containing_NUL_answers_ILLEGAL_TOPIC()
    {
        RocketMqAssert.Rejected(Code.IllegalTopic, await client.SendAsync(TestMessage.To("topic\0x")));
    }

    [Fact]
    public async Task SendMessage_with_ten_thousand_properties_answers_MESSAGE_PROPERTIES_TOO_LARGE()
    {
        var properties = Enumerable.Range(0, 10_000).Select(i => KeyValuePair.Create($"key-{i}", $"value-{i}"));

        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperties(properties));

        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, response);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task SendMessage_with_a_one_megabyte_property_key_answers_MESSAGE_PROPERTIES_TOO_LARGE()
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperty(TestStrings.Ascii(1024 * 1024, 'k'), "v"));

        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, response);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Empty_requests_are_answered_with_a_status_not_a_crash()
    {
        var options = client.CallOptions;

        RocketMqAssert.HasCode(Code.IllegalTopic, (await client.Raw.QueryRouteAsync(new QueryRouteRequest(), options())).Status);
        RocketMqAssert.HasCode(Code.IllegalTopic, (await client.Raw.EndTransactionAsync(new EndTransactionRequest(), options())).Status);
        RocketMqAssert.HasCode(Code.IllegalTopic, (await client.Raw.RecallMessageAsync(new RecallMessageRequest(), options())).Status);
        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await client.Raw.HeartbeatAsync(new HeartbeatRequest(), options())).Status);
        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await client.Raw.NotifyClientTerminationAsync(new NotifyClientTerminationRequest(), options())).Status);

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task QueryRoute_without_endpoints_does_not_take_the_server_down()
    {
        var topic = fixture.CreateTopic();

        try
        {
            var response = await client.Raw.QueryRouteAsync(new QueryRouteRequest { Topic = client.Topic(topic) }, client.CallOptions());
            Assert.NotNull(response.Status);
        }
        catch (RpcException e)
        {
            Assert.NotEqual(StatusCode.Unavailable, e.StatusCode);
        }

        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Telemetry_command_without_content_is_ignored_and_settings_still_work()
    {
        await using var session = client.OpenTelemetry();

        await session.WriteAsync(new TelemetryCommand());
        await session.WriteAsync(new TelemetryCommand { VerifyMessageResult = new VerifyMessageResult { Nonce = "n" } });
        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));

        var reply = await session.ReadUntilAsync(c => c.CommandCase == TelemetryCommand.CommandOneofCase.Settings);
        RocketMqAssert.HasCode(Code.Ok, reply.Status);
    }

    [Fact]
    public async Task Telemetry_stream_cancelled_by_the_client_mid_handshake_does_not_take_the_server_down()
    {
        var session = client.OpenTelemetry();
        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));
        await session.DisposeAsync();

        await AssertStillServingAsync();
        await using var again = await fixture.NewClient().ConnectProducerAsync(fixture.CreateTopic());
        Assert.NotNull(again.HandshakeReply);
    }

    [Fact]
    public async Task Message_with_unknown_fields_is_accepted_and_kept_verbatim()
    {
        var topic = fixture.CreateTopic();
        Message message = TestMessage.To(topic);
        var bytes = message.ToByteArray().Concat(new byte[] { 0xA8, 0x06, 0x07 }).ToArray(); // field 101, varint 7
        var withUnknown = Message.Parser.ParseFrom(bytes);

        RocketMqAssert.Accepted(await client.SendAsync(withUnknown));

        Assert.Equal(message.SystemProperties.MessageId, Assert.Single(fixture.Broker.Inspect.Messages(topic)).MessageId);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public async Task SendMessage_with_a_queue_id_the_topic_does_not_have_is_still_stored(int queueId)
    {
        var topic = fixture.CreateTopic(queueCount: 4);

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithQueueId(queueId)));

        Assert.InRange(Assert.Single(fixture.Broker.Inspect.Messages(topic)).QueueId, 0, 3);
    }

    private async Task AssertStillServingAsync()
    {
        var probe = fixture.NewClient();
        var topic = fixture.CreateTopic();
        RocketMqAssert.HasCode(Code.Ok, (await probe.QueryRouteAsync(topic)).Status);
        RocketMqAssert.Accepted(await probe.SendAsync(TestMessage.To(topic)));
    }
}
