using Akka.Actor;
using ActorProducer.Actors;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Settings;

namespace ActorProducer;

/// <summary>
/// The Task facade over a producer actor, for code that is not an actor. One instance per node, shared by
/// every caller and topic (see README: never one per send or per entity).
/// </summary>
public interface IRocketMqProducer : IAsyncDisposable
{
    /// <summary>The generated client id (x-mq-client-id), also on every log line of this producer.</summary>
    string ClientId { get; }

    /// <summary>The producer actor: Tell it <see cref="Send"/> / <see cref="SendBatch"/> from actors.</summary>
    IActorRef Actor { get; }

    /// <summary>Completes once the producer has shut down (disposed, or its actor system terminated); it then refuses every request.</summary>
    Task WhenStopped { get; }

    /// <summary>Sends one message; completes with its receipt or throws <see cref="RocketMqProducerException"/>.</summary>
    Task<SendResult> SendAsync(ProducerMessage message, CancellationToken cancellationToken = default);

    /// <summary>Sends several messages in one request; completes with one outcome per message (never throws for a send failure).</summary>
    Task<SendBatchCompleted> SendBatchAsync(IReadOnlyList<ProducerMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Begins a transaction (needs a transaction checker); throws <see cref="RocketMqProducerException"/> if it cannot.</summary>
    Task<IRocketMqTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// One transaction: send its half message, run the local transaction, then commit or roll back.
/// Every step throws <see cref="RocketMqProducerException"/> on failure.
/// </summary>
public interface IRocketMqTransaction
{
    /// <summary>The handle, to use with the actor protocol as well.</summary>
    TransactionHandle Handle { get; }

    /// <summary>Sends the half message (one per transaction); it stays invisible until committed.</summary>
    Task<SendResult> SendAsync(ProducerMessage message, CancellationToken cancellationToken = default);

    /// <summary>Makes the half message visible to consumers.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>Discards the half message.</summary>
    Task RollbackAsync(CancellationToken cancellationToken = default);
}

/// <summary>The facade's implementation: asks (<see cref="FacadeReplies"/>) with a timeout just above the producer's own send deadline, so no Task can hang.</summary>
internal sealed class RocketMqProducer(IActorRef actor, string clientId, ProducerSettings settings, Action onDisposed) : IRocketMqProducer
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private readonly FacadeReplies _replies = new(actor);

    public string ClientId => clientId;
    public IActorRef Actor => actor;
    public Task WhenStopped => _whenStopped.Task;

    private readonly TaskCompletionSource _whenStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<SendResult> SendAsync(ProducerMessage message, CancellationToken cancellationToken = default)
    {
        ThrowIfStopped();
        return Unwrap(await _replies.Ask<SendOutcome>(actor, new Send(message), settings.SendDeadline + Margin, cancellationToken).ConfigureAwait(false));
    }

    public Task<SendBatchCompleted> SendBatchAsync(IReadOnlyList<ProducerMessage> messages, CancellationToken cancellationToken = default) =>
        _stopped
            ? Task.FromResult(new SendBatchCompleted(messages is { Count: > 0 }
                ? messages.Select(m => (SendOutcome)new SendFailed(Stopped, m?.Topic ?? "", null, 0, null)).ToArray()
                : [new SendFailed(Stopped, "", null, 0, null)], null))
            : _replies.Ask<SendBatchCompleted>(actor, new SendBatch(messages), settings.SendDeadline + Margin, cancellationToken);

    public async Task<IRocketMqTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        await (_stopped ? Task.FromException<object>(new RocketMqProducerException(Stopped)) : _replies.Ask<object>(actor, new BeginTransaction(), settings.RequestTimeout + Margin, cancellationToken)).ConfigureAwait(false) switch
        {
            TransactionBegun begun => new Transaction(this, begun.Handle),
            TransactionFailed failed => throw new RocketMqProducerException(failed.Error),
            var other => throw new InvalidOperationException($"unexpected reply {other}"),
        };

    private async Task<SendResult> SendInTransactionAsync(TransactionHandle handle, ProducerMessage message, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        return Unwrap(await _replies.Ask<SendOutcome>(actor, new SendInTransaction(handle, message), settings.SendDeadline + Margin, cancellationToken).ConfigureAwait(false));
    }

    private async Task EndAsync(TransactionHandle handle, Transactions.TransactionResolution resolution, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        var reply = await _replies.Ask<object>(actor, new EndTransaction(handle, resolution), settings.SendDeadline + Margin, cancellationToken).ConfigureAwait(false);
        if (reply is TransactionFailed failed) throw new RocketMqProducerException(failed.Error);
    }

    private static SendResult Unwrap(SendOutcome outcome) => outcome switch
    {
        SendResult result => result,
        SendFailed failed => throw new RocketMqProducerException(failed.Error),
        _ => throw new InvalidOperationException($"unexpected reply {outcome}"),
    };

    private sealed class Transaction(RocketMqProducer producer, TransactionHandle handle) : IRocketMqTransaction
    {
        public TransactionHandle Handle => handle;
        public Task<SendResult> SendAsync(ProducerMessage message, CancellationToken ct = default) => producer.SendInTransactionAsync(handle, message, ct);
        public Task CommitAsync(CancellationToken ct = default) => producer.EndAsync(handle, Transactions.TransactionResolution.Commit, ct);
        public Task RollbackAsync(CancellationToken ct = default) => producer.EndAsync(handle, Transactions.TransactionResolution.Rollback, ct);
    }

    // Once the actor is stopped an Ask could only time out: callers get the ShuttingDown answer it would have given.
    private static readonly ProducerError Stopped = new(ProducerErrorKind.ShuttingDown, null, false,
        "the producer was disposed; nothing was sent. Start a new one with RocketMqProducerExtension.StartProducerAsync");

    private readonly object _disposeLock = new();
    private Task? _disposal;
    private volatile bool _stopped;

    private void ThrowIfStopped()
    {
        if (_stopped) throw new RocketMqProducerException(Stopped);
    }

    /// <summary>Graceful shutdown: drain in-flight sends, notify the servers, stop the actor. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeLock) _disposal ??= ShutDownAsync();
        return new(_disposal);
    }

    private async Task ShutDownAsync()
    {
        try
        {
            await actor.Ask<ProducerActor.ShutdownCompleted>(new ProducerActor.Shutdown("disposed"),
                settings.ShutdownDrainTimeout + settings.RequestTimeout + Margin).ConfigureAwait(false);
        }
        catch (AskTimeoutException) { /* already gone: nothing left to drain */ }
        finally
        {
            // The actor is kept: a late Tell still gets its ShuttingDown reply instead of going to dead letters.
            _stopped = true;
            _replies.Retire();
            onDisposed();
            _whenStopped.TrySetResult();
        }
    }
}
