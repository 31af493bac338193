using ActorProducer.Errors;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Messages;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>The accounting of one API in one scenario run: outcomes joined with LocalBroker's store.</summary>
public sealed record ApiTally(string Scenario, ChaosApi Api, int Sends)
{
    public int Succeeded { get; init; }
    public IReadOnlyDictionary<ProducerErrorKind, int> FailedByKind { get; init; } = new Dictionary<ProducerErrorKind, int>();
    public int Failed => FailedByKind.Values.Sum();
    /// <summary>Sends with no reply at all (including sends never started because the window stalled).</summary>
    public int Missing { get; init; }
    /// <summary>Second (third...) replies to one send, and replies naming no send.</summary>
    public int ExtraReplies { get; init; }
    /// <summary>Replies that were neither a receipt nor a typed failure (e.g. an Ask timeout).</summary>
    public int Untyped { get; init; }
    /// <summary>Reply latencies; <see cref="Timings.Late"/> counts replies after <see cref="BoundMs"/> plus the tolerance.</summary>
    public Timings Timing { get; init; } = Timings.None;
    /// <summary>The producer's promise: its send deadline (route + handshake, every attempt, back-off).</summary>
    public double BoundMs { get; init; }
    /// <summary>Receipts whose message id is not in the store.</summary>
    public int AcksLost { get; init; }
    /// <summary>Receipts whose stored copy differs from what was sent (body, tag, keys, properties, topic).</summary>
    public int AcksMismatched { get; init; }
    /// <summary>Failures whose outcome is known (<see cref="ProducerError.OutcomeUnknown"/> false: "not stored") yet are in the store.</summary>
    public int NotSentButStored { get; init; }
    /// <summary>Failures that say the outcome is unknown (may have been stored).</summary>
    public int OutcomeUnknown { get; init; }
    /// <summary>Of those, the ones that were in fact stored.</summary>
    public int FailedButStored { get; init; }
    /// <summary>Extra stored copies of one message id.</summary>
    public int Duplicates { get; init; }
    /// <summary>Receipts that needed more than one attempt (actor API: the facade does not report attempts).</summary>
    public int Retried { get; init; }
    public int BadInputs { get; init; }
    /// <summary>The first message of each failure kind, to read what a caller was told.</summary>
    public IReadOnlyDictionary<ProducerErrorKind, string> SampleErrors { get; init; } = new Dictionary<ProducerErrorKind, string>();

    public string FailureSummary => Failed == 0
        ? "0"
        : $"{Failed} ({string.Join(", ", FailedByKind.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}"))})";
}

/// <summary>Joins a ledger with the store and counts what the issue's accounting asks for.</summary>
public static class Accounting
{
    /// <summary>Property that names a send in the store: "{api}-{seq}".</summary>
    public const string SeqProperty = "chaos-seq";

    /// <summary>Scheduling slack on top of the producer's promise, for two busy cores (the sweep that backs every deadline runs every 250 ms).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    public static string SeqOf(ChaosApi api, int seq) => $"{api}-{seq}";

    public static ApiTally Tally(ChaosScenario scenario, SendLedger ledger, IReadOnlyList<StoredMessage> store, TimeSpan bound)
    {
        var byId = store.ToLookup(m => m.MessageId);
        var bySeq = store.Where(m => m.UserProperties.ContainsKey(SeqProperty)).ToLookup(m => m.UserProperties[SeqProperty]);
        var failedByKind = new Dictionary<ProducerErrorKind, int>();
        var samples = new Dictionary<ProducerErrorKind, string>();
        var timing = new TimingTally(bound);
        int succeeded = 0, missing = 0, extra = ledger.Strays, untyped = 0, lost = 0, mismatched = 0,
            notSentStored = 0, unknown = 0, failedStored = 0, duplicates = 0, retried = 0, bad = 0;

        foreach (var record in ledger.Records)
        {
            if (record is null || record.Replies == 0)
            {
                missing++;
                continue;
            }
            if (record.IsBad) bad++;
            extra += record.Replies - 1;
            timing.Add(record.Latency);
            var stored = bySeq[SeqOf(ledger.Api, record.Seq)].ToList();
            duplicates += stored.GroupBy(m => m.MessageId).Sum(g => g.Count() - 1);

            if (record.Result is { } result)
            {
                succeeded++;
                if (result.Attempts > 1 && ledger.Api == ChaosApi.Actor) retried++;
                var copies = byId[result.MessageId].ToList();
                if (copies.Count == 0) lost++;
                else if (!copies.All(c => SameAsSent(c, record.Message!))) mismatched++;
            }
            else if (record.Error is { } error)
            {
                failedByKind[error.Kind] = failedByKind.GetValueOrDefault(error.Kind) + 1;
                samples.TryAdd(error.Kind, $"{error} [attempts {record.Attempts?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, {record.Latency.TotalMilliseconds:0} ms]");
                if (error.OutcomeUnknown) unknown++;
                if (stored.Count > 0)
                {
                    if (error.OutcomeUnknown) failedStored++;
                    else notSentStored++;
                }
            }
            else untyped++;
        }

        return new ApiTally(scenario.Name, ledger.Api, ledger.Records.Length)
        {
            Succeeded = succeeded,
            FailedByKind = failedByKind,
            Missing = missing,
            ExtraReplies = extra,
            Untyped = untyped,
            Timing = timing.Build(),
            BoundMs = bound.TotalMilliseconds,
            AcksLost = lost,
            AcksMismatched = mismatched,
            NotSentButStored = notSentStored,
            OutcomeUnknown = unknown,
            FailedButStored = failedStored,
            Duplicates = duplicates,
            Retried = retried,
            BadInputs = bad,
            SampleErrors = samples,
        };
    }

    /// <summary>Whether LocalBroker stored exactly what was sent: topic, body, tag, keys and user properties.</summary>
    public static bool SameAsSent(StoredMessage stored, ProducerMessage sent) =>
        stored.Topic == sent.Topic
        && stored.Body.Span.SequenceEqual(sent.Body.Span)
        && stored.Tag == sent.Tag
        && stored.Keys.SequenceEqual(sent.Keys)
        && stored.UserProperties.Count == sent.Properties.Count
        && sent.Properties.All(p => stored.UserProperties.TryGetValue(p.Key, out var v) && v == p.Value);
}
