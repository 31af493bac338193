using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.Messages;
using ActorProducer.Settings;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Integration;

/// <summary>Failures LocalBroker injects over real gRPC, and what the producer makes of them.</summary>
public sealed class FaultSpecs(ITestOutputHelper output) : LocalBrokerTestKit(output)
{
    protected override void Configure(LocalBrokerOptions options)
    {
        options.BrokerCount = 2;
        // 100 ms × 2 → 200 ms before attempt 2 after TOO_MANY_REQUESTS.
        options.Backoff = new ServerBackoffPolicy(3, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 2f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Should_report_N_plus_1_attempts_after_N_failed_ones(int failures)
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync();
        Broker.Faults.FailNext(BrokerRpc.SendMessage, failures, Code.InternalServerError);

        var receipt = await producer.SendAsync(Message(topic));

        Assert.Equal(failures + 1, receipt.Attempts);
        Assert.Equal(failures + 1, SendRequests());
        Assert.Equal(receipt.MessageId, Assert.Single(Broker.Inspect.Messages(topic)).MessageId);
    }

    [Fact]
    public async Task Should_retry_after_a_gRPC_level_failure()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync();
        Broker.Faults.FailNextWithGrpcStatus(BrokerRpc.SendMessage, 1, Grpc.Core.StatusCode.Unavailable);

        var receipt = await producer.SendAsync(Message(topic));

        Assert.Equal(2, receipt.Attempts);
    }

    [Fact]
    public async Task Should_make_one_attempt_for_a_non_retryable_code()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync();
        Broker.Faults.FailNext(BrokerRpc.SendMessage, 1, Code.MessagePropertiesTooLarge);

        var failed = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message(topic)));

        Assert.Equal(Code.MessagePropertiesTooLarge, failed.Error.StatusCode);
        Assert.Equal(1, SendRequests());
        Assert.Empty(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_retry_TOO_MANY_REQUESTS_after_the_back_off_LocalBroker_sent()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync();
        Broker.Faults.FailNext(BrokerRpc.SendMessage, 1, Code.TooManyRequests);

        var receipt = await producer.SendAsync(Message(topic));

        Assert.Equal(2, receipt.Attempts);
        var sends = Broker.Inspect.Requests().Where(r => r.Rpc == "SendMessage").ToList();
        Assert.True(sends[1].At - sends[0].At >= TimeSpan.FromMilliseconds(180),
            $"retried {(sends[1].At - sends[0].At).TotalMilliseconds:0} ms after TOO_MANY_REQUESTS; the server asked for 200 ms");
    }

    [Fact]
    public async Task Should_time_out_an_attempt_slower_than_the_request_timeout_and_retry_it()
    {
        var topic = NewTopic();
        // The latency is lifted once the slow send's second attempt goes out (the third SendMessage after the
        // warm-up and its first attempt), so the first attempt surely times out and a later one succeeds.
        var observer = new RequestObserver("SendMessage", 3, () => Broker.Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.Zero));
        var producer = await StartProducerAsync(setup: new RocketMqProducerSetup { HttpHandlerFactory = observer.CreateHandler });
        await producer.SendAsync(Message(topic, "warm-up"));
        Broker.Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.FromSeconds(1.5));

        var receipt = await producer.SendAsync(Message(topic, "slow"));

        Assert.InRange(receipt.Attempts, 2, 3);
        // Timed-out attempts were cancelled on the server: the message is stored once, as acknowledged.
        Assert.Equal(receipt.MessageId, Assert.Single(Broker.Inspect.Messages(topic), m => m.Body.Span.SequenceEqual("slow"u8)).MessageId);
    }

    [Fact]
    public async Task Should_fail_with_Timeout_when_every_attempt_is_too_slow()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync();
        await producer.SendAsync(Message(topic, "warm-up"));
        Broker.Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.FromSeconds(1.5));

        var failed = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message(topic, "slow")));

        Assert.Equal(ProducerErrorKind.Timeout, failed.Error.Kind);
        Assert.Contains("after 3 attempts", failed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_keep_sending_through_the_other_broker_while_one_is_down_and_isolate_it()
    {
        var topic = NewTopic(queues: 1);
        var producer = await StartProducerAsync();
        // Warm-up: round-robin reaches both brokers.
        for (var i = 0; i < 2; i++) await producer.SendAsync(Message(topic));
        Assert.Equal(2, Broker.Inspect.Messages(topic).Select(m => m.BrokerName).Distinct().Count());
        Broker.Faults.TakeBrokerDown("broker-1", keepInRoute: true);

        var receipts = new List<SendResult>();
        for (var i = 0; i < 8; i++) receipts.Add(await producer.SendAsync(Message(topic, $"during outage {i}")));

        Assert.All(receipts, r => Assert.Equal("broker-0", r.BrokerName));
        // At most one send tried broker-1 (and went on to broker-0); afterwards it was isolated and skipped.
        Assert.True(receipts.Count(r => r.Attempts > 1) <= 1, string.Join(", ", receipts.Select(r => r.Attempts)));

        Broker.Faults.BringBrokerUp("broker-1");
        await AwaitAssertAsync(async () =>
        {
            var next = new[] { await producer.SendAsync(Message(topic)), await producer.SendAsync(Message(topic)) };
            Assert.Contains(next, r => r.BrokerName == "broker-1");
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Should_reconnect_after_LocalBroker_restarts_and_answer_every_send_once()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync();
        for (var i = 0; i < 5; i++) producer.Actor.Tell(new Send(Message(topic, $"before {i}"), $"before {i}"));
        for (var i = 0; i < 5; i++) await ExpectMsgAsync<SendResult>(TimeSpan.FromSeconds(5));

        await Broker.StopAsync();
        for (var i = 0; i < 3; i++) producer.Actor.Tell(new Send(Message(topic, $"during {i}"), $"during {i}"));
        await Broker.RestartAsync();

        // Each send made while LocalBroker was down gets exactly one answer (stored if the restart came in time).
        var during = new List<SendOutcome>();
        for (var i = 0; i < 3; i++) during.Add(await ExpectMsgAsync<SendOutcome>(TimeSpan.FromSeconds(10)));
        Assert.Equal(["during 0", "during 1", "during 2"], during.Select(o => (string)o.Correlation!).Order());

        var after = await producer.SendAsync(Message(topic, "after"));
        Assert.Equal(after.MessageId, Assert.Single(Broker.Inspect.Messages(topic), m => m.Body.Span.SequenceEqual("after"u8)).MessageId);
        var acknowledged = during.OfType<SendResult>().Select(r => r.MessageId).Append(after.MessageId).ToHashSet();
        Assert.Subset(Broker.Inspect.Messages(topic).Select(m => m.MessageId).ToHashSet(), acknowledged);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>An HTTP handler that runs <c>onNth</c> when the n-th call of one gRPC method goes out.</summary>
    private sealed class RequestObserver(string method, int n, Action onNth)
    {
        private int _count;

        public HttpMessageHandler CreateHandler() => new Observing(this);

        private void Saw(HttpRequestMessage request)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/" + method, StringComparison.Ordinal) && Interlocked.Increment(ref _count) == n)
                onNth();
        }

        private sealed class Observing(RequestObserver observer) : DelegatingHandler(new SocketsHttpHandler())
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                observer.Saw(request);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
