using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>The telemetry stream of a connection: settings handshake, reconnect, and calls held meanwhile.</summary>
public sealed class ConnectionSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";

    [Fact]
    public async Task Should_reconnect_after_the_telemetry_stream_drops_and_announce_its_settings_again()
    {
        Fake.WithTopic(Topic);
        var producer = await StartProducerAsync(Topic);
        var announced = Fake.ClientSettingsReceived.Count;

        Fake.DropTelemetryStreams();

        await AwaitFakeAsync(f => f.CallsOf("Telemetry") == 2 && f.ClientSettingsReceived.Count > announced,
            "a new stream is opened and the settings are sent on it");
        await producer.SendAsync(Message(Topic));
    }

    [Fact]
    public async Task Should_hold_sends_while_reconnecting_and_send_them_once_the_handshake_completes()
    {
        Fake.WithTopic(Topic);
        var producer = await StartProducerActorAsync();
        producer.Tell(new Send(Message(Topic)));
        await ExpectSentAsync();
        Fake.Handshake = HandshakeMode.Withhold;
        Fake.DropTelemetryStreams();
        await AwaitFakeAsync(f => f.CallsOf("Telemetry") == 2, "the producer reconnects");

        producer.Tell(new Send(Message(Topic), "held"));
        Fake.Handshake = HandshakeMode.Answer; // the next handshake (after this one times out) succeeds

        var result = await ExpectSentAsync("held", TimeSpan.FromSeconds(5));
        Assert.Equal(1, result.Attempts);
        Assert.Equal(2, Fake.Sends.Count);
    }

    [Fact]
    public async Task Should_fail_a_held_send_with_Unavailable_naming_the_endpoint_when_it_never_completes_a_handshake()
    {
        Fake.WithTopic(Topic);
        var producer = (await StartProducerAsync(s => s with { MaxAttempts = 1 })).Actor;
        producer.Tell(new Send(Message(Topic)));
        await ExpectSentAsync();
        Fake.Handshake = HandshakeMode.Withhold;
        Fake.DropTelemetryStreams();
        await AwaitFakeAsync(f => f.CallsOf("Telemetry") == 2, "the producer reconnects");

        producer.Tell(new Send(Message(Topic), "stuck"));

        var failed = await ExpectFailedAsync(ProducerErrorKind.Unavailable, "stuck", TimeSpan.FromSeconds(5));
        Assert.Contains(FakeCluster.AccessPointText, failed.Error.Message, StringComparison.Ordinal);
        Assert.Single(Fake.Sends);
    }
}
