using Akka.Actor;
using Akka.Event;
using Apache.Rocketmq.V2;
using ActorProducer.Diagnostics;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Settings;
using ActorProducer.Transactions;
using Google.Protobuf;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Actors;

/// <summary>
/// Owns the producer's transactions: the state of each handle (one half message, one decision), the
/// EndTransaction calls to the endpoints that stored the half messages, and the broker's orphaned-transaction
/// checks, which it runs through the user's checker with bounded concurrency and a timeout per check —
/// away from the senders, so a slow checker never delays a send.
/// </summary>
internal sealed class TransactionsActor : ReceiveActor
{
    /// <summary>Where the user's checker comes from; both null = no transactions.</summary>
    public sealed record CheckerSource(ITransactionChecker? Checker, Props? CheckerProps)
    {
        public bool IsConfigured => Checker is not null || CheckerProps is not null;
    }

    private enum Stage { Begun, Sending, HalfSent, Ending, Ended }

    private sealed class Transaction(TransactionHandle handle)
    {
        public TransactionHandle Handle { get; } = handle;
        public Stage Stage { get; set; } = Stage.Begun;
        public SendResult? Receipt { get; set; }
        public Resolution? Resolution { get; set; }
        /// <summary>The caller waiting for the step on the wire (half message or EndTransaction), if any.</summary>
        public Waiter? Waiting { get; set; }
    }

    private sealed record Waiter(IActorRef ReplyTo, object? Correlation, string Topic, Resolution? Ending);

    /// <summary>Rides along a half message's SendJob so the receipt comes back here first.</summary>
    private sealed record HalfMessageCorrelation(TransactionHandle Handle, IActorRef ReplyTo, object? Correlation);
    private sealed record ClientEndTag(TransactionHandle Handle, Resolution Resolution, IActorRef ReplyTo, object? Correlation);
    private sealed record CheckEndTag(TransactionMessageView View, Resolution Resolution);
    private sealed record PendingCheck(AccessPoint Endpoint, TransactionMessageView View);
    private sealed record CheckDone(PendingCheck Check, Resolution? Resolution, string? Problem);

    private const int RememberedEndedTransactions = 10_000;

    private readonly ProducerSettings _settings;
    private readonly CheckerSource _checkers;
    private readonly ProducerLog _log;
    private readonly Dictionary<Guid, Transaction> _transactions = [];
    private readonly Queue<Guid> _ended = new();
    private readonly Queue<PendingCheck> _queuedChecks = new();
    private TopicSenderActor.SenderContext _context;
    private IActorRef? _checkerActor;
    private int _runningChecks;
    /// <summary>Transactions whose check is queued, running or being answered: a new round for them is skipped.</summary>
    private readonly HashSet<string> _checksInProgress = new(StringComparer.Ordinal);

    public TransactionsActor(ProducerSettings settings, string clientId, CheckerSource checkers, TopicSenderActor.SenderContext context)
    {
        _settings = settings;
        _checkers = checkers;
        _context = context;
        _log = new ProducerLog(Context.GetLogger(), clientId);

        Receive<BeginTransaction>(Begin);
        Receive<SendInTransaction>(SendHalfMessage);
        Receive<SendOutcome>(o => o.Correlation is HalfMessageCorrelation, HalfMessageAnswered);
        Receive<EndTransaction>(End);
        Receive<ConnectionActor.CallResult>(r => r.Tag is ClientEndTag, ClientEndAnswered);
        Receive<ConnectionActor.CallResult>(r => r.Tag is CheckEndTag, CheckEndAnswered);
        Receive<ConnectionActor.OrphanedTransactionCheck>(OnCheckRequested);
        Receive<CheckDone>(OnCheckDone);
        Receive<TopicSenderActor.SenderContext>(c => _context = c);
    }

    public static Props Props(ProducerSettings settings, string clientId, CheckerSource checkers, TopicSenderActor.SenderContext context) =>
        Akka.Actor.Props.Create(() => new TransactionsActor(settings, clientId, checkers, context));

    protected override void PreStart()
    {
        if (_checkers.CheckerProps is { } props) _checkerActor = Context.ActorOf(props, "checker");
    }

    protected override void PreRestart(Exception reason, object message)
    {
        FailWaiting(ProducerErrorKind.Unavailable, $"the producer's transactions component failed ({reason.Message}) and was restarted");
        base.PreRestart(reason, message);
    }

    protected override void PostStop() => FailWaiting(ProducerErrorKind.ShuttingDown, "the producer stopped");

    /// <summary>
    /// Stopping (shutdown) or restarting with a half message or an EndTransaction still on the wire: its answer would
    /// reach no one, so each waiting caller gets its one reply now, saying that the outcome is unknown.
    /// </summary>
    private void FailWaiting(ProducerErrorKind kind, string what)
    {
        foreach (var transaction in _transactions.Values)
        {
            if (transaction.Waiting is not { } waiting) continue;
            transaction.Waiting = null;
            if (waiting.Ending is { } resolution)
                waiting.ReplyTo.Tell(new TransactionFailed(transaction.Handle, new ProducerError(kind, null, false,
                    $"{what} before the broker answered {Verb(resolution)} {transaction.Handle} (transaction {transaction.Receipt?.TransactionId}); " +
                    "it may or may not have been applied — if not, the broker's check asks a running producer's transaction checker"),
                    waiting.Correlation));
            else
                waiting.ReplyTo.Tell(new SendFailed(new ProducerError(kind, null, false,
                    $"{what} before the half message of {transaction.Handle} was acknowledged; it may or may not have been stored — " +
                    "if it was, the broker's check asks a running producer's transaction checker"),
                    waiting.Topic, null, 0, waiting.Correlation));
        }
    }

    // ---- the caller's flow: begin → half message → commit / rollback ---------------------------

    private void Begin(BeginTransaction begin)
    {
        if (!_checkers.IsConfigured)
        {
            Sender.Tell(new TransactionFailed(null, ProducerError.Invalid("TransactionChecker",
                "transactions need a transaction checker: set RocketMqProducerSetup.TransactionChecker (or TransactionCheckerProps) when starting the producer"),
                begin.Correlation));
            return;
        }
        var transaction = new Transaction(new TransactionHandle(Guid.NewGuid()));
        _transactions[transaction.Handle.Id] = transaction;
        Sender.Tell(new TransactionBegun(transaction.Handle, begin.Correlation));
    }

    private void SendHalfMessage(SendInTransaction send)
    {
        if (Find(send.Handle, "send a message in", out var transaction) is { } problem)
        {
            Sender.Tell(new SendFailed(problem, send.Message.Topic, null, 0, send.Correlation));
            return;
        }
        if (transaction!.Stage != Stage.Begun)
        {
            Sender.Tell(new SendFailed(ProducerError.Invalid("Handle",
                $"{send.Handle} already has its message (a transaction holds exactly one); begin a new transaction for another message"),
                send.Message.Topic, null, 0, send.Correlation));
            return;
        }
        transaction.Stage = Stage.Sending;
        transaction.Waiting = new Waiter(Sender, send.Correlation, send.Message.Topic, null);
        Context.Parent.Tell(new ProducerActor.SubmitHalfMessage(send.Message, new HalfMessageCorrelation(send.Handle, Sender, send.Correlation)));
    }

    private void HalfMessageAnswered(SendOutcome outcome)
    {
        var correlation = (HalfMessageCorrelation)outcome.Correlation!;
        if (_transactions.TryGetValue(correlation.Handle.Id, out var transaction))
        {
            transaction.Waiting = null;
            transaction.Receipt = outcome as SendResult;
            // A failed half message leaves the transaction open: the caller may send again or roll back locally.
            transaction.Stage = transaction.Receipt is null ? Stage.Begun : Stage.HalfSent;
        }
        correlation.ReplyTo.Tell(outcome switch
        {
            SendResult result => result with { Correlation = correlation.Correlation },
            SendFailed failed => failed with { Correlation = correlation.Correlation },
            _ => outcome,
        });
    }

    private void End(EndTransaction end)
    {
        if (Find(end.Handle, "end", out var transaction) is { } problem)
        {
            Sender.Tell(new TransactionFailed(end.Handle, problem, end.Correlation));
            return;
        }
        var refusal = transaction!.Stage switch
        {
            Stage.Begun or Stage.Sending => $"{end.Handle} has no half message stored yet; send it (and wait for its SendResult) before {Verb(end.Resolution)}",
            Stage.Ending => $"{end.Handle} is already being ended",
            Stage.Ended => $"{end.Handle} was already {Past(transaction.Resolution!.Value)}; a transaction is ended once",
            _ => null,
        };
        if (end.Resolution == Resolution.Unknown)
            refusal = "a transaction is ended with Commit or Rollback; Unknown is only a checker's answer";
        if (refusal is not null)
        {
            Sender.Tell(new TransactionFailed(end.Handle, ProducerError.Invalid("Handle", refusal), end.Correlation));
            return;
        }
        transaction.Stage = Stage.Ending;
        transaction.Waiting = new Waiter(Sender, end.Correlation, transaction.Receipt!.Topic, end.Resolution);
        var receipt = transaction.Receipt!;
        SendEndTransaction(receipt.Topic, receipt.MessageId, receipt.TransactionId!, end.Resolution, TransactionSource.SourceClient,
            receipt.Endpoint, new ClientEndTag(end.Handle, end.Resolution, Sender, end.Correlation));
    }

    private void ClientEndAnswered(ConnectionActor.CallResult result)
    {
        var tag = (ClientEndTag)result.Tag;
        var transaction = _transactions[tag.Handle.Id];
        transaction.Waiting = null;
        var receipt = transaction.Receipt!;
        var error = result.Error ?? ErrorOf((EndTransactionResponse)result.Response!, receipt.Topic, receipt.TransactionId!, tag.Resolution, result.Endpoint);
        if (error is not null)
        {
            transaction.Stage = Stage.HalfSent; // the caller may try again; the broker's check resolves it otherwise
            tag.ReplyTo.Tell(new TransactionFailed(tag.Handle, error, tag.Correlation));
            return;
        }
        var resolution = tag.Resolution;
        transaction.Stage = Stage.Ended;
        transaction.Resolution = resolution;
        Forget(transaction);
        tag.ReplyTo.Tell(new TransactionEnded(tag.Handle, resolution, receipt.TransactionId!, tag.Correlation));
    }

    // ---- the broker's checks -------------------------------------------------------------------

    private void OnCheckRequested(ConnectionActor.OrphanedTransactionCheck request)
    {
        TransactionMessageView view;
        try
        {
            view = ToView(request.Command);
        }
        catch (InvalidDataException e)
        {
            // As the official clients: a message that cannot be decoded is not shown to the checker; the broker asks again.
            _log.Error("server at {0} asked about transaction {1} but its message could not be decoded ({2}); the check is ignored",
                request.Endpoint, request.Command.TransactionId, e.Message);
            return;
        }
        if (!_checkers.IsConfigured)
        {
            _log.Warning("server at {0} asked about transaction {1} (message {2}, topic '{3}') but no transaction checker is configured; it will ask again",
                request.Endpoint, view.TransactionId, view.MessageId, view.Topic);
            return;
        }
        // A slow checker (or a long queue) outlasts the broker's check interval: the next round of the same transaction
        // must not queue a second check and send a second EndTransaction. If this one ends Unknown, the broker asks again.
        if (!_checksInProgress.Add(view.TransactionId))
        {
            _log.Debug("check of transaction {0} (message {1}) is still in progress; this round is skipped", view.TransactionId, view.MessageId);
            return;
        }
        var check = new PendingCheck(request.Endpoint, view);
        if (_runningChecks < _settings.MaxConcurrentChecks) Run(check);
        else if (_queuedChecks.Count < _settings.MaxQueuedChecks) _queuedChecks.Enqueue(check);
        else
        {
            _checksInProgress.Remove(view.TransactionId);
            _log.Warning("dropped the check of transaction {0} (message {1}): {2} checks already queued; the broker will ask again",
                view.TransactionId, view.MessageId, _queuedChecks.Count);
        }
    }

    private void Run(PendingCheck check)
    {
        _runningChecks++;
        var timeout = _settings.CheckTimeout;
        Task<Resolution> decision;
        try
        {
            decision = _checkerActor is not null
                ? _checkerActor.Ask<Resolution>(new CheckTransaction(check.View), timeout)
                : RunChecker(_checkers.Checker!, check.View, timeout);
        }
        catch (Exception e)
        {
            decision = Task.FromException<Resolution>(e);
        }
        // WaitAsync's timer can fire after a late answer on a starved thread pool: the clock decides, not the race.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        decision.WaitAsync(timeout).PipeTo(Self,
            success: r => System.Diagnostics.Stopwatch.GetElapsedTime(started) <= timeout
                ? new CheckDone(check, r, null)
                : new CheckDone(check, null, $"the checker answered {r} after the check timeout of {timeout.TotalSeconds:0.###}s; ignored"),
            failure: e => new CheckDone(check, null, e.GetBaseException() is TimeoutException or TaskCanceledException
                ? $"the checker did not answer within {timeout.TotalSeconds:0.#}s"
                : $"the checker threw {e.GetBaseException().GetType().Name}: {e.GetBaseException().Message}"));
    }

    private static async Task<Resolution> RunChecker(ITransactionChecker checker, TransactionMessageView view, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await checker.CheckAsync(view, cancellation.Token).ConfigureAwait(false);
    }

    private void OnCheckDone(CheckDone done)
    {
        _runningChecks--;
        var view = done.Check.View;
        if (done.Resolution is { } resolution and not Resolution.Unknown)
        {
            _log.Info("checker decided {0} for transaction {1} (message {2}, topic '{3}')", resolution, view.TransactionId, view.MessageId, view.Topic);
            SendEndTransaction(view.Topic, view.MessageId, view.TransactionId, resolution, TransactionSource.SourceServerCheck,
                done.Check.Endpoint.Facade, new CheckEndTag(view, resolution));
        }
        else
        {
            // As the official clients: nothing is sent, the broker asks again at its next check.
            _checksInProgress.Remove(view.TransactionId);
            _log.Warning("transaction {0} (message {1}, topic '{2}') stays unresolved: {3}; the broker will ask again",
                view.TransactionId, view.MessageId, view.Topic, done.Problem ?? "the checker answered Unknown");
        }
        if (_runningChecks < _settings.MaxConcurrentChecks && _queuedChecks.TryDequeue(out var next)) Run(next);
    }

    private void CheckEndAnswered(ConnectionActor.CallResult result)
    {
        var tag = (CheckEndTag)result.Tag;
        _checksInProgress.Remove(tag.View.TransactionId);
        var error = result.Error ?? ErrorOf((EndTransactionResponse)result.Response!, tag.View.Topic, tag.View.TransactionId, tag.Resolution, result.Endpoint);
        if (error is null) _log.Debug("transaction {0} {1} after a check", tag.View.TransactionId, Past(tag.Resolution));
        else _log.Warning("could not {0} transaction {1} (message {2}) after a check: {3}",
            tag.Resolution.ToString().ToLowerInvariant(), tag.View.TransactionId, tag.View.MessageId, error.Message);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void SendEndTransaction(string topic, string messageId, string transactionId, Resolution resolution,
        TransactionSource source, string? endpoint, object tag)
    {
        var request = new EndTransactionRequest
        {
            Topic = new Resource { ResourceNamespace = _settings.Namespace, Name = topic },
            MessageId = messageId,
            TransactionId = transactionId,
            Resolution = resolution == Resolution.Commit ? Apache.Rocketmq.V2.TransactionResolution.Commit : Apache.Rocketmq.V2.TransactionResolution.Rollback,
            Source = source,
        };
        var connection = (_context.Connections.FirstOrDefault(c => c.Key.Facade == endpoint).Value
                          ?? _context.Connections.GetValueOrDefault(_settings.AccessPoint))?.Actor;
        var call = new ConnectionActor.Call(
            async (transport, timeout) => (IMessage)await transport.EndTransactionAsync(request, timeout).ConfigureAwait(false),
            DateTime.UtcNow + _settings.RequestTimeout + _settings.HandshakeDeadline, tag,
            $"EndTransaction {resolution} of transaction {transactionId}");
        if (connection is null)
            Self.Tell(new ConnectionActor.CallResult(tag, null, new ProducerError(ProducerErrorKind.Unavailable, null, true,
                $"no connection to {endpoint ?? _settings.AccessPoint.Facade} to end transaction {transactionId}"), _settings.AccessPoint));
        else connection.Tell(call);
    }

    /// <summary>
    /// The error of a refused EndTransaction, worded for the decision rather than a send. The proxy answers
    /// INTERNAL_SERVER_ERROR ("cannot found transaction data") when it no longer holds the transaction (behavior.md §6.3):
    /// ending it again cannot succeed, only the broker's check (answered by a checker) can resolve it.
    /// </summary>
    private static ProducerError? ErrorOf(EndTransactionResponse response, string topic, string transactionId, Resolution resolution, AccessPoint endpoint)
    {
        var code = response.Status?.Code ?? Code.Unspecified;
        if (code == Code.Ok) return null;
        var statusMessage = response.Status?.Message ?? "";
        var error = StatusClassifier.FromStatus(code, statusMessage, topic, endpoint.Facade);
        var refused = $"{endpoint.Facade} refused to {Infinitive(resolution)} transaction {transactionId} of topic '{topic}' with {StatusClassifier.CodeName(code)} {(int)code}" +
                      (string.IsNullOrWhiteSpace(statusMessage) ? "" : $" (server said: \"{statusMessage}\")");
        return code == Code.InternalServerError
            ? error with
            {
                IsRetryable = false,
                Message = $"{refused}: the proxy no longer holds this transaction (it keeps it about 30 s after the send or the last check, drops it once ended, forgets it on restart), so ending it again cannot succeed; the broker will check the half message and a transaction checker of topic '{topic}' decides",
            }
            : error with { Message = $"{refused}: {error.Message}" };
    }

    private ProducerError? Find(TransactionHandle handle, string action, out Transaction? transaction)
    {
        if (_transactions.TryGetValue(handle.Id, out transaction)) return null;
        return ProducerError.Invalid("Handle",
            $"cannot {action} {handle}: this producer does not know it (it was begun by another producer or before a restart, or ended long ago)");
    }

    private void Forget(Transaction transaction)
    {
        // Ended handles are remembered a while so that reuse gets "already committed", not "unknown".
        _ended.Enqueue(transaction.Handle.Id);
        if (_ended.Count > RememberedEndedTransactions) _transactions.Remove(_ended.Dequeue());
    }

    private static TransactionMessageView ToView(RecoverOrphanedTransactionCommand command)
    {
        var message = command.Message ?? new Message();
        var system = message.SystemProperties ?? new SystemProperties();
        return new TransactionMessageView(
            message.Topic?.Name ?? "",
            system.MessageId,
            command.TransactionId,
            system.BodyEncoding == Encoding.Gzip ? Gunzip(message.Body) : message.Body.Memory,
            system.HasTag ? system.Tag : null,
            system.Keys.ToArray(),
            message.UserProperties.ToDictionary(p => p.Key, p => p.Value),
            system.BornTimestamp?.ToDateTimeOffset(),
            system.BornHost);
    }

    /// <summary>Bodies the server marks GZIP (compressed by another client) are shown decompressed, as Java's MessageView does.</summary>
    private static ReadOnlyMemory<byte> Gunzip(ByteString body)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(body.ToByteArray()), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static string Verb(Resolution r) => r == Resolution.Commit ? "committing" : "rolling back";
    private static string Infinitive(Resolution r) => r == Resolution.Commit ? "commit" : "roll back";
    private static string Past(Resolution r) => r == Resolution.Commit ? "committed" : "rolled back";
}
