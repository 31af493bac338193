using System.Collections.Concurrent;
using ActorProducer.Transactions;

namespace ActorProducer.Transactions.Tests.Infrastructure;

/// <summary>
/// A transaction checker for specs: decides with a delegate (given the view, the 1-based number of this check and
/// the check-timeout token), records every check it was asked, and lets a spec await the n-th check without polling.
/// </summary>
public sealed class RecordingChecker : ITransactionChecker
{
    private readonly Func<TransactionMessageView, int, CancellationToken, Task<TransactionResolution>> _decide;
    private readonly ConcurrentQueue<TransactionMessageView> _checks = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _signals = new();
    private int _count;

    public RecordingChecker(Func<TransactionMessageView, int, CancellationToken, Task<TransactionResolution>> decide) => _decide = decide;

    /// <summary>Always answers <paramref name="resolution"/>.</summary>
    public static RecordingChecker Answering(TransactionResolution resolution) => new((_, _, _) => Task.FromResult(resolution));

    /// <summary>
    /// Decides from a "durable" store keyed by the message's first key, as a real checker reads its database:
    /// a key the store does not hold yet is <see cref="TransactionResolution.Unknown"/> (the broker asks again).
    /// </summary>
    public static RecordingChecker FromStore(IReadOnlyDictionary<string, TransactionResolution> store) =>
        new((view, _, _) => Task.FromResult(
            view.Keys.Count > 0 && store.TryGetValue(view.Keys[0], out var decided) ? decided : TransactionResolution.Unknown));

    /// <summary>Checks asked so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Every check asked so far, in arrival order.</summary>
    public IReadOnlyList<TransactionMessageView> Checks => _checks.ToArray();

    /// <summary>Completes when the checker has been asked at least <paramref name="n"/> times.</summary>
    public Task WhenAsked(int n = 1) => Signal(n).Task;

    public async Task<TransactionResolution> CheckAsync(TransactionMessageView message, CancellationToken cancellationToken)
    {
        _checks.Enqueue(message);
        var n = Interlocked.Increment(ref _count);
        try
        {
            return await _decide(message, n, cancellationToken);
        }
        finally
        {
            // Signalled after deciding, so "asked n times" also means "the n-th answer is known".
            Signal(n).TrySetResult();
        }
    }

    private TaskCompletionSource Signal(int n) =>
        _signals.GetOrAdd(n, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
