using System.Collections.Concurrent;
using System.Diagnostics;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// Many transactions at once, with every outcome mixed: the caller commits, the caller rolls back, or the caller
/// "crashes" after its local transaction and leaves the decision to the checker, which reads a durable store.
/// Every message must end in the state chosen for it — none lost, none duplicated, none decided twice.
/// </summary>
public sealed class ConcurrentTransactionSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    private const int Transactions = 1000;

    private enum Plan { Commit, Rollback, CheckerCommits, CheckerRollsBack }

    // The first check comes well after the caller's own commit/rollback, so those are decided by SOURCE_CLIENT.
    protected override TransactionCheckPolicy CheckPolicy => FastChecks.Policy with
    {
        FirstCheckAfter = TimeSpan.FromSeconds(2),
        CheckInterval = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task Should_end_1000_concurrent_transactions_each_in_its_chosen_state_exactly_once()
    {
        var topic = NewTopic();
        var durable = new ConcurrentDictionary<string, Resolution>(); // what the "database" says about each order
        var checker = RecordingChecker.FromStore(durable);
        await using var producer = await StartProducerAsync([topic], checker,
            "transactions { max-concurrent-checks = 16, max-queued-checks = 2000 }");
        var plans = Enumerable.Range(0, Transactions).ToDictionary(i => $"order-{i}", i => (Plan)(i % 4));
        var clock = Stopwatch.StartNew();

        var receipts = await Task.WhenAll(plans.Select(async entry =>
        {
            var (key, plan) = entry;
            var transaction = await producer.BeginTransactionAsync();
            var receipt = await transaction.SendAsync(Order(topic, key, $"body of {key}"));
            var outcome = plan is Plan.Commit or Plan.CheckerCommits ? Resolution.Commit : Resolution.Rollback;
            switch (plan)
            {
                case Plan.Commit: await transaction.CommitAsync(); break;
                case Plan.Rollback: await transaction.RollbackAsync(); break;
                default: break; // crashed after its local transaction: the broker will ask the checker
            }
            // The local transaction's outcome becomes visible to the checker here — for the caller's own decisions only
            // once they were sent, so that a slow run (a check before the caller's commit) cannot change who decided.
            durable[key] = outcome;
            return (Key: key, Plan: plan, Receipt: receipt);
        }));
        Output.WriteLine($"{Transactions} transactions begun, sent and (where planned) ended in {clock.ElapsedMilliseconds} ms");

        await Broker.Inspect.WaitUntilAsync(b => b.Transactions().All(t => t.State != TransactionState.Pending), TimeSpan.FromSeconds(20));
        Output.WriteLine($"all resolved after {clock.ElapsedMilliseconds} ms; the checker was asked {checker.Count} times");

        var records = Broker.Inspect.Transactions().ToDictionary(t => t.TransactionId);
        Assert.Equal(Transactions, records.Count);
        Assert.Equal(Transactions, receipts.Select(r => r.Receipt.MessageId).Distinct().Count());
        foreach (var (key, plan, receipt) in receipts)
        {
            var record = records[receipt.TransactionId!];
            Assert.Equal(receipt.MessageId, record.MessageId);
            var expected = plan switch
            {
                Plan.Commit => (TransactionState.Committed, TransactionSource.SourceClient),
                Plan.Rollback => (TransactionState.RolledBack, TransactionSource.SourceClient),
                Plan.CheckerCommits => (TransactionState.Committed, TransactionSource.SourceServerCheck),
                _ => (TransactionState.RolledBack, TransactionSource.SourceServerCheck),
            };
            Assert.True(expected == (record.State, record.ResolvedBy!.Value),
                $"{key} ({plan}) ended {record.State} by {record.ResolvedBy} after {record.ChecksSent} check(s)");
        }

        var visible = Broker.Inspect.Messages(topic);
        var shouldBeVisible = receipts.Where(r => r.Plan is Plan.Commit or Plan.CheckerCommits).ToList();
        Assert.Equal(shouldBeVisible.Count, visible.Count);
        Assert.Equal(shouldBeVisible.Select(r => r.Receipt.MessageId).Order(), visible.Select(m => m.MessageId).Order());
        Assert.All(visible, m => Assert.Equal($"body of {m.Keys[0]}", System.Text.Encoding.UTF8.GetString(m.Body.Span)));
        Assert.Empty(Broker.Inspect.HalfMessages(topic));

        // One half message per transaction (none retried). Every transaction got an accepted decision; when a slow run lets
        // a check of a transaction reach the checker just before the caller's own decision lands, the checker's late
        // answer is refused by the proxy ("cannot found transaction data") and changes nothing, as asserted above.
        Assert.Equal(Transactions, Requests("SendMessage").Count);
        var ends = Requests("EndTransaction");
        Assert.True(ends.Count(e => e.Code == Code.Ok) >= Transactions, $"{ends.Count(e => e.Code == Code.Ok)} accepted EndTransaction calls");
        Assert.All(ends.Where(e => e.Code != Code.Ok), e => Assert.Equal(Code.InternalServerError, e.Code));
        Output.WriteLine($"{ends.Count} EndTransaction calls, {ends.Count(e => e.Code != Code.Ok)} refused as already decided");
    }
}
