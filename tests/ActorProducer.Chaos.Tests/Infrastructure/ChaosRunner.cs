using Akka.Actor;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Messages;
using ActorProducer.Testing;
using Xunit.Abstractions;
using ProducerSettings = ActorProducer.Settings.ProducerSettings;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>
/// Runs one fault kind: a LocalBroker of its own, a producer started from HOCON on the spec's actor system, N sends
/// through the actor API and N through the Task facade at the same time (each with its own window of sends in flight),
/// the scenario's fault steps at their points of the traffic, then the accounting against the store and the heap.
/// Nothing here can hang: every wait is bounded by the producer's send deadline plus a margin, and what did not
/// arrive by then is counted as missing.
/// </summary>
public sealed class ChaosRunner(ActorSystem system, ITestOutputHelper output)
{
    /// <summary>The server back-off pushed to the producer: short, so throttling scenarios stay fast.</summary>
    private static readonly ServerBackoffPolicy FastBackoff = new(3, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 2f);

    /// <summary>Margin on top of the send deadline before a wait gives up and counts what is missing.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<ApiTally>> RunAsync(ChaosScenario scenario, int sends)
    {
        var heap = new HeapAccount();
        var (tallies, notes) = await RunTrafficAsync(scenario, sends, heap);
        heap.Finish();

        ReliabilityReport.Publish(output, ReliabilityReport.SendHeader,
            tallies.Select(t => ReliabilityReport.Row(t, heap.Delta)).ToList(), $"{notes}; {heap}");

        foreach (var (kind, sample) in tallies.SelectMany(t => t.SampleErrors.Select(e => (t.Api, e))).Select(x => ($"{x.Api} {x.e.Key}", x.e.Value)))
            output.WriteLine($"e.g. {kind}: {sample}");
        foreach (var tally in tallies) AssertAccounting(scenario, tally);
        scenario.Expect(tallies);
        heap.AssertReturned(scenario.Name);
        return tallies;
    }

    /// <summary>
    /// A fault-free run whose results are dropped: it loads and JITs every code path of a run (Akka, gRPC, Kestrel,
    /// the producer), so that the first spec's heap baseline is not compared with memory that stays for good.
    /// </summary>
    public async Task WarmUpAsync(int sends)
    {
        await RunTrafficAsync(new ChaosScenario("warm-up"), sends, new HeapAccount());
    }

    /// <summary>The accounting every fault kind shares, then the scenario's own expectations.</summary>
    public static void AssertAccounting(ChaosScenario scenario, ApiTally t)
    {
        var who = $"{scenario.Name} / {t.Api}";
        Zero.All(who,
            (t.Missing, "send(s) got no reply"),
            (t.ExtraReplies, "extra reply(ies): a send must get exactly one"),
            (t.Untyped, "reply(ies) were neither a receipt nor a typed failure"),
            (t.Timing.Late, $"reply(ies) came after the send deadline of {t.BoundMs:0} ms (+{Accounting.Tolerance.TotalMilliseconds:0} ms); max {t.Timing.MaxMs:0} ms"),
            (t.AcksLost, "acknowledged message(s) are not in LocalBroker's store"),
            (t.AcksMismatched, "acknowledged message(s) were stored with another body, tag, keys or properties"),
            (t.NotSentButStored, "failed send(s) whose outcome was reported known (not stored) are in the store"),
            (scenario.UnknownOutcomes ? 0 : t.Duplicates, "duplicate(s) although no outcome could be unknown"),
            (scenario.UnknownOutcomes ? 0 : t.FailedButStored, "failed send(s) are in the store although this fault cannot leave an outcome unknown"));
        var unexpected = t.FailedByKind.Keys.Where(k => !scenario.ExpectedFailures.Contains(k)).ToList();
        Assert.True(unexpected.Count == 0, $"{who}: unexpected failure kind(s) {string.Join(", ", unexpected)}: {t.FailureSummary}");
        Assert.Equal(t.Sends, t.Succeeded + t.Failed);
    }

    private async Task<(IReadOnlyList<ApiTally>, string)> RunTrafficAsync(ChaosScenario scenario, int sends, HeapAccount heap)
    {
        await using var broker = await TestBrokers.StartAsync(options =>
        {
            options.BrokerCount = scenario.BrokerCount;
            options.Backoff = FastBackoff;
        });
        var topic = broker.CreateTopic(prefix: "chaos");
        var settings = ProducerSettings.Create(ChaosConfig.For(broker, [topic], scenario.ProducerHocon));
        var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync(settings, $"chaos-{Guid.NewGuid():N}");
        var bound = settings.SendDeadline;
        var runId = Guid.NewGuid().ToString("N")[..8];

        var progress = new Progress();
        var actorLedger = new SendLedger(ChaosApi.Actor, sends);
        var facadeLedger = new SendLedger(ChaosApi.Facade, sends);
        var actorWindow = new SemaphoreSlim(scenario.Window);
        var collector = system.ActorOf(ReplyCollector.Props((reply, _) =>
        {
            if (actorLedger.Complete(reply)) actorWindow.Release();
        }));
        ProducerMessage? MessageFor(ChaosApi api, int seq, out bool bad)
        {
            var good = ChaosMessages.Good(topic, runId, api, seq);
            var spoiled = scenario.Spoil?.Invoke(good, seq);
            bad = spoiled is not null;
            return spoiled is null ? good : spoiled.Message;
        }

        var context = new ChaosContext(broker, producer);
        var faults = RunFaultsAsync(scenario, context, progress, 2 * sends);
        try
        {
            await Task.WhenAll(
                ActorTrafficAsync(producer.Actor, collector, actorLedger, actorWindow, progress, bound, scenario, seq => (MessageFor(ChaosApi.Actor, seq, out var bad), bad)),
                FacadeTrafficAsync(producer, facadeLedger, scenario.Window, progress, bound, scenario, seq => (MessageFor(ChaosApi.Facade, seq, out var bad), bad)));
        }
        finally
        {
            progress.Finish();
        }
        await faults;
        heap.MarkPeak();

        // Heal, let the producer drain and say goodbye, then read the store the outcomes are joined with.
        broker.Faults.Reset();
        await producer.DisposeAsync();
        var store = broker.Inspect.Messages(topic);
        system.Stop(collector);

        var tallies = new[]
        {
            Accounting.Tally(scenario, actorLedger, store, bound),
            Accounting.Tally(scenario, facadeLedger, store, bound),
        };
        return (tallies, $"{scenario.Name}: {store.Count:N0} stored on {broker.Options.BrokerCount} broker(s); send deadline {bound.TotalMilliseconds:0} ms");
    }

    private static async Task ActorTrafficAsync(IActorRef producer, IActorRef collector, SendLedger ledger, SemaphoreSlim window,
        Progress progress, TimeSpan bound, ChaosScenario pacing, Func<int, (ProducerMessage?, bool)> messageFor)
    {
        for (var seq = 0; seq < ledger.Records.Length; seq++)
        {
            if (pacing.Pace > TimeSpan.Zero && seq > 0 && seq % pacing.Burst == 0) await Task.Delay(pacing.Pace);
            // A window that never opens again means replies went missing: stop, they are counted.
            if (!await window.WaitAsync(bound + Grace)) return;
            var (message, bad) = messageFor(seq);
            ledger.Start(seq, message, bad);
            progress.SendStarted();
            producer.Tell(new Send(message!, Correlation: seq), collector);
        }
        await WaitBounded(ledger.AllReplied, bound + Grace);
    }

    private static async Task FacadeTrafficAsync(IRocketMqProducer producer, SendLedger ledger, int windowSize,
        Progress progress, TimeSpan bound, ChaosScenario pacing, Func<int, (ProducerMessage?, bool)> messageFor)
    {
        using var window = new SemaphoreSlim(windowSize);
        var sends = new List<Task>(ledger.Records.Length);
        for (var seq = 0; seq < ledger.Records.Length; seq++)
        {
            if (pacing.Pace > TimeSpan.Zero && seq > 0 && seq % pacing.Burst == 0) await Task.Delay(pacing.Pace);
            if (!await window.WaitAsync(bound + Grace)) break;
            var (message, bad) = messageFor(seq);
            var record = ledger.Start(seq, message, bad);
            progress.SendStarted();
            sends.Add(SendOne(record));
        }
        await WaitBounded(Task.WhenAll(sends), bound + Grace);

        async Task SendOne(SendRecord record)
        {
            try
            {
                ledger.Complete(record, await producer.SendAsync(record.Message!).ConfigureAwait(false), null);
            }
            catch (Exception e)
            {
                ledger.Complete(record, null, e);
            }
            finally
            {
                window.Release();
            }
        }
    }

    private async Task RunFaultsAsync(ChaosScenario scenario, ChaosContext context, Progress progress, int total)
    {
        foreach (var step in scenario.Steps.OrderBy(s => s.AtFraction))
        {
            if (!await progress.Reached((int)(step.AtFraction * total))) return;
            var started = System.Diagnostics.Stopwatch.StartNew();
            await step.Act(context);
            output.WriteLine($"fault: {step.Description} at {progress.Started:N0}/{total:N0} sends started ({started.ElapsedMilliseconds} ms)");
        }
    }

    private static async Task WaitBounded(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            // Counted as missing replies by the accounting.
        }
    }
}
