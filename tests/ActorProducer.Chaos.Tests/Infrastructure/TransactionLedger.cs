using System.Diagnostics;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Transactions;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>The commands of one transaction, in order; an orphan stops after <see cref="Send"/>.</summary>
public enum TxStep
{
    Begin,
    Send,
    End,
}

/// <summary>One transaction: its message, the decision its local transaction reached, and every reply to each command.</summary>
public sealed class TxRecord(int seq, ProducerMessage message, TransactionResolution decision, bool orphan)
{
    private readonly int[] _replies = new int[3];
    private readonly long[] _issued = new long[3];
    private readonly long[] _answered = new long[3];

    public int Seq { get; } = seq;
    public ProducerMessage Message { get; } = message;
    public TransactionResolution Decision { get; } = decision;
    /// <summary>Left open on purpose: neither committed nor rolled back, the broker's checks must resolve it.</summary>
    public bool Orphan { get; } = orphan;
    public TransactionHandle? Handle { get; set; }
    public SendResult? Receipt { get; set; }
    public List<(TxStep Step, ProducerError? Error, string? Untyped)> Failures { get; } = [];

    public bool WasIssued(TxStep step) => _issued[(int)step] != 0;
    /// <summary>The command got its one reply and it was a success.</summary>
    public bool Replied(TxStep step) => Replies(step) > 0 && !Failures.Any(f => f.Step == step);
    public int Replies(TxStep step) => Volatile.Read(ref _replies[(int)step]);
    public TimeSpan Latency(TxStep step) => Stopwatch.GetElapsedTime(_issued[(int)step], _answered[(int)step]);

    public void Issue(TxStep step) => _issued[(int)step] = Stopwatch.GetTimestamp();

    /// <summary>Records a reply to <paramref name="step"/>; true only for the first one. A failure ends the transaction's flow.</summary>
    public bool Reply(TxStep step, ProducerError? error = null, string? untyped = null)
    {
        if (Interlocked.Increment(ref _replies[(int)step]) != 1) return false;
        _answered[(int)step] = Stopwatch.GetTimestamp();
        if (error is not null || untyped is not null)
            lock (Failures) Failures.Add((step, error, untyped));
        return true;
    }
}

/// <summary>Every transaction of one API in one run.</summary>
public sealed class TransactionLedger(ChaosApi api, int transactions)
{
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _done;
    private int _strays;

    public ChaosApi Api { get; } = api;
    public TxRecord?[] Records { get; } = new TxRecord?[transactions];
    public Task AllDone => _allDone.Task;
    /// <summary>Replies that named no transaction of this ledger.</summary>
    public int Strays => Volatile.Read(ref _strays);

    public TxRecord? Find(object? correlation) =>
        correlation is int seq && seq >= 0 && seq < Records.Length && Records[seq] is { } record ? record : null;

    public void Stray() => Interlocked.Increment(ref _strays);

    /// <summary>A transaction's flow is over (ended, left open as planned, or failed).</summary>
    public void Done()
    {
        if (Interlocked.Increment(ref _done) == Records.Length) _allDone.TrySetResult();
    }
}
