using System.Net.Sockets;
using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>Retry policy (behavior.md §5.4, §5.6): which failures are retried, when, and where.</summary>
public sealed class RetrySpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";

    [Fact]
    public async Task Should_retry_on_TOO_MANY_REQUESTS_after_the_servers_backoff_then_succeed()
    {
        // The server's policy, learned in the settings handshake: 150 ms × 2^(attempt-1) → 300 ms before attempt 2.
        // The local default (10 ms) would retry almost at once.
        Fake.WithTopic(Topic).Backoff = (TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(1), 2);
        Fake.FailNextSends(Code.TooManyRequests);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var result = await ExpectSentAsync();
        Assert.Equal(2, result.Attempts);
        var sends = Fake.Sends;
        Assert.Equal(2, sends.Count);
        Assert.True(sends[1].At - sends[0].At >= TimeSpan.FromMilliseconds(280),
            $"the retry came {(sends[1].At - sends[0].At).TotalMilliseconds:0} ms after the throttled attempt; the server asked for 300 ms");
    }

    [Fact]
    public async Task Should_back_off_on_gRPC_RESOURCE_EXHAUSTED_like_TOO_MANY_REQUESTS()
    {
        Fake.WithTopic(Topic).Backoff = (TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(1), 2);
        Fake.FailNextSendsWithGrpc(Grpc.Core.StatusCode.ResourceExhausted);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        Assert.Equal(2, (await ExpectSentAsync()).Attempts);
        var sends = Fake.Sends;
        Assert.True(sends[1].At - sends[0].At >= TimeSpan.FromMilliseconds(280));
    }

    [Theory]
    [InlineData(Code.InternalServerError)]
    [InlineData(Code.ProxyTimeout)]
    [InlineData(Code.MasterPersistenceTimeout)]
    [InlineData(Code.HaNotAvailable)]
    public async Task Should_retry_other_retryable_failures_immediately(Code code)
    {
        // A back-off of 2 s would show: only throttling waits.
        Fake.WithTopic(Topic).Backoff = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 2);
        Fake.FailNextSends(code);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        Assert.Equal(2, (await ExpectSentAsync()).Attempts);
        var sends = Fake.Sends;
        Assert.True(sends[1].At - sends[0].At < TimeSpan.FromSeconds(1),
            $"the retry after {code} waited {(sends[1].At - sends[0].At).TotalMilliseconds:0} ms");
    }

    [Theory]
    [InlineData(Code.IllegalMessageTag)]
    [InlineData(Code.MessagePropertyConflictWithType)]
    [InlineData(Code.MessageBodyTooLarge)]
    [InlineData(Code.Unauthorized)]
    [InlineData(Code.Forbidden)]
    [InlineData(Code.TopicNotFound)]
    [InlineData(Code.Unsupported)]
    public async Task Should_not_retry_codes_that_cannot_succeed_elsewhere(Code code)
    {
        Fake.WithTopic(Topic);
        Fake.FailNextSends(code);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic), "c"));

        var outcome = Assert.IsType<SendFailed>(await ExpectMsgAsync<SendOutcome>());
        Assert.Equal(code, outcome.Error.StatusCode);
        Assert.False(outcome.Error.IsRetryable);
        Assert.Equal(1, outcome.Attempts);
        Assert.Equal("c", outcome.Correlation);
        Assert.Single(Fake.Sends);
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_retry_a_timed_out_attempt_with_the_same_message_id()
    {
        Fake.WithTopic(Topic);
        Fake.TimeOutNextSends(1);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var result = await ExpectSentAsync();
        Assert.Equal(2, result.Attempts);
        var sends = Fake.Sends;
        Assert.Equal(2, sends.Count);
        Assert.Equal(sends[0].MessageIds, sends[1].MessageIds);
        Assert.Equal(sends[0].MessageIds[0], result.MessageId);
    }

    [Fact]
    public async Task Should_fail_with_the_last_error_after_max_attempts()
    {
        Fake.WithTopic(Topic);
        Fake.FailNextSends(Code.InternalServerError, count: 3);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic), 7));

        var failed = await ExpectFailedAsync(ProducerErrorKind.ServerRejected, correlation: 7);
        Assert.Equal(3, failed.Attempts);
        Assert.Equal(Code.InternalServerError, failed.Error.StatusCode);
        Assert.Contains("after 3 attempts", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, Fake.Sends.Count);
        Assert.Single(Fake.Sends.Select(s => s.MessageIds[0]).Distinct());
        Assert.Equal(failed.MessageId, Fake.Sends[0].MessageIds[0]);
        await ExpectNoMoreRepliesAsync();
    }

    [Fact]
    public async Task Should_report_the_outcome_unknown_when_an_earlier_attempt_lost_its_connection_mid_call()
    {
        // Found by the chaos suite: LocalBroker stopped right after storing; attempt 1 saw "connection reset", attempts 2-3
        // found the endpoint unreachable, and the send failed as plain Unavailable although its message was stored.
        Fake.WithTopic(Topic);
        Fake.FailNextSendWith(GrpcFailure("Error starting gRPC call.", new System.IO.IOException("Connection reset by peer")));
        Fake.FailNextSendWith(GrpcFailure("Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused)));
        Fake.FailNextSendWith(GrpcFailure("Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused)));
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var failed = await ExpectFailedAsync(ProducerErrorKind.Unavailable);
        Assert.Equal(3, failed.Attempts);
        Assert.True(failed.Error.OutcomeUnknown, failed.Error.Message);
        Assert.Contains("may have been stored", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Fake.Sends[0].MessageIds[0], failed.MessageId);
    }

    [Fact]
    public async Task Should_report_the_outcome_known_when_no_attempt_could_connect()
    {
        Fake.WithTopic(Topic);
        for (var i = 0; i < 3; i++)
            Fake.FailNextSendWith(GrpcFailure("Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused)));
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var failed = await ExpectFailedAsync(ProducerErrorKind.Unavailable);
        Assert.Equal(3, failed.Attempts);
        Assert.False(failed.Error.OutcomeUnknown, failed.Error.Message);
    }

    [Fact]
    public async Task Should_report_the_outcome_unknown_when_the_last_attempt_timed_out()
    {
        Fake.WithTopic(Topic);
        Fake.TimeOutNextSends(3);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var failed = await ExpectFailedAsync(ProducerErrorKind.Timeout);
        Assert.True(failed.Error.OutcomeUnknown, failed.Error.Message);
    }

    [Fact]
    public async Task Should_report_the_outcome_unknown_when_the_HTTP2_failure_is_only_in_the_status()
    {
        // The other shape grpc-dotnet throws: the broken request is the status' debug exception, not the inner exception.
        Fake.WithTopic(Topic);
        var status = new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "Error starting gRPC call. HttpRequestException: An error occurred while sending the request.",
            new System.Net.Http.HttpRequestException("An error occurred while sending the request.", new System.IO.IOException("The response ended prematurely.")));
        Fake.FailNextSendWith(new Grpc.Core.RpcException(status, Grpc.Core.Metadata.Empty, status.Detail));
        Fake.FailNextSendsWithGrpc(Grpc.Core.StatusCode.Unavailable, count: 2);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var failed = await ExpectFailedAsync(ProducerErrorKind.Unavailable);
        Assert.Equal(3, failed.Attempts);
        Assert.True(failed.Error.OutcomeUnknown, failed.Error.Message);
    }

    [Fact]
    public async Task Should_report_the_outcome_known_when_the_server_answered_a_gRPC_status()
    {
        Fake.WithTopic(Topic);
        Fake.FailNextSendsWithGrpc(Grpc.Core.StatusCode.Unavailable, count: 3);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var failed = await ExpectFailedAsync(ProducerErrorKind.Unavailable);
        Assert.False(failed.Error.OutcomeUnknown, failed.Error.Message);
    }

    /// <summary>What grpc-dotnet throws when the HTTP/2 layer fails: an RpcException carrying the socket's exception.</summary>
    private static Grpc.Core.RpcException GrpcFailure(string detail, Exception cause) =>
        new(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, detail, cause));

    [Fact]
    public async Task Should_retry_on_a_different_broker_when_the_route_has_several()
    {
        Fake.WithBroker("broker-1", "127.0.0.2:8081").WithTopic(Topic, queuesPerBroker: 1, brokers: [FakeCluster.DefaultBroker, "broker-1"]);
        Fake.FailNextSends(Code.InternalServerError);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        var result = await ExpectSentAsync();
        var sends = Fake.Sends;
        Assert.Equal(2, sends.Count);
        Assert.NotEqual(sends[0].Endpoint, sends[1].Endpoint);
        Assert.Equal(Fake.EndpointOf(result.BrokerName), sends[1].Endpoint);
    }

    [Fact]
    public async Task Should_walk_distinct_brokers_in_route_order_and_wrap_around_when_attempts_exceed_brokers()
    {
        // Route a0 a1 b0 b1: the candidates are one queue per broker name, so with 3 attempts: X, Y, X (§5.4).
        Fake.WithBroker("broker-1", "127.0.0.2:8081").WithTopic(Topic, queuesPerBroker: 2, brokers: [FakeCluster.DefaultBroker, "broker-1"]);
        Fake.FailNextSends(Code.InternalServerError, count: 3);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        Assert.Equal(3, (await ExpectFailedAsync(ProducerErrorKind.ServerRejected)).Attempts);
        var endpoints = Fake.Sends.Select(s => s.Endpoint).ToArray();
        Assert.NotEqual(endpoints[0], endpoints[1]);
        Assert.Equal(endpoints[0], endpoints[2]);
    }

    [Fact]
    public async Task Should_try_each_of_three_brokers_once_in_route_order()
    {
        Fake.WithBroker("broker-1", "127.0.0.2:8081").WithBroker("broker-2", "127.0.0.3:8081")
            .WithTopic(Topic, queuesPerBroker: 2, brokers: [FakeCluster.DefaultBroker, "broker-1", "broker-2"]);
        Fake.FailNextSends(Code.InternalServerError, count: 2);
        var producer = await StartProducerActorAsync();

        producer.Tell(new Send(Message(Topic)));

        Assert.Equal(3, (await ExpectSentAsync()).Attempts);
        var order = new[] { FakeCluster.DefaultBroker, "broker-1", "broker-2" }.Select(Fake.EndpointOf).ToList();
        var tried = Fake.Sends.Select(s => order.IndexOf(s.Endpoint)).ToArray();
        Assert.Equal(3, tried.Distinct().Count());
        Assert.Equal((tried[0] + 1) % 3, tried[1]);
        Assert.Equal((tried[1] + 1) % 3, tried[2]);
    }

    [Fact]
    public async Task Should_not_retry_a_half_message()
    {
        // Each retry would open another transaction on the server (behavior.md §5.6).
        Fake.WithTopic("payments", MessageType.Transaction);
        Fake.FailNextSends(Code.InternalServerError);
        await using var producer = await StartProducerAsync(s => s with { PreboundTopics = ["payments"] }, new UndecidedChecker());
        var transaction = await producer.BeginTransactionAsync();

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.SendAsync(Message("payments")));

        Assert.Equal(Code.InternalServerError, failure.Error.StatusCode);
        Assert.Single(Fake.Sends);
    }
}
