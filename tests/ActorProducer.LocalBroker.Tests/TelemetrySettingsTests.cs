using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>The telemetry Settings handshake (behavior.md §4.3, §4.4, §7.6, §7.0 language codes).</summary>
public sealed class TelemetrySettingsTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    public static TheoryData<string> ServerLanguageCodes => new()
    {
        "JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER", "HTTP", "GO", "PHP", "OMS", "RUST", "NODE_JS",
    };

    [Fact]
    public async Task Telemetry_settings_reply_has_status_OK_and_the_proxy_defaults_merged_in()
    {
        var client = fixture.NewClient();
        var sent = ProducerSettings.For(client.AccessPoint, fixture.CreateTopic());
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(sent);
        var reply = await session.ReadAsync();

        RocketMqAssert.HasCode(Code.Ok, reply.Status);
        Assert.NotNull(reply.Settings);
        Assert.Equal(4 * 1024 * 1024, reply.Settings.Publishing.MaxBodySize);
        Assert.True(reply.Settings.Publishing.ValidateMessageType);
        Assert.Equal(3, reply.Settings.BackoffPolicy.MaxAttempts);
        Assert.Equal(RetryPolicy.StrategyOneofCase.ExponentialBackoff, reply.Settings.BackoffPolicy.StrategyCase);
        Assert.Equal(TimeSpan.FromMilliseconds(10), reply.Settings.BackoffPolicy.ExponentialBackoff.Initial.ToTimeSpan());
        Assert.Equal(TimeSpan.FromSeconds(1), reply.Settings.BackoffPolicy.ExponentialBackoff.Max.ToTimeSpan());
        Assert.Equal(2f, reply.Settings.BackoffPolicy.ExponentialBackoff.Multiplier);
    }

    [Fact]
    public async Task Telemetry_settings_reply_echoes_every_field_the_proxy_does_not_own()
    {
        var client = fixture.NewClient();
        var sent = ProducerSettings.For(client.AccessPoint, fixture.CreateTopic(), fixture.CreateTopic());
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(sent);
        var reply = (await session.ReadAsync()).Settings;

        Assert.Equal(ClientType.Producer, reply.ClientType);
        Assert.Equal(sent.AccessPoint, reply.AccessPoint);
        Assert.Equal(sent.RequestTimeout, reply.RequestTimeout);
        Assert.Equal(sent.UserAgent, reply.UserAgent);
        Assert.Equal(sent.Publishing.Topics, reply.Publishing.Topics);
    }

    [Fact]
    public async Task Telemetry_settings_reply_follows_the_broker_options()
    {
        await using var broker = await TestBrokers.StartAsync(o =>
        {
            o.MaxBodySize = 1024 * 1024;
            o.ValidateMessageType = false;
            o.Backoff = new ServerBackoffPolicy(5, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), 3f);
        });
        using var client = broker.Connect();

        await using var session = await client.ConnectProducerAsync(broker.CreateTopic());
        var reply = session.HandshakeReply!;

        Assert.Equal(1024 * 1024, reply.Publishing.MaxBodySize);
        Assert.False(reply.Publishing.ValidateMessageType);
        Assert.Equal(5, reply.BackoffPolicy.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(50), reply.BackoffPolicy.ExponentialBackoff.Initial.ToTimeSpan());
        Assert.Equal(TimeSpan.FromSeconds(2), reply.BackoffPolicy.ExponentialBackoff.Max.ToTimeSpan());
        Assert.Equal(3f, reply.BackoffPolicy.ExponentialBackoff.Multiplier);
    }

    [Fact]
    public async Task Telemetry_settings_reply_replaces_a_customized_client_backoff_with_the_exponential_one()
    {
        var client = fixture.NewClient();
        var sent = ProducerSettings.For(client.AccessPoint, fixture.CreateTopic());
        sent.BackoffPolicy = new RetryPolicy
        {
            MaxAttempts = 7,
            CustomizedBackoff = new CustomizedBackoff { Next = { Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) } },
        };
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(sent);
        var reply = (await session.ReadAsync()).Settings;

        Assert.Equal(RetryPolicy.StrategyOneofCase.ExponentialBackoff, reply.BackoffPolicy.StrategyCase);
        Assert.Equal(3, reply.BackoffPolicy.MaxAttempts);
    }

    [Fact]
    public async Task Telemetry_settings_without_topics_are_still_answered_with_settings()
    {
        var client = fixture.NewClient();
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint));
        var reply = await session.ReadAsync();

        RocketMqAssert.HasCode(Code.Ok, reply.Status);
        Assert.Equal(4 * 1024 * 1024, reply.Settings.Publishing.MaxBodySize);
    }

    [Fact]
    public async Task Telemetry_settings_sent_again_on_the_same_stream_are_answered_again()
    {
        var client = fixture.NewClient();
        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());
        var second = ProducerSettings.For(client.AccessPoint, fixture.CreateTopic());

        await session.SendSettingsAsync(second);
        var reply = await session.ReadAsync();

        RocketMqAssert.HasCode(Code.Ok, reply.Status);
        Assert.Equal(second.Publishing.Topics, reply.Settings.Publishing.Topics);
    }

    [Fact]
    public async Task Telemetry_settings_without_publishing_or_subscription_close_the_stream_with_INVALID_ARGUMENT()
    {
        var client = fixture.NewClient();
        var settings = ProducerSettings.For(client.AccessPoint, fixture.CreateTopic());
        settings.ClearPubSub();
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(settings);

        Assert.Equal(StatusCode.InvalidArgument, (await session.WaitForEndAsync()).StatusCode);
    }

    [Theory]
    [InlineData("bad topic")]
    [InlineData("TBW102")]
    [InlineData("rmq_sys_x")]
    public async Task Telemetry_settings_publishing_an_illegal_topic_close_the_stream_with_INVALID_ARGUMENT(string topic)
    {
        var client = fixture.NewClient();
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic(), topic));

        Assert.Equal(StatusCode.InvalidArgument, (await session.WaitForEndAsync()).StatusCode);
    }

    [Theory]
    [InlineData("KLINGON")]
    [InlineData("DOT_NET")]
    [InlineData("dotnet")]
    [InlineData("")]
    public async Task Telemetry_with_unknown_language_closes_the_stream_with_INTERNAL(string language)
    {
        var client = fixture.NewClient(h => h with { Language = language });
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));

        Assert.Equal(StatusCode.Internal, (await session.WaitForEndAsync()).StatusCode);
    }

    [Fact]
    public async Task Telemetry_without_language_header_closes_the_stream_with_INTERNAL()
    {
        var client = fixture.NewClient(h => h with { Language = null });
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));

        Assert.Equal(StatusCode.Internal, (await session.WaitForEndAsync()).StatusCode);
    }

    /// <remarks>
    /// §7.0: 40015 if the failed handshake left no Settings, INTERNAL_SERVER_ERROR if Settings were stored but
    /// registering the producer fails again; which one depends on when the emulator stores Settings.
    /// </remarks>
    [Fact]
    public async Task Heartbeat_with_an_unknown_language_is_refused()
    {
        var client = fixture.NewClient(h => h with { Language = "KLINGON" });
        await using (var session = client.OpenTelemetry())
        {
            await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));
            await session.WaitForEndAsync();
        }

        var status = (await client.HeartbeatAsync()).Status;

        Assert.Contains(status.Code, new[] { Code.UnrecognizedClientType, Code.InternalServerError });
    }

    [Theory]
    [MemberData(nameof(ServerLanguageCodes))]
    public async Task Telemetry_accepts_every_server_language_code(string language)
    {
        var client = fixture.NewClient(h => h with { Language = language });

        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());

        Assert.NotNull(session.HandshakeReply);
    }

    [Fact]
    public async Task Telemetry_without_client_id_answers_CLIENT_ID_REQUIRED_without_settings_and_keeps_the_stream_open()
    {
        var client = fixture.NewClient(h => h with { ClientId = null });
        await using var session = client.OpenTelemetry();
        var settings = ProducerSettings.For(client.AccessPoint, fixture.CreateTopic());

        await session.SendSettingsAsync(settings);
        var first = await session.ReadAsync();
        await session.SendSettingsAsync(settings);
        var second = await session.ReadAsync();

        foreach (var reply in new[] { first, second })
        {
            RocketMqAssert.HasCode(Code.ClientIdRequired, reply.Status);
            Assert.Null(reply.Settings);
        }
    }

    [Fact]
    public async Task Telemetry_thread_stack_trace_from_the_client_gets_no_reply()
    {
        var client = fixture.NewClient();
        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());

        await session.WriteAsync(new TelemetryCommand
        {
            Status = new Apache.Rocketmq.V2.Status { Code = Code.Ok, Message = "OK" },
            ThreadStackTrace = new ThreadStackTrace { Nonce = "unknown-nonce", ThreadStackTrace_ = "main" },
        });
        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));

        var next = await session.ReadAsync();
        Assert.Equal(TelemetryCommand.CommandOneofCase.Settings, next.CommandCase);
    }

    [Fact]
    public async Task Telemetry_client_half_close_makes_the_server_complete_with_OK()
    {
        var client = fixture.NewClient();
        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());

        await session.CompleteAsync();

        Assert.Equal(StatusCode.OK, (await session.WaitForEndAsync()).StatusCode);
    }

    [Fact]
    public async Task Telemetry_handshake_registers_the_client_with_its_settings_language_and_version()
    {
        var client = fixture.NewClient(h => h with { ClientVersion = "9.9.9" });

        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());

        var known = Assert.Single(fixture.Broker.Inspect.Clients(), c => c.ClientId == client.Headers.ClientId);
        Assert.Equal("DOTNET", known.Language);
        Assert.Equal("9.9.9", known.ClientVersion);
        Assert.True(known.HasTelemetryStream);
        Assert.NotNull(known.SettingsReceived);
        Assert.Equal(ClientType.Producer, known.SettingsReceived!.ClientType);
    }

    [Fact]
    public async Task Telemetry_stream_end_is_reflected_in_the_client_list()
    {
        var client = fixture.NewClient();
        var session = await client.ConnectProducerAsync(fixture.CreateTopic());

        await session.CompleteAsync();
        await session.WaitForEndAsync();
        await session.DisposeAsync();

        await fixture.Broker.Inspect.WaitUntilAsync(
            b => b.Clients().Any(c => c.ClientId == client.Headers.ClientId && !c.HasTelemetryStream),
            TimeSpan.FromSeconds(5));
    }
}
