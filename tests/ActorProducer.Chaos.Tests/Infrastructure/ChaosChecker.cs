using System.Collections.Concurrent;
using ActorProducer.Transactions;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>How the transaction checker misbehaves until it is repaired.</summary>
public enum CheckerFault
{
    /// <summary>Answers after three check timeouts, and wrongly (the opposite decision): a late answer must be ignored.</summary>
    Slow,
    /// <summary>Throws (its database is down): the check must count as Unknown.</summary>
    Throwing,
}

/// <summary>
/// A checker that decides from a durable store of decisions keyed by the message's first key, as a real one reads its
/// database, and that misbehaves (<see cref="CheckerFault"/>) until <see cref="Repair"/>.
/// </summary>
public sealed class ChaosChecker(CheckerFault fault, TimeSpan checkTimeout) : ITransactionChecker
{
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);
    private volatile bool _broken = true;

    /// <summary>The decision each transaction's local transaction reached (what the checker must answer once repaired).</summary>
    public ConcurrentDictionary<string, TransactionResolution> Decisions { get; } = new(StringComparer.Ordinal);

    /// <summary>How often the checker was asked about <paramref name="key"/>.</summary>
    public int Asked(string key) => _asked.GetValueOrDefault(key);

    /// <summary>Checks answered (or failed) while broken.</summary>
    public int AskedWhileBroken => Volatile.Read(ref _askedWhileBroken);

    private int _askedWhileBroken;

    public void Repair() => _broken = false;

    public async Task<TransactionResolution> CheckAsync(TransactionMessageView message, CancellationToken cancellationToken)
    {
        var key = message.Keys[0];
        _asked.AddOrUpdate(key, 1, (_, n) => n + 1);
        var decision = Decisions.GetValueOrDefault(key, TransactionResolution.Unknown);
        if (!_broken) return decision;

        Interlocked.Increment(ref _askedWhileBroken);
        if (fault == CheckerFault.Throwing) throw new InvalidOperationException("the order database is unreachable (chaos)");
        // Ignores the cancellation as a blocking database driver would; the producer must stop waiting at the timeout.
        await Task.Delay(checkTimeout * 3, CancellationToken.None).ConfigureAwait(false);
        return decision switch
        {
            TransactionResolution.Commit => TransactionResolution.Rollback,
            TransactionResolution.Rollback => TransactionResolution.Commit,
            _ => decision,
        };
    }
}
