using System.Globalization;
using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Messages;
using ActorProducer.Settings;
using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using ProducerSettings = ActorProducer.Settings.ProducerSettings;
using Resolution = ActorProducer.Transactions.TransactionResolution;
using TransactionState = ActorProducer.LocalBroker.Inspection.TransactionState;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>The accounting of one API's transactions in a checker-fault run.</summary>
public sealed record TxTally(string Scenario, ChaosApi Api, int Transactions)
{
    public int Commands { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public int Missing { get; init; }
    public int ExtraReplies { get; init; }
    public Timings Timing { get; init; } = Timings.None;
    public int Orphans { get; init; }
    /// <summary>Orphans the broker no longer held as pending before the checker was repaired (must be 0).</summary>
    public int ResolvedWhileBroken { get; init; }
    /// <summary>Transactions whose final state is not the decision of their local transaction.</summary>
    public int ResolvedWrongly { get; init; }
    /// <summary>Orphans still pending after the repaired checker had its time.</summary>
    public int Unresolved { get; init; }
    /// <summary>Committed transactions whose message is not visible, or visible with other contents.</summary>
    public int CommittedLostOrAltered { get; init; }
    /// <summary>Rolled-back transactions whose message is visible.</summary>
    public int RolledBackVisible { get; init; }
    public int Duplicates { get; init; }
    /// <summary>The first failure of each command, to read what a caller was told.</summary>
    public IReadOnlyDictionary<TxStep, string> SampleErrors { get; init; } = new Dictionary<TxStep, string>();
}

/// <summary>
/// Transactions while the checker misbehaves: N transactions per API (through the actor protocol and the Task facade at
/// the same time), every twentieth left open. While the checker is slow or throwing, the broker's checks must resolve
/// nothing; once it is repaired, every orphan must end as its local transaction decided. Every command (begin, send
/// half message, commit/rollback) must get exactly one reply in time, and the store must hold exactly the committed messages.
/// </summary>
public sealed class TransactionChaosRunner(ActorSystem system, ITestOutputHelper output)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int Window = 64;

    /// <summary>Fast broker checks: first after 300 ms, then every 300 ms.</summary>
    private static readonly TransactionCheckPolicy FastChecks = new(
        TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300), MaxChecks: 1000, TransactionDataTtl: TimeSpan.FromSeconds(60));

    public const string Header =
        "| fault kind | API | transactions | commands | ok | failed | missing | extra replies | late | p50 / p99 / max ms | orphans | resolved while checker broken | resolved wrongly | unresolved | committed lost or altered | rolled back but visible | duplicates | heap Δ KiB |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public async Task RunAsync(CheckerFault fault, int transactions)
    {
        var name = fault == CheckerFault.Slow ? "transaction checker slow (3× check-timeout, wrong answers)" : "transaction checker throwing";
        var heap = new HeapAccount();
        var (tallies, checksWhileBroken) = await RunTransactionsAsync(name, fault, transactions, heap);
        heap.Finish();

        foreach (var t in tallies)
            foreach (var (step, sample) in t.SampleErrors) output.WriteLine($"e.g. {t.Api} {step}: {sample}");
        ReliabilityReport.Publish(output, Header, tallies.Select(t => Row(t, heap.Delta)).ToList(),
            $"{name}: {checksWhileBroken:N0} checks reached the broken checker; check-timeout {CheckTimeout.TotalMilliseconds:0} ms; {heap}");

        foreach (var t in tallies)
            Zero.All($"{name} / {t.Api}",
                (t.Missing, "command(s) got no reply"),
                (t.ExtraReplies, "extra reply(ies)"),
                (t.Timing.Late, $"reply(ies) after the deadline; max {t.Timing.MaxMs:0} ms"),
                (t.Failed, "command(s) failed although only the checker was faulty"),
                (t.ResolvedWhileBroken, "orphan(s) were resolved while the checker could not decide"),
                (t.ResolvedWrongly, "transaction(s) ended against their local decision"),
                (t.Unresolved, "orphan(s) still pending after the checker was repaired"),
                (t.CommittedLostOrAltered, "committed message(s) missing or altered in the store"),
                (t.RolledBackVisible, "rolled-back message(s) visible"),
                (t.Duplicates, "duplicate(s)"));
        Assert.True(checksWhileBroken > 0, "the broken checker was never asked: the fault did not bite");
        heap.AssertReturned(name);
    }

    private async Task<(TxTally[], int)> RunTransactionsAsync(string name, CheckerFault fault, int transactions, HeapAccount heap)
    {
        await using var broker = await TestBrokers.StartAsync(options => options.TransactionChecks = FastChecks);
        var topic = broker.CreateTopic(TopicMessageType.Transaction, prefix: "chaos-tx");
        var checker = new ChaosChecker(fault, CheckTimeout);
        var settings = ProducerSettings.Create(ChaosConfig.For(broker, [topic],
            // Half messages and EndTransaction are not retried: 2 s per request (as the transaction specs) keeps a loaded
            // machine from failing them, which is not the fault under test.
            $"request-timeout = 2s\ntransactions {{ check-timeout = {CheckTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms, max-concurrent-checks = 32 }}"));
        var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync(settings, $"chaos-tx-{Guid.NewGuid():N}",
            new RocketMqProducerSetup { TransactionChecker = checker });
        var bound = settings.SendDeadline;
        var runId = Guid.NewGuid().ToString("N")[..8];

        var ledgers = new[] { new TransactionLedger(ChaosApi.Actor, transactions), new TransactionLedger(ChaosApi.Facade, transactions) };
        foreach (var ledger in ledgers)
            for (var seq = 0; seq < transactions; seq++)
            {
                // Every 20th is left open; decisions alternate so that both commit and rollback are checked.
                var orphan = seq % 20 == 0;
                var decision = (orphan ? seq / 20 : seq) % 2 == 0 ? Resolution.Commit : Resolution.Rollback;
                var message = ChaosMessages.Good(topic, runId, ledger.Api, seq);
                checker.Decisions[message.Keys[0]] = decision;
                ledger.Records[seq] = new TxRecord(seq, message, decision, orphan);
            }

        var actorWindow = new SemaphoreSlim(Window);
        var collector = system.ActorOf(ReplyCollector.Props((reply, self) => ActorStep(producer.Actor, self, ledgers[0], actorWindow, reply)));
        await Task.WhenAll(ActorTransactionsAsync(producer.Actor, collector, ledgers[0], actorWindow, bound),
            FacadeTransactionsAsync(producer, ledgers[1], bound));

        // The broken checker must have been asked about every orphan at least twice, and must have resolved none of them.
        var orphans = ledgers.SelectMany(l => l.Records).Where(r => r!.Orphan && r.Receipt is not null).Select(r => r!).ToList();
        await Eventually.Holds(() => Assert.All(orphans, o => Assert.True(checker.Asked(o.Message.Keys[0]) >= 2,
            $"{o.Message.Keys[0]} asked {checker.Asked(o.Message.Keys[0])} time(s)")), Patience);
        var whileBroken = StatesOf(broker);
        var checksWhileBroken = checker.AskedWhileBroken;
        checker.Repair();
        try
        {
            await broker.Inspect.WaitUntilAsync(b => orphans.All(o =>
                b.Transactions().Any(t => t.MessageId == o.Receipt!.MessageId && t.State != TransactionState.Pending)), Patience);
        }
        catch (TimeoutException)
        {
            // Counted as unresolved.
        }

        heap.MarkPeak();
        await producer.DisposeAsync();
        system.Stop(collector);
        var final = StatesOf(broker);
        var visible = broker.Inspect.Messages(topic).ToLookup(m => m.MessageId);
        output.WriteLine($"{name}: {broker.Inspect.Messages(topic).Count:N0} visible, {broker.Inspect.HalfMessages(topic).Count} half message(s) pending");
        return (ledgers.Select(l => Tally(name, l, bound, whileBroken, final, visible)).ToArray(), checksWhileBroken);
    }

    private static Dictionary<string, TransactionRecord> StatesOf(LocalBroker.LocalBroker broker) =>
        broker.Inspect.Transactions().ToDictionary(t => t.MessageId);

    /// <summary>The actor protocol, one reply at a time: begun → send the half message → sent → commit/rollback (or leave open).</summary>
    private static void ActorStep(IActorRef producer, IActorRef self, TransactionLedger ledger, SemaphoreSlim window, object reply)
    {
        var correlation = reply switch
        {
            TransactionBegun b => b.Correlation,
            SendOutcome o => o.Correlation,
            TransactionEnded e => e.Correlation,
            TransactionFailed f => f.Correlation,
            _ => null,
        };
        if (ledger.Find(correlation) is not { } tx)
        {
            ledger.Stray();
            return;
        }
        var flowEnds = reply switch
        {
            TransactionBegun b when tx.Reply(TxStep.Begin) => Next(tx, TxStep.Send, () =>
            {
                tx.Handle = b.Handle;
                producer.Tell(new SendInTransaction(b.Handle, tx.Message, tx.Seq), self);
            }),
            SendResult r when tx.Reply(TxStep.Send) => Sent(tx, r, () => producer.Tell(new EndTransaction(tx.Handle!, tx.Decision, tx.Seq), self)),
            SendFailed f => tx.Reply(TxStep.Send, f.Error),
            TransactionEnded => tx.Reply(TxStep.End),
            TransactionFailed f => tx.Reply(tx.Handle is null ? TxStep.Begin : TxStep.End, f.Error),
            _ => false,
        };
        if (flowEnds)
        {
            ledger.Done();
            window.Release();
        }
    }

    /// <summary>Issues the next command; the flow goes on.</summary>
    private static bool Next(TxRecord tx, TxStep step, Action send)
    {
        tx.Issue(step);
        send();
        return false;
    }

    /// <summary>The half message is stored: an orphan's flow ends here, the others go on to their decision.</summary>
    private static bool Sent(TxRecord tx, SendResult receipt, Action end)
    {
        tx.Receipt = receipt;
        return tx.Orphan || Next(tx, TxStep.End, end);
    }

    private static async Task ActorTransactionsAsync(IActorRef producer, IActorRef collector, TransactionLedger ledger, SemaphoreSlim window, TimeSpan bound)
    {
        foreach (var tx in ledger.Records)
        {
            if (!await window.WaitAsync(bound * 3 + Patience)) return;
            tx!.Issue(TxStep.Begin);
            producer.Tell(new BeginTransaction(tx.Seq), collector);
        }
        await Bounded(ledger.AllDone, bound * 3 + Patience);
    }

    private static async Task FacadeTransactionsAsync(IRocketMqProducer producer, TransactionLedger ledger, TimeSpan bound)
    {
        using var window = new SemaphoreSlim(Window);
        var flows = new List<Task>(ledger.Records.Length);
        foreach (var tx in ledger.Records)
        {
            if (!await window.WaitAsync(bound * 3 + Patience)) break;
            flows.Add(Flow(tx!));
        }
        await Bounded(Task.WhenAll(flows), bound * 3 + Patience);

        async Task Flow(TxRecord tx)
        {
            try
            {
                IRocketMqTransaction? transaction = null;
                if (!await Step(tx, TxStep.Begin, async () => transaction = await producer.BeginTransactionAsync())) return;
                if (!await Step(tx, TxStep.Send, async () => tx.Receipt = await transaction!.SendAsync(tx.Message)) || tx.Orphan) return;
                await Step(tx, TxStep.End, () => tx.Decision == Resolution.Commit ? transaction!.CommitAsync() : transaction!.RollbackAsync());
            }
            finally
            {
                ledger.Done();
                window.Release();
            }
        }
    }

    private static async Task<bool> Step(TxRecord tx, TxStep step, Func<Task> command)
    {
        tx.Issue(step);
        try
        {
            await command();
            tx.Reply(step);
            return true;
        }
        catch (RocketMqProducerException e)
        {
            tx.Reply(step, e.Error);
        }
        catch (Exception e)
        {
            tx.Reply(step, untyped: $"{e.GetType().Name}: {e.Message}");
        }
        return false;
    }

    private static async Task Bounded(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            // Counted as missing replies.
        }
    }

    private static TxTally Tally(string name, TransactionLedger ledger, TimeSpan bound,
        Dictionary<string, TransactionRecord> whileBroken, Dictionary<string, TransactionRecord> final, ILookup<string, StoredMessage> visible)
    {
        int commands = 0, failed = 0, missing = 0, extra = ledger.Strays, orphans = 0, early = 0, wrong = 0,
            unresolved = 0, lostOrAltered = 0, rolledBackVisible = 0, duplicates = 0;
        var timing = new TimingTally(bound);
        var samples = new Dictionary<TxStep, string>();
        foreach (var tx in ledger.Records)
        {
            if (tx is null) continue;
            foreach (var step in Enum.GetValues<TxStep>().Where(tx.WasIssued))
            {
                commands++;
                var replies = tx.Replies(step);
                if (replies == 0)
                {
                    missing++;
                    continue;
                }
                extra += replies - 1;
                timing.Add(tx.Latency(step));
            }
            failed += tx.Failures.Count;
            foreach (var (step, error, untyped) in tx.Failures)
                samples.TryAdd(step, $"{error?.ToString() ?? untyped} [{tx.Latency(step).TotalMilliseconds:0} ms]");
            if (tx.Orphan) orphans++;
            if (tx.Receipt is not { } receipt) continue;

            var copies = visible[receipt.MessageId].ToList();
            duplicates += Math.Max(0, copies.Count - 1);
            if (tx.Orphan && whileBroken.TryGetValue(receipt.MessageId, out var before) && before.State != TransactionState.Pending) early++;
            if (!final.TryGetValue(receipt.MessageId, out var after) || after.State == TransactionState.Pending)
            {
                unresolved++;
                continue;
            }
            var expected = tx.Decision == Resolution.Commit ? TransactionState.Committed : TransactionState.RolledBack;
            // Left open, or its commit/rollback failed: the broker's check decides (through the repaired checker).
            var source = tx.Orphan || !tx.Replied(TxStep.End) ? TransactionSource.SourceServerCheck : TransactionSource.SourceClient;
            if (after.State != expected || after.ResolvedBy != source) wrong++;
            if (expected == TransactionState.Committed && (copies.Count == 0 || !copies.All(c => Accounting.SameAsSent(c, tx.Message)))) lostOrAltered++;
            if (expected == TransactionState.RolledBack && copies.Count > 0) rolledBackVisible++;
        }
        return new TxTally(name, ledger.Api, ledger.Records.Length)
        {
            Commands = commands,
            Succeeded = commands - missing - failed,
            Failed = failed,
            Missing = missing,
            ExtraReplies = extra,
            Timing = timing.Build(),
            Orphans = orphans,
            ResolvedWhileBroken = early,
            ResolvedWrongly = wrong,
            Unresolved = unresolved,
            CommittedLostOrAltered = lostOrAltered,
            RolledBackVisible = rolledBackVisible,
            Duplicates = duplicates,
            SampleErrors = samples,
        };
    }

    private static string Row(TxTally t, long heapDelta) => string.Create(CultureInfo.InvariantCulture,
        $"| {t.Scenario} | {t.Api} | {t.Transactions:N0} | {t.Commands:N0} | {t.Succeeded:N0} | {t.Failed} | {t.Missing} | {t.ExtraReplies} | {t.Timing.Late} | " +
        $"{t.Timing.P50Ms:0} / {t.Timing.P99Ms:0} / {t.Timing.MaxMs:0} | {t.Orphans} | {t.ResolvedWhileBroken} | {t.ResolvedWrongly} | {t.Unresolved} | {t.CommittedLostOrAltered} | " +
        $"{t.RolledBackVisible} | {t.Duplicates} | {heapDelta / 1024:N0} |");
}
