using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.Messages;
using ActorProducer.Transactions.Tests.Infrastructure;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// Graceful shutdown with transaction steps still on the wire: every caller gets its one reply (design.md §3: "No Ask
/// may hang … a send still open at shutdown is failed, not dropped"), saying what it knows.
/// </summary>
public sealed class ShutdownDuringTransactionSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    protected override TransactionCheckPolicy CheckPolicy => FastChecks.Policy with { FirstCheckAfter = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Should_answer_a_commit_still_on_the_wire_when_the_producer_stops()
    {
        var transactional = NewTopic();
        var normal = NewTopic(TopicMessageType.Normal);
        // The request timeout outlasts the slow commit: only the producer stopping can end it early.
        var producer = await StartProducerAsync([transactional, normal], RecordingChecker.Answering(Resolution.Unknown), "request-timeout = 15s");
        var transaction = await producer.BeginTransactionAsync();
        await transaction.SendAsync(Order(transactional, "order-1"));
        // A slow send keeps the drain busy for 500 ms; the commit is on the wire much longer than that.
        Broker.Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.FromMilliseconds(500));
        Broker.Faults.SetLatency(BrokerRpc.EndTransaction, TimeSpan.FromSeconds(10));

        var commit = transaction.CommitAsync();
        var send = producer.SendAsync(ProducerMessage.Text(normal, "in flight"));
        var disposed = producer.DisposeAsync().AsTask();

        await send.WaitAsync(Patience); // drained: the send in flight finished before the producer stopped
        await disposed.WaitAsync(Patience);
        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => commit.WaitAsync(TimeSpan.FromSeconds(2)));

        Assert.Equal(ProducerErrorKind.ShuttingDown, failure.Error.Kind);
        Assert.Contains("before the broker answered committing", failure.Error.Message);
        Assert.Contains("may or may not have been applied", failure.Error.Message);
    }
}
