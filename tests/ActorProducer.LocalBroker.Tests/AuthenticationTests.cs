using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>MQv2-HMAC-SHA1 request signing as the proxy's auth module verifies it (behavior.md §2.2, §2.3).</summary>
public sealed class AuthenticationTests(AuthenticatingBrokerFixture fixture) : IClassFixture<AuthenticatingBrokerFixture>
{
    private const string WorkedExampleDateTime = "20230101T000000Z";
    private const string WorkedExampleAuthorization =
        "MQv2-HMAC-SHA1 Credential=AK, SignedHeaders=x-mq-date-time, Signature=888ADA00C741538304A12B5C04E641F9CDAEBD25";

    private static readonly RocketMqCredentials Valid = new("AK", "secret");

    [Fact]
    public void Signature_of_the_worked_example_matches_the_spec()
    {
        Assert.Equal(WorkedExampleAuthorization, RocketMqSignature.Authorization("AK", "secret", WorkedExampleDateTime));
    }

    [Fact]
    public async Task Request_carrying_the_worked_example_headers_is_accepted_because_the_proxy_ignores_clock_skew()
    {
        var topic = fixture.CreateTopic();
        var client = fixture.NewClient(h => h.With(RocketMqHeaders.AuthorizationKey, WorkedExampleAuthorization) with { DateTime = WorkedExampleDateTime });

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(topic)).Status);
    }

    [Fact]
    public async Task Request_signed_now_is_accepted_on_every_producer_rpc()
    {
        var topic = fixture.CreateTopic();
        var client = fixture.NewClient(h => h with { Credentials = Valid });

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(topic)).Status);
        await using var session = await client.ConnectProducerAsync(topic);
        RocketMqAssert.HasCode(Code.Ok, (await client.HeartbeatAsync()).Status);
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
        RocketMqAssert.HasCode(Code.Ok, (await client.NotifyClientTerminationAsync()).Status);
    }

    [Fact]
    public async Task Signature_in_lower_case_hex_is_accepted()
    {
        var client = fixture.NewClient(h => h with { Credentials = Valid, LowerCaseSignature = true });

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Credential_with_a_scope_after_a_slash_uses_the_first_part_as_access_key()
    {
        var dateTime = RocketMqSignature.FormatDateTime(DateTime.UtcNow);
        var authorization =
            $"MQv2-HMAC-SHA1 Credential=AK/20230101/region/rocketmq, SignedHeaders=x-mq-date-time, Signature={RocketMqSignature.SignatureHex("secret", dateTime)}";
        var client = fixture.NewClient(h => h.With(RocketMqHeaders.AuthorizationKey, authorization) with { DateTime = dateTime });

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Second_user_signs_with_its_own_secret()
    {
        var client = fixture.NewClient(h => h with { Credentials = new RocketMqCredentials("AK2", "other-secret") });

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Request_signed_with_a_wrong_secret_answers_UNAUTHORIZED_and_stores_nothing()
    {
        var topic = fixture.CreateTopic();
        var client = fixture.NewClient(h => h with { Credentials = new RocketMqCredentials("AK", "wrong") });

        RocketMqAssert.HasCode(Code.Unauthorized, (await client.QueryRouteAsync(topic)).Status);
        RocketMqAssert.Rejected(Code.Unauthorized, await client.SendAsync(TestMessage.To(topic)));
        RocketMqAssert.HasCode(Code.Unauthorized, (await client.HeartbeatAsync()).Status);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Request_signed_with_another_users_secret_answers_UNAUTHORIZED()
    {
        var client = fixture.NewClient(h => h with { Credentials = new RocketMqCredentials("AK", "other-secret") });

        RocketMqAssert.HasCode(Code.Unauthorized, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Request_without_authorization_answers_UNAUTHORIZED()
    {
        var client = fixture.NewClient();

        RocketMqAssert.HasCode(Code.Unauthorized, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Request_with_authorization_but_without_date_time_answers_UNAUTHORIZED()
    {
        var client = fixture.NewClient(h => h with { Credentials = Valid, OmitDateTime = true });

        RocketMqAssert.HasCode(Code.Unauthorized, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Request_whose_signature_covers_another_date_time_answers_UNAUTHORIZED()
    {
        var client = fixture.NewClient(h => h.With(RocketMqHeaders.AuthorizationKey, WorkedExampleAuthorization) with { DateTime = "20240101T000000Z" });

        RocketMqAssert.HasCode(Code.Unauthorized, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Request_from_an_unknown_access_key_answers_UNAUTHORIZED()
    {
        var client = fixture.NewClient(h => h with { Credentials = new RocketMqCredentials("NOBODY", "secret") });

        RocketMqAssert.HasCode(Code.Unauthorized, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Theory]
    [InlineData("MQv2-HMAC-SHA1 Credential=AK, SignedHeaders, Signature=00")]
    [InlineData("MQv2-HMAC-SHA1")]
    [InlineData("garbage")]
    public async Task Request_with_malformed_authorization_answers_UNAUTHORIZED(string authorization)
    {
        var client = fixture.NewClient(h => h.With(RocketMqHeaders.AuthorizationKey, authorization));

        RocketMqAssert.HasCode(Code.Unauthorized, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Authentication_is_checked_before_the_client_id()
    {
        var unsignedWithoutId = fixture.NewClient(h => h with { ClientId = null });
        var signedWithoutId = fixture.NewClient(h => h with { ClientId = null, Credentials = Valid });

        RocketMqAssert.HasCode(Code.Unauthorized, (await unsignedWithoutId.QueryRouteAsync(fixture.CreateTopic())).Status);
        RocketMqAssert.HasCode(Code.ClientIdRequired, (await signedWithoutId.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Telemetry_with_a_bad_signature_answers_UNAUTHORIZED_without_settings()
    {
        var client = fixture.NewClient(h => h with { Credentials = new RocketMqCredentials("AK", "wrong") });
        await using var session = client.OpenTelemetry();

        await session.SendSettingsAsync(ProducerSettings.For(client.AccessPoint, fixture.CreateTopic()));
        var reply = await session.ReadAsync();

        RocketMqAssert.HasCode(Code.Unauthorized, reply.Status);
        Assert.Null(reply.Settings);
    }

    [Fact]
    public async Task Telemetry_signed_correctly_gets_its_settings()
    {
        var client = fixture.NewClient(h => h with { Credentials = Valid });

        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());

        Assert.NotNull(session.HandshakeReply);
    }
}

/// <summary>Without users the proxy ignores authentication headers entirely (behavior.md §2.3).</summary>
public sealed class AuthenticationDisabledTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    [Fact]
    public async Task Broker_without_users_ignores_a_garbage_authorization_header()
    {
        var client = fixture.NewClient(h => h.With(RocketMqHeaders.AuthorizationKey, "garbage").Without(RocketMqHeaders.DateTimeKey));

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(fixture.CreateTopic())).Status);
    }

    [Fact]
    public async Task Broker_without_users_accepts_a_signature_with_a_wrong_secret()
    {
        var client = fixture.NewClient(h => h with { Credentials = new RocketMqCredentials("AK", "anything") });

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fixture.CreateTopic())));
    }
}
