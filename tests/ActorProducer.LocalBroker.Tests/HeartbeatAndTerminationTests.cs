using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Heartbeat and NotifyClientTermination need stored Settings (behavior.md §4.5, §4.8, §7.5).</summary>
public sealed class HeartbeatAndTerminationTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    [Fact]
    public async Task Heartbeat_before_any_settings_answers_UNRECOGNIZED_CLIENT_TYPE()
    {
        var client = fixture.NewClient();

        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await client.HeartbeatAsync()).Status);
    }

    [Fact]
    public async Task Heartbeat_after_the_settings_handshake_answers_OK_and_is_recorded()
    {
        var client = fixture.NewClient();
        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());
        var before = DateTimeOffset.UtcNow;

        var response = await client.HeartbeatAsync();

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        var known = Assert.Single(fixture.Broker.Inspect.Clients(), c => c.ClientId == client.Headers.ClientId);
        Assert.NotNull(known.LastHeartbeat);
        Assert.True(known.LastHeartbeat >= before.AddSeconds(-1));
    }

    [Fact]
    public async Task Heartbeat_of_another_client_id_does_not_borrow_the_settings_of_the_first()
    {
        var registered = fixture.NewClient();
        await using var session = await registered.ConnectProducerAsync(fixture.CreateTopic());
        var stranger = fixture.NewClient();

        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await stranger.HeartbeatAsync()).Status);
    }

    [Fact]
    public async Task NotifyClientTermination_before_any_settings_answers_UNRECOGNIZED_CLIENT_TYPE()
    {
        var client = fixture.NewClient();

        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await client.NotifyClientTerminationAsync()).Status);
    }

    [Fact]
    public async Task NotifyClientTermination_after_the_handshake_answers_OK_and_removes_the_settings()
    {
        var client = fixture.NewClient();
        await using var session = await client.ConnectProducerAsync(fixture.CreateTopic());

        RocketMqAssert.HasCode(Code.Ok, (await client.NotifyClientTerminationAsync()).Status);

        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await client.HeartbeatAsync()).Status);
        RocketMqAssert.HasCode(Code.UnrecognizedClientType, (await client.NotifyClientTerminationAsync()).Status);
        Assert.Contains(fixture.Broker.Inspect.Clients(), c => c.ClientId == client.Headers.ClientId && c.Terminated);
    }

    [Fact]
    public async Task Heartbeat_works_again_after_a_new_handshake_following_termination()
    {
        var client = fixture.NewClient();
        await using (var first = await client.ConnectProducerAsync(fixture.CreateTopic()))
        {
            RocketMqAssert.HasCode(Code.Ok, (await client.NotifyClientTerminationAsync()).Status);
        }

        await using var second = await client.ConnectProducerAsync(fixture.CreateTopic());

        RocketMqAssert.HasCode(Code.Ok, (await client.HeartbeatAsync()).Status);
    }
}
