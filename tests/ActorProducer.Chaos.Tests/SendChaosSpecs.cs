using ActorProducer.Chaos.Tests.Infrastructure;
using ActorProducer.Errors;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.Messages;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Kind = ActorProducer.Errors.ProducerErrorKind;

namespace ActorProducer.Chaos.Tests;

/// <summary>
/// Issue 7, one spec per fault kind: <see cref="ChaosSize.Sends"/> sends through the actor API and as many through the
/// Task facade, concurrently, while LocalBroker injects the fault. Every spec checks the shared accounting
/// (<see cref="ChaosRunner.AssertAccounting"/>: one typed outcome per send, none late, no acknowledgement lost or
/// altered, nothing "not sent" in the store, duplicates only where an outcome can be unknown, heap back to its baseline)
/// and what the fault itself must show.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class SendChaosSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ChaosSystemConfig, output: output)
{
    private const string ChaosSystemConfig = "akka.loglevel = ERROR";

    private static readonly int N = ChaosSize.Sends;

    [Fact]
    public Task Should_account_for_every_send_when_the_broker_answers_retryable_errors() => Run(new ChaosScenario("retryable errors")
    {
        Steps =
        [
            new(0.1, "SendMessage: TOO_MANY_REQUESTS, INTERNAL_SERVER_ERROR, gRPC UNAVAILABLE", c =>
            {
                c.Broker.Faults.FailNext(BrokerRpc.SendMessage, N / 5, Code.TooManyRequests);
                c.Broker.Faults.FailNext(BrokerRpc.SendMessage, N / 5, Code.InternalServerError);
                c.Broker.Faults.FailNextWithGrpcStatus(BrokerRpc.SendMessage, N / 10, Grpc.Core.StatusCode.Unavailable);
                return Task.CompletedTask;
            }),
        ],
        ExpectedFailures = Kinds(Kind.ServerRejected, Kind.Unavailable),
        Expect = tallies =>
        {
            var actor = tallies.Single(t => t.Api == ChaosApi.Actor);
            Assert.True(actor.Retried > 0, "no send needed a retry: the fault did not bite");
            // Half of the planned failures is plenty to make a send fail three times in a row only rarely.
            Assert.True(tallies.Sum(t => t.Succeeded) >= 2 * N - N / 2, $"too few sends recovered by retrying: {tallies.Sum(t => t.Succeeded)}");
        },
    });

    [Fact]
    public Task Should_fail_exactly_the_refused_sends_when_the_broker_answers_non_retryable_errors() => Run(new ChaosScenario("non-retryable errors")
    {
        Steps =
        [
            new(0.1, $"SendMessage: BAD_REQUEST × {N / 10}", c =>
            {
                c.Broker.Faults.FailNext(BrokerRpc.SendMessage, N / 10, Code.BadRequest);
                return Task.CompletedTask;
            }),
        ],
        ExpectedFailures = Kinds(Kind.ServerRejected),
        // Not retried, so each planned refusal fails exactly one send; nothing else fails.
        Expect = tallies => Assert.Equal(N / 10, tallies.Sum(t => t.Failed)),
    });

    [Fact]
    public Task Should_time_out_and_retry_when_the_broker_is_slower_than_the_request_timeout() => Run(new ChaosScenario("latency beyond the request timeout")
    {
        Steps =
        [
            FaultSteps.SendLatency(0.2, TimeSpan.FromMilliseconds(1500), " (request timeout 1 s)"),
            FaultSteps.SendLatency(0.3, TimeSpan.Zero),
        ],
        UnknownOutcomes = true,
        ExpectedFailures = Kinds(Kind.Timeout),
        Expect = tallies =>
        {
            Assert.True(tallies.Sum(t => t.FailedByKind.GetValueOrDefault(Kind.Timeout)) > 0, "no send timed out: the fault did not bite");
            Assert.All(tallies, t => Assert.True(t.Succeeded >= t.Sends / 2, $"{t.Api}: only {t.Succeeded} sends succeeded once the latency was gone"));
        },
    });

    [Fact]
    public Task Should_keep_sending_when_telemetry_streams_are_dropped() => Run(new ChaosScenario("telemetry stream dropped")
    {
        Steps = [.. new[] { 0.2, 0.4, 0.6, 0.8 }.Select(at => new FaultStep(at, "drop every telemetry stream", c =>
        {
            c.Broker.Faults.DropTelemetryStreams();
            return Task.CompletedTask;
        }))],
        // The stream carries settings and server commands, not sends: every send must succeed.
        ExpectedFailures = Kinds(),
    });

    [Fact]
    public Task Should_send_through_the_other_broker_when_one_of_two_is_down() => Run(new ChaosScenario("one broker of two down")
    {
        BrokerCount = 2,
        Steps =
        [
            new(0.25, "broker-1 down (still in the route)", c =>
            {
                c.Broker.Faults.TakeBrokerDown("broker-1", keepInRoute: true);
                return Task.CompletedTask;
            }),
            new(0.75, "broker-1 up", c =>
            {
                c.Broker.Faults.BringBrokerUp("broker-1");
                return Task.CompletedTask;
            }),
        ],
        // A failed attempt is retried on the other broker: no send may fail.
        ExpectedFailures = Kinds(),
    });

    [Fact]
    public Task Should_account_for_every_send_when_LocalBroker_is_stopped_and_restarted_mid_stream() => Run(new ChaosScenario("LocalBroker stopped and restarted")
    {
        Steps =
        [
            new(0.3, "LocalBroker stopped", c => c.Broker.StopAsync()),
            new(0.4, "LocalBroker restarted", c => c.Broker.RestartAsync()),
        ],
        UnknownOutcomes = true,
        ExpectedFailures = Kinds(Kind.Unavailable, Kind.Timeout),
        Expect = tallies => Assert.All(tallies, t =>
            Assert.True(t.Succeeded >= t.Sends / 2, $"{t.Api}: only {t.Succeeded} sends succeeded: the producer did not recover after the restart")),
    });

    [Fact]
    public Task Should_refuse_sends_past_the_in_flight_cap_at_once_and_send_nothing_of_them() => Run(new ChaosScenario("in-flight cap exceeded")
    {
        // Bursts of 24 sends per API (48 at once) every 20 ms against a cap of 16 with 10 ms sends: part gets through, part is refused.
        ProducerHocon = "max-in-flight = 16",
        Burst = 24,
        Pace = TimeSpan.FromMilliseconds(20),
        Steps =
        [
            FaultSteps.SendLatency(0, TimeSpan.FromMilliseconds(10), " (cap 16, bursts of 2 × 24)"),
        ],
        ExpectedFailures = Kinds(Kind.Overloaded),
        Expect = tallies => Assert.All(tallies, t =>
        {
            Assert.True(t.FailedByKind.GetValueOrDefault(Kind.Overloaded) > 0, $"{t.Api}: nothing was refused as Overloaded");
            Assert.True(t.Succeeded > 0, $"{t.Api}: nothing got through the cap");
        }),
    });

    [Fact]
    public Task Should_drain_or_refuse_every_send_when_the_producer_shuts_down_mid_stream() => Run(new ChaosScenario("producer shut down mid-stream")
    {
        Steps =
        [
            FaultSteps.SendLatency(0, TimeSpan.FromMilliseconds(20), " (sends are in flight at shutdown)"),
            new(0.5, "producer disposed", c => c.Producer.DisposeAsync().AsTask()),
        ],
        // The drain (1 s) outlasts a 20 ms send: what was in flight completes, what came later is refused unsent.
        ExpectedFailures = Kinds(Kind.ShuttingDown),
        Expect = tallies => Assert.All(tallies, t =>
        {
            Assert.True(t.FailedByKind.GetValueOrDefault(Kind.ShuttingDown) > 0, $"{t.Api}: no send was refused by the shutdown");
            Assert.True(t.Succeeded >= t.Sends / 2 - 2 * 128, $"{t.Api}: only {t.Succeeded} sends succeeded before the shutdown");
        }),
    });

    [Fact]
    public Task Should_refuse_bad_inputs_mixed_into_good_traffic_and_send_every_good_one() => Run(new ChaosScenario("bad inputs mixed into good traffic")
    {
        // Every fifth send, in turn: empty body, tag with '|', blank key, reserved property, illegal topic, null.
        Spoil = (good, seq) => seq % 5 != 0 ? null : new BadInput((seq / 5 % 6) switch
        {
            0 => good with { Body = ReadOnlyMemory<byte>.Empty },
            1 => good with { Tag = "a|b" },
            2 => good with { Keys = ["  "] },
            3 => good with { Properties = new Dictionary<string, string>(good.Properties) { ["UNIQ_KEY"] = "x" } },
            4 => good with { Topic = "no spaces allowed" },
            _ => null,
        }),
        ExpectedFailures = Kinds(Kind.InvalidMessage),
        Expect = tallies => Assert.All(tallies, t =>
        {
            Assert.Equal(t.Sends / 5 + (t.Sends % 5 == 0 ? 0 : 1), t.BadInputs);
            Assert.Equal(t.BadInputs, t.Failed);
        }),
    });

    private Task Run(ChaosScenario scenario) => new ChaosRunner(Sys, Output!).RunAsync(scenario, N);

    private static HashSet<ProducerErrorKind> Kinds(params ProducerErrorKind[] kinds) => [.. kinds];
}
