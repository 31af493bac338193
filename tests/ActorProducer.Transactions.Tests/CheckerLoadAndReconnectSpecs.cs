using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// The checker under load (transactions.max-concurrent-checks / max-queued-checks) and checks after the telemetry
/// stream or the proxy went away (behavior.md §6.5, §9 #13: checks reach only producers with a live stream whose
/// Settings list the topic).
/// </summary>
public sealed class CheckerLoadAndReconnectSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    [Fact]
    public async Task Should_never_run_more_checks_at_once_than_max_concurrent_checks_and_still_resolve_every_transaction()
    {
        var topic = NewTopic();
        var running = 0;
        var mostAtOnce = 0;
        var checker = new RecordingChecker(async (_, _, cancellation) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            try
            {
                await Task.Delay(100, cancellation); // a database round trip
                return Resolution.Commit;
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
        // 2 at a time and 3 waiting: most checks of a round are dropped and asked again in a later round.
        await using var producer = await StartProducerAsync([topic], checker,
            "transactions { max-concurrent-checks = 2, max-queued-checks = 3 }");
        var receipts = new List<Messages.SendResult>();
        for (var i = 0; i < 12; i++)
            receipts.Add(await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, $"order-{i}")));

        await Broker.Inspect.WaitUntilAsync(b => b.Transactions().All(t => t.State != TransactionState.Pending), TimeSpan.FromSeconds(20));

        Assert.True(mostAtOnce <= 2, $"{mostAtOnce} checks ran at once");
        Assert.All(Broker.Inspect.Transactions(), t => Assert.Equal((TransactionState.Committed, TransactionSource.SourceServerCheck), (t.State, t.ResolvedBy!.Value)));
        Assert.Equal(receipts.Select(r => r.MessageId).Order(), Broker.Inspect.Messages(topic).Select(m => m.MessageId).Order());
    }

    [Fact]
    public async Task Should_keep_receiving_checks_after_the_telemetry_stream_was_dropped()
    {
        var topic = NewTopic();
        var store = new System.Collections.Concurrent.ConcurrentDictionary<string, Resolution>();
        var checker = RecordingChecker.FromStore(store);
        await using var producer = await StartProducerAsync([topic], checker);
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-1"));
        await checker.WhenAsked(1).WaitAsync(Patience);

        Broker.Faults.DropTelemetryStreams();
        store["order-1"] = Resolution.Commit;
        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal((TransactionState.Committed, TransactionSource.SourceServerCheck), (record.State, record.ResolvedBy!.Value));
        Assert.Equal(producer.ClientId, Assert.Single(Requests("EndTransaction")).ClientId);
    }

    [Fact]
    public async Task Should_register_again_and_receive_checks_after_the_proxy_restarted()
    {
        var topic = NewTopic();
        var store = new System.Collections.Concurrent.ConcurrentDictionary<string, Resolution>();
        var checker = RecordingChecker.FromStore(store);
        await using var producer = await StartProducerAsync([topic], checker);
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-2"));
        await checker.WhenAsked(1).WaitAsync(Patience);

        // A restarted proxy forgets every client's Settings: the producer must reconnect and announce its topics again.
        await Broker.RestartAsync();
        store["order-2"] = Resolution.Commit;
        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal((TransactionState.Committed, TransactionSource.SourceServerCheck), (record.State, record.ResolvedBy!.Value));
        var end = Assert.Single(Requests("EndTransaction"));
        Assert.Equal((producer.ClientId, Code.Ok), (end.ClientId, end.Code));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }
}
