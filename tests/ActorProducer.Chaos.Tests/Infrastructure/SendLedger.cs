using System.Diagnostics;
using ActorProducer.Errors;
using ActorProducer.Messages;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>The two ways in: Tell to the producer actor (reply to a collecting actor) and the Task facade.</summary>
public enum ChaosApi
{
    Actor,
    Facade,
}

/// <summary>One send: what was sent, when, and every reply it got (exactly one is the only correct count).</summary>
public sealed class SendRecord(int seq, ProducerMessage? message, bool isBad)
{
    private int _replies;

    public int Seq { get; } = seq;
    public ProducerMessage? Message { get; } = message;
    /// <summary>A deliberately invalid message (bad-input scenario).</summary>
    public bool IsBad { get; } = isBad;
    public long StartedAt { get; set; }
    public long FinishedAt { get; private set; }
    public int Replies => Volatile.Read(ref _replies);
    public SendResult? Result { get; private set; }
    public ProducerError? Error { get; private set; }
    /// <summary>Attempts the producer reported (actor API only; the facade's exception does not carry them).</summary>
    public int? Attempts { get; private set; }
    /// <summary>A reply that is neither a receipt nor a typed failure (an Ask timeout, a wrong message type...).</summary>
    public string? Untyped { get; private set; }

    public TimeSpan Latency => Stopwatch.GetElapsedTime(StartedAt, FinishedAt);

    /// <summary>Records a reply; true only for the first one.</summary>
    public bool Complete(SendResult? result, ProducerError? error, int? attempts, string? untyped)
    {
        if (Interlocked.Increment(ref _replies) != 1) return false;
        FinishedAt = Stopwatch.GetTimestamp();
        Result = result;
        Error = error;
        Attempts = attempts;
        Untyped = untyped;
        return true;
    }
}

/// <summary>Every send of one API in one scenario run, by sequence number.</summary>
public sealed class SendLedger(ChaosApi api, int sends)
{
    private readonly TaskCompletionSource _allReplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _replied;
    private int _strays;

    public ChaosApi Api { get; } = api;
    public SendRecord?[] Records { get; } = new SendRecord?[sends];
    /// <summary>Replies that named no send of this ledger.</summary>
    public int Strays => Volatile.Read(ref _strays);
    /// <summary>Completes when every send has had its first reply.</summary>
    public Task AllReplied => _allReplied.Task;

    public SendRecord Start(int seq, ProducerMessage? message, bool isBad)
    {
        var record = new SendRecord(seq, message, isBad) { StartedAt = Stopwatch.GetTimestamp() };
        Records[seq] = record;
        return record;
    }

    /// <summary>Records a reply of the actor protocol (correlation = sequence number); true for the first reply of a send.</summary>
    public bool Complete(object reply)
    {
        if (reply is not SendOutcome { Correlation: int seq } outcome || seq < 0 || seq >= Records.Length || Records[seq] is not { } record)
        {
            Interlocked.Increment(ref _strays);
            return false;
        }
        return outcome switch
        {
            SendResult r => Count(record.Complete(r, null, r.Attempts, null)),
            SendFailed f => Count(record.Complete(null, f.Error, f.Attempts, null)),
            _ => Count(record.Complete(null, null, null, $"unexpected reply {outcome.GetType().Name}")),
        };
    }

    /// <summary>Records the facade's result for one send.</summary>
    public void Complete(SendRecord record, SendResult? result, Exception? failure) =>
        Count(failure switch
        {
            null => record.Complete(result, null, null, null),
            RocketMqProducerException e => record.Complete(null, e.Error, null, null),
            _ => record.Complete(null, null, null, $"{failure.GetType().Name}: {failure.Message}"),
        });

    private bool Count(bool first)
    {
        if (first && Interlocked.Increment(ref _replied) == Records.Length) _allReplied.TrySetResult();
        return first;
    }
}
