using Akka.Actor;
using ActorProducer.Messages;
using ActorProducer.Tests.Fakes;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Actors;

/// <summary>Whatever happens on the wire, every request gets exactly one reply, and a receipt means the message was stored.</summary>
public sealed class ExactlyOneReplySpecs(ITestOutputHelper output) : ProducerTestKit(output)
{
    private const string Topic = "orders";

    [Fact]
    public async Task Should_reply_exactly_once_to_every_send_and_batch_under_mixed_failures()
    {
        Fake.WithBroker("broker-1", "127.0.0.2:8081").WithTopic(Topic, queuesPerBroker: 2, brokers: [FakeCluster.DefaultBroker, "broker-1"]);
        Fake.Backoff = (TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), 2);
        Fake.FailNextSends(Code.TooManyRequests, 2);
        Fake.FailNextSendsWithGrpc(Grpc.Core.StatusCode.Unavailable);
        Fake.TimeOutNextSends(2);
        Fake.FailNextSends(Code.IllegalMessageKey);
        Fake.AnswerNextSendPerEntry(Code.Ok, Code.InternalServerError, Code.Ok);
        Fake.FailNextSends(Code.InternalServerError, 4);
        Fake.FailNextSends(Code.ProxyTimeout, 3);
        var producer = (await StartProducerAsync(s => s with { MaxInFlight = 50 })).Actor;

        var expected = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            producer.Tell(new Send(Message(Topic, $"s{i}"), $"s{i}"));
            expected.Add($"s{i}");
            if (i % 8 != 0) continue;
            producer.Tell(new SendBatch([Message(Topic, $"b{i}.0"), Message(Topic, $"b{i}.1"), Message(Topic, $"b{i}.2")], $"b{i}"));
            expected.Add($"b{i}");
        }

        var replies = new List<object>();
        for (var i = 0; i < expected.Count; i++) replies.Add(await ExpectMsgAsync<object>(TimeSpan.FromSeconds(10)));
        await ExpectNoMoreRepliesAsync();

        var correlations = replies.Select(r => r switch
        {
            SendOutcome o => (string)o.Correlation!,
            SendBatchCompleted b => (string)b.Correlation!,
            _ => throw new InvalidOperationException($"unexpected reply {r}"),
        }).ToList();
        Assert.Equal(expected.Order(), correlations.Order());

        // Acknowledged = stored: every receipt names a stored message, every stored message was acknowledged once.
        var outcomes = replies.SelectMany(r => r is SendBatchCompleted b ? b.Outcomes : [(SendOutcome)r]).ToList();
        var acknowledged = outcomes.OfType<SendResult>().Select(r => r.MessageId).ToList();
        var stored = Fake.Stored.Select(s => s.Message.SystemProperties.MessageId).ToList();
        Assert.Equal(stored.Order(), acknowledged.Order());
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        Assert.Contains(outcomes, o => o is SendFailed);
    }
}
