using System.Collections.Concurrent;
using Akka.Actor;

namespace ActorProducer;

/// <summary>
/// Reply targets for the Task facade, in place of Ask on every send: an Ask registers a temporary actor and starts a
/// timer per request (about 1.3 KB per send), while a <see cref="Reply{T}"/> is one small actor ref completing a
/// Task with the first message told to it. One sweep a second fails replies still open past their deadline with the
/// <see cref="AskTimeoutException"/> an Ask would have thrown, so no Task can hang whatever happens to the actor.
/// </summary>
internal sealed class FacadeReplies
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<IPending, byte> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly IActorRefProvider _provider;
    private readonly ActorPath _path;
    private readonly Timer _sweep;
    private volatile bool _retired;

    public FacadeReplies(IActorRef producer)
    {
        _provider = ((IInternalActorRef)producer).Provider;
        _path = producer.Path / "facade-reply";
        _sweep = new Timer(static state => ((FacadeReplies)state!).FailExpired(), this, SweepInterval, SweepInterval);
    }

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/>; the Task completes with its reply, or fails after <paramref name="timeout"/>.</summary>
    public Task<T> Ask<T>(IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new Reply<T>(this, DateTime.UtcNow + timeout, timeout);
        if (cancellationToken.CanBeCanceled)
            reply.CancelWith(cancellationToken);
        _pending[reply] = 0;
        target.Tell(message, reply);
        return reply.Task;
    }

    /// <summary>Requests still waiting for their reply.</summary>
    internal int Pending => _pending.Count;

    /// <summary>The producer has stopped: the sweep ends once the last open reply has completed or expired.</summary>
    public void Retire() => _retired = true;

    private void FailExpired()
    {
        var now = DateTime.UtcNow;
        foreach (var (pending, _) in _pending)
            if (pending.Deadline <= now) pending.Expire();
        if (_retired && _pending.IsEmpty) _sweep.Dispose();
    }

    private interface IPending
    {
        DateTime Deadline { get; }
        void Expire();
    }

    /// <summary>
    /// One request's reply target. Its first message (or the expiry, or a cancellation) completes the Task. All share
    /// one display path (a path per request would cost an allocation per send), so they compare equal as actor refs:
    /// nothing keys on them, they only receive the one reply.
    /// </summary>
    private sealed class Reply<T>(FacadeReplies owner, DateTime deadline, TimeSpan timeout) : MinimalActorRef, IPending
    {
        // Like Ask: the caller's continuation must not run on the thread of the actor that replied.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenRegistration _cancellation;

        public Task<T> Task => _completion.Task;
        public DateTime Deadline => deadline;
        public override ActorPath Path => owner._path;
        public override IActorRefProvider Provider => owner._provider;

        protected override void TellInternal(object message, IActorRef sender)
        {
            var completed = message is T reply
                ? _completion.TrySetResult(reply)
                : _completion.TrySetException(new InvalidOperationException($"unexpected reply {message} (expected {typeof(T).Name})"));
            if (completed) Forget();
        }

        public void Expire()
        {
            if (_completion.TrySetException(new AskTimeoutException($"no reply from the producer within {timeout}"))) Forget();
        }

        public void CancelWith(CancellationToken cancellationToken) =>
            _cancellation = cancellationToken.Register(static state =>
            {
                var reply = (Reply<T>)state!;
                if (reply._completion.TrySetCanceled()) reply.Forget();
            }, this);

        private void Forget()
        {
            owner._pending.TryRemove(this, out _);
            // A long-lived token (e.g. the application's stopping token) must not collect one registration per send.
            _cancellation.Unregister();
        }
    }
}
