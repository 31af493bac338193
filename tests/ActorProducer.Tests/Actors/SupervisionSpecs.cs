using Akka.Actor;
using ActorProducer.Actors;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.Tests.Actors;

/// <summary>
/// Supervision: each child of the producer is restarted when it crashes, and no send is silently lost on the way
/// (design.md §3). Crashes are caused from outside, as they would be in production: a message the child cannot
/// handle, a transport that throws while the actor calls it, a malformed server answer.
/// </summary>
public sealed class SupervisionSpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";
    private const string ProducerPath = "/system/rocketmq-producer-default";

    /// <summary>A CallResult whose tag the child does not know: its receive throws an InvalidCastException.</summary>
    private void Crash(string child) =>
        Sys.ActorSelection($"{ProducerPath}/{child}").Tell(new ConnectionActor.CallResult("not a tag of yours", null, null, FakeCluster.AccessPoint));

    [Fact]
    public async Task Should_restart_a_crashed_topic_sender_failing_its_in_flight_send_with_a_clear_reason()
    {
        Fake.WithTopic(Topic);
        var first = Fake.HoldNextSend();
        var producer = (await StartProducerAsync(s => s with { RequestTimeout = TimeSpan.FromSeconds(5) })).Actor;
        producer.Tell(new Send(Message(Topic, "a"), "a"));
        var a = await first.Arrived.WaitAsync(TimeSpan.FromSeconds(5));

        Crash($"topic-{Topic}-*");

        var failed = await ExpectFailedAsync(ProducerErrorKind.Unavailable, "a");
        Assert.Contains("restarted", failed.Error.Message, StringComparison.Ordinal);
        Assert.True(failed.Error.IsRetryable);

        // The restarted sender works, and the old incarnation's late answer cannot complete a new send.
        var second = Fake.HoldNextSend();
        producer.Tell(new Send(Message(Topic, "b"), "b"));
        var b = await second.Arrived.WaitAsync(TimeSpan.FromSeconds(5));
        first.Release();
        second.Release();
        var result = await ExpectSentAsync("b");
        Assert.Equal(b.MessageIds[0], result.MessageId);
        Assert.Equal(1, result.Attempts);
        Assert.NotEqual(a.MessageIds[0], result.MessageId);
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_restart_a_crashed_connection_without_losing_the_send_in_flight()
    {
        Fake.WithTopic(Topic);
        var held = Fake.HoldNextSend();
        // The held attempt must outlive the first heartbeat (after 1 s).
        var producer = (await StartProducerAsync(s => s with { RequestTimeout = TimeSpan.FromSeconds(5) })).Actor;
        producer.Tell(new Send(Message(Topic, "a"), "a"));
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(5));

        // E.g. a credentials provider throwing while the heartbeat is signed, inside the connection actor.
        Fake.CrashNextHeartbeat();
        await AwaitFakeAsync(f => f.TransportsCreated(FakeCluster.AccessPoint) == 2, "the restarted connection creates a new transport");

        producer.Tell(new Send(Message(Topic, "b"), "b"));
        await ExpectSentAsync("b");
        held.Release();
        Assert.Equal(1, (await ExpectSentAsync("a")).Attempts);
        await ExpectNoMoreRepliesAsync();
        // One stream for the first incarnation, one for the second: no reconnect caused by the old stream's end.
        Assert.Equal(2, Fake.CallsOf("Telemetry", FakeCluster.AccessPoint));
    }

    [Fact]
    public async Task Should_restart_a_crashed_route_actor_and_keep_refreshing_known_routes()
    {
        Fake.WithTopic(Topic).WithTopic("audit");
        var producer = (await StartProducerAsync(s => s with { RouteRefreshInterval = TimeSpan.FromMilliseconds(200) })).Actor;
        producer.Tell(new Send(Message(Topic)));
        await ExpectSentAsync();

        Crash("routes");
        producer.Tell(new Send(Message("audit")));
        await ExpectSentAsync();

        var queries = Fake.RouteQueries(Topic);
        await AwaitFakeAsync(f => f.RouteQueries(Topic) >= queries + 2, $"'{Topic}', known before the restart, is still refreshed after it");
    }

    [Fact]
    public async Task Should_fail_sends_promptly_with_a_clear_error_when_the_server_sends_an_unusable_route()
    {
        Fake.WithTopic(Topic).WithRoute("broken", () =>
        {
            var response = new QueryRouteResponse { Status = new Status { Code = Code.Ok, Message = "OK" } };
            response.MessageQueues.Add(new MessageQueue
            {
                Topic = new Resource { Name = "broken" }, Id = 0, Permission = Permission.ReadWrite,
                Broker = new Broker { Name = "b", Id = 0, Endpoints = new Endpoints { Scheme = AddressScheme.Ipv4 } }, // no address
                AcceptMessageTypes = { MessageType.Normal },
            });
            return response;
        });
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message("broken"), "broken"));

        var failed = Assert.IsType<SendFailed>(await ExpectMsgAsync<SendOutcome>(TimeSpan.FromSeconds(3)));
        Assert.Contains("'broken'", failed.Error.Message, StringComparison.Ordinal);
        Assert.Contains("without any address", failed.Error.Message, StringComparison.Ordinal);
        Assert.Empty(Fake.Sends);
        // The rest of the producer is unaffected.
        producer.Tell(new Send(Message(Topic)));
        await ExpectSentAsync();
    }
}
