using Akka.Actor;
using Akka.Event;
using Apache.Rocketmq.V2;
using ActorProducer.Diagnostics;
using ActorProducer.Errors;
using ActorProducer.Settings;
using ActorProducer.Transport;
using Google.Protobuf;
using ExponentialBackoff = ActorProducer.Settings.ExponentialBackoff;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.Actors;

/// <summary>
/// Owns one endpoints value: its gRPC transport, its telemetry stream (settings handshake and re-sync,
/// server commands) and its heartbeat. Unary calls go through it so that, while the stream is being
/// (re)established, they wait here instead of failing; each waits at most until its own deadline.
/// States: <c>Connecting</c> (handshake in flight, calls held), <c>Ready</c>, <c>Reconnecting</c> (back-off, calls held).
/// </summary>
internal sealed class ConnectionActor : ReceiveActor, IWithTimers
{
    /// <summary>Run a unary RPC; the sender gets exactly one <see cref="CallResult"/> with the same <paramref name="Tag"/>.</summary>
    public sealed record Call(Func<IRocketMqTransport, TimeSpan, Task<IMessage>> Invoke, DateTime Deadline, object Tag, string Description)
        : INoSerializationVerificationNeeded;

    /// <summary>The answer to a <see cref="Call"/>: the response (whose status the caller checks) or a transport failure.</summary>
    public sealed record CallResult(object Tag, IMessage? Response, ProducerError? Error, AccessPoint Endpoint) : INoSerializationVerificationNeeded;

    /// <summary>New client settings to send (topics changed); re-sent on every stream.</summary>
    public sealed record UpdateClientSettings(Apache.Rocketmq.V2.Settings Settings) : INoSerializationVerificationNeeded;

    /// <summary>Graceful close: NotifyClientTermination, half-close the stream, reply <see cref="Closed"/>.</summary>
    public sealed record Close : INoSerializationVerificationNeeded { public static readonly Close Instance = new(); }

    public sealed record Closed(AccessPoint Endpoint) : INoSerializationVerificationNeeded;

    // Reports to the parent.
    public sealed record ServerSettingsReceived(AccessPoint Endpoint, Apache.Rocketmq.V2.Settings Settings) : INoSerializationVerificationNeeded;
    public sealed record EndpointHealthy(AccessPoint Endpoint) : INoSerializationVerificationNeeded;
    public sealed record OrphanedTransactionCheck(AccessPoint Endpoint, RecoverOrphanedTransactionCommand Command) : INoSerializationVerificationNeeded;

    private sealed record TelemetryReceived(int Generation, TelemetryCommand Command);
    private sealed record TelemetryEnded(int Generation, Exception? Error);
    private sealed record HandshakeTimedOut(int Generation);
    private sealed record Reconnect;
    private sealed record HeartbeatTick;
    private sealed record HeartbeatDone(bool Ok, string Detail);
    private sealed record SettingsSyncTick;
    private sealed record SweepHeld;

    private readonly AccessPoint _endpoint;
    private readonly ProducerSettings _settings;
    private readonly ClientIdentity _identity;
    private readonly ITransportFactory _transportFactory;
    private readonly ReadyTransport _ready;
    private readonly ProducerLog _log;
    private readonly Queue<(Call Call, IActorRef ReplyTo)> _held = new();
    private readonly ExponentialBackoff _reconnectBackoff;
    private readonly Random _random = new();

    private IRocketMqTransport _transport = null!;
    private Apache.Rocketmq.V2.Settings _clientSettings;
    private ITelemetryStream? _stream;
    private CancellationTokenSource? _streamCancellation;
    // Unique across incarnations too: after a restart, the old stream's last messages must not pass for the new one's.
    private static int s_streamGenerations;
    private int _generation;
    private int _reconnectAttempt;
    private string _lastProblem = "not connected yet";

    public ITimerScheduler Timers { get; set; } = null!;

    public ConnectionActor(AccessPoint endpoint, ProducerSettings settings, ClientIdentity identity,
        ITransportFactory transportFactory, Apache.Rocketmq.V2.Settings clientSettings, ReadyTransport ready)
    {
        _endpoint = endpoint;
        _ready = ready;
        _settings = settings;
        _identity = identity;
        _transportFactory = transportFactory;
        _clientSettings = clientSettings;
        _reconnectBackoff = new ExponentialBackoff(settings.ReconnectMinBackoff, settings.ReconnectMaxBackoff, 2, settings.ReconnectRandomFactor);
        _log = new ProducerLog(Context.GetLogger(), identity.ClientId);
        Connecting();
    }

    public static Props Props(AccessPoint endpoint, ProducerSettings settings, ClientIdentity identity,
        ITransportFactory transportFactory, Apache.Rocketmq.V2.Settings clientSettings, ReadyTransport ready) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(endpoint, settings, identity, transportFactory, clientSettings, ready));

    protected override void PreStart()
    {
        _transport = _transportFactory.Create(_endpoint, _identity);
        // First heartbeat soon after start (1 s, as the Java client), or sooner when the interval is shorter.
        var firstHeartbeat = _settings.HeartbeatInterval < TimeSpan.FromSeconds(1) ? _settings.HeartbeatInterval : TimeSpan.FromSeconds(1);
        Timers.StartPeriodicTimer(nameof(HeartbeatTick), new HeartbeatTick(), firstHeartbeat, _settings.HeartbeatInterval);
        Timers.StartPeriodicTimer(nameof(SettingsSyncTick), new SettingsSyncTick(), _settings.SettingsSyncInterval);
        OpenStream();
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // Keep held calls across the restart: the mailbox survives it, so the new incarnation receives them.
        foreach (var (call, replyTo) in _held) Self.Tell(call, replyTo);
        _held.Clear();
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _ready.Withdraw();
        CloseStream();
        FailHeld("the producer is shutting down");
        _ = _transport?.DisposeAsync().AsTask();
    }

    // ---- states -------------------------------------------------------------------------------

    private void Connecting()
    {
        Receive<Call>(Hold);
        Receive<TelemetryReceived>(r => r.Generation == _generation, r => OnTelemetry(r.Command, handshaking: true));
        Receive<HandshakeTimedOut>(t => t.Generation == _generation, _ =>
            StreamFailed($"no settings reply within {_settings.HandshakeDeadline.TotalSeconds:0.#}s"));
        CommonBehaviour();
    }

    private void Ready()
    {
        Receive<Call>(Execute);
        Receive<TelemetryReceived>(r => r.Generation == _generation, r => OnTelemetry(r.Command, handshaking: false));
        Receive<SettingsSyncTick>(_ => WriteSettings());
        CommonBehaviour();
    }

    private void Reconnecting()
    {
        Receive<Call>(Hold);
        Receive<Reconnect>(_ => OpenStream());
        CommonBehaviour();
    }

    private void CommonBehaviour()
    {
        Receive<TelemetryEnded>(e => e.Generation == _generation, e =>
            StreamFailed(e.Error is null ? "the server closed the telemetry stream" : Describe(e.Error)));
        Receive<UpdateClientSettings>(u =>
        {
            _clientSettings = u.Settings;
            WriteSettings();
        });
        Receive<HeartbeatTick>(_ => SendHeartbeat());
        Receive<HeartbeatDone>(h =>
        {
            if (h.Ok) Context.Parent.Tell(new EndpointHealthy(_endpoint));
            else _log.Debug("heartbeat to {0} failed: {1}", _endpoint, h.Detail);
        });
        Receive<SweepHeld>(_ => SweepExpired());
        Receive<Close>(_ => CloseGracefully());
        // Stale generations and ticks that do not apply to the current state.
        Receive<TelemetryReceived>(_ => { });
        Receive<TelemetryEnded>(_ => { });
        Receive<HandshakeTimedOut>(_ => { });
        Receive<Reconnect>(_ => { });
        Receive<SettingsSyncTick>(_ => { });
    }

    // ---- telemetry ----------------------------------------------------------------------------

    private void OpenStream()
    {
        CloseStream();
        var generation = _generation = Interlocked.Increment(ref s_streamGenerations);
        var self = Self;
        try
        {
            _stream = _transport.OpenTelemetry();
        }
        catch (Exception e)
        {
            StreamFailed(Describe(e));
            return;
        }
        _streamCancellation = new CancellationTokenSource();
        var stream = _stream;
        var token = _streamCancellation.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var command in stream.ReadAllAsync(token).ConfigureAwait(false))
                    self.Tell(new TelemetryReceived(generation, command));
                if (!token.IsCancellationRequested) self.Tell(new TelemetryEnded(generation, null));
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                self.Tell(new TelemetryEnded(generation, e));
            }
            catch (Exception)
            {
                // We closed this stream ourselves: nobody needs to hear that it ended.
            }
        }, CancellationToken.None);
        WriteSettings();
        Timers.StartSingleTimer(nameof(HandshakeTimedOut), new HandshakeTimedOut(generation), _settings.HandshakeDeadline);
        _ready.Withdraw();
        Become(Connecting);
    }

    private void WriteSettings() => Write(new TelemetryCommand { Settings = _clientSettings });

    private void Write(TelemetryCommand command)
    {
        if (_stream is null) return;
        var self = Self;
        var generation = _generation;
        _stream.WriteAsync(command).ContinueWith(
            t => self.Tell(new TelemetryEnded(generation, t.Exception?.GetBaseException())),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void OnTelemetry(TelemetryCommand command, bool handshaking)
    {
        switch (command.CommandCase)
        {
            case TelemetryCommand.CommandOneofCase.Settings:
                Context.Parent.Tell(new ServerSettingsReceived(_endpoint, command.Settings));
                if (handshaking) HandshakeCompleted();
                break;
            case TelemetryCommand.CommandOneofCase.RecoverOrphanedTransactionCommand:
                Context.Parent.Tell(new OrphanedTransactionCheck(_endpoint, command.RecoverOrphanedTransactionCommand));
                break;
            case TelemetryCommand.CommandOneofCase.PrintThreadStackTraceCommand:
                // .NET cannot dump other threads' stacks; answer as the Telemetry status table allows.
                Write(new TelemetryCommand
                {
                    Status = new Status { Code = Code.NotImplemented, Message = "thread stack traces are not supported by ActorProducer" },
                    ThreadStackTrace = new ThreadStackTrace { Nonce = command.PrintThreadStackTraceCommand.Nonce },
                });
                break;
            case TelemetryCommand.CommandOneofCase.VerifyMessageCommand:
                // A producer consumes nothing; answered like the Java producer.
                Write(new TelemetryCommand
                {
                    Status = new Status { Code = Code.NotImplemented, Message = "a producer cannot verify message consumption" },
                    VerifyMessageResult = new VerifyMessageResult { Nonce = command.VerifyMessageCommand.Nonce },
                });
                break;
            case TelemetryCommand.CommandOneofCase.ReconnectEndpointsCommand:
                _log.Info("server at {0} asked for a reconnect", _endpoint);
                _reconnectAttempt = 0;
                OpenStream();
                break;
            case TelemetryCommand.CommandOneofCase.None when command.Status is { } status && status.Code != Code.Ok:
                // The proxy answers an auth or client-id failure with a bare status and no settings (behavior.md §7.6).
                _log.Warning("server at {0} rejected the telemetry stream: {1} ({2}) {3}", _endpoint, status.Code, (int)status.Code, status.Message);
                if (handshaking) HandshakeRejected(status);
                break;
            default:
                _log.Debug("ignored telemetry command {0} from {1}", command.CommandCase, _endpoint);
                break;
        }
    }

    private void HandshakeCompleted()
    {
        Timers.Cancel(nameof(HandshakeTimedOut));
        if (_reconnectAttempt > 0) _log.Info("reconnected to {0} after {1} attempt(s)", _endpoint, _reconnectAttempt);
        else _log.Debug("connected to {0}", _endpoint);
        _reconnectAttempt = 0;
        _lastProblem = "none";
        BecomeReady();
    }

    /// <summary>
    /// A rejected handshake (e.g. wrong credentials) will not heal by holding calls: let them through so
    /// each gets the server's own answer, and keep retrying the stream in the background.
    /// </summary>
    private void HandshakeRejected(Status status)
    {
        Timers.Cancel(nameof(HandshakeTimedOut));
        _lastProblem = $"telemetry rejected with {status.Code} ({(int)status.Code}): {status.Message}";
        BecomeReady();
        ScheduleReconnect();
    }

    /// <summary>Calls run at once from now on: held ones are released and senders may call the transport directly.</summary>
    private void BecomeReady()
    {
        Become(Ready);
        _ready.Publish(_transport);
        ReleaseHeld();
    }

    private void StreamFailed(string problem)
    {
        _lastProblem = problem;
        Timers.Cancel(nameof(HandshakeTimedOut));
        CloseStream();
        _log.Warning("telemetry stream to {0} failed: {1}; reconnecting", _endpoint, problem);
        _ready.Withdraw();
        Become(Reconnecting);
        ScheduleReconnect();
    }

    private void ScheduleReconnect()
    {
        var attempt = ++_reconnectAttempt;
        // The first retry after a healthy stream dropped is immediate; then min × 2^(n−1), capped at max, with
        // jitter so producers do not reconnect in lockstep.
        var delay = attempt == 1 ? TimeSpan.Zero : _reconnectBackoff.WithJitter(_reconnectBackoff.DelayBefore(attempt - 1), _random);
        Timers.StartSingleTimer(nameof(Reconnect), new Reconnect(), delay);
    }

    private void CloseStream()
    {
        // Whatever the closed stream still reports (a failed write, its end) belongs to no current stream.
        _generation = Interlocked.Increment(ref s_streamGenerations);
        _streamCancellation?.Cancel();
        _streamCancellation?.Dispose();
        _streamCancellation = null;
        if (_stream is { } stream) _ = stream.DisposeAsync().AsTask();
        _stream = null;
    }

    // ---- unary calls --------------------------------------------------------------------------

    private void Execute(Call call)
    {
        if (!TryRun(_transport, static (transport, c, timeout) => c.Invoke(transport, timeout), call, call.Deadline, _settings.RequestTimeout, call.Tag, _endpoint, Sender))
            Sender.Tell(new CallResult(call.Tag, null, Expired(call), _endpoint));
    }

    /// <summary>
    /// Starts a unary call with one attempt's budget (the request timeout, cut to <paramref name="deadline"/>) and tells
    /// <paramref name="replyTo"/> its <see cref="CallResult"/> once it ends; false, and nothing started, when no time is
    /// left. The one place where calls run and their outcomes become messages: here, and in senders that found the
    /// connection ready. A static <paramref name="invoke"/> with its argument allocates nothing: this is on every send's path.
    /// </summary>
    internal static bool TryRun<TArg, T>(IRocketMqTransport transport, Func<IRocketMqTransport, TArg, TimeSpan, Task<T>> invoke, TArg arg,
        DateTime deadline, TimeSpan requestTimeout, object tag, AccessPoint endpoint, IActorRef replyTo) where T : IMessage
    {
        var remaining = deadline - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero) return false;
        var timeout = requestTimeout < remaining ? requestTimeout : remaining;
        Task<T> task;
        try { task = invoke(transport, arg, timeout); }
        catch (Exception e) { task = Task.FromException<T>(e); }
        task.ContinueWith(static (t, state) =>
            {
                var call = (PendingCall)state!;
                call.ReplyTo.Tell(t.IsCompletedSuccessfully
                    ? new CallResult(call.Tag, t.Result, null, call.Endpoint)
                    : new CallResult(call.Tag, null, TransportErrors.From((Exception?)t.Exception ?? new TaskCanceledException(t), call.Endpoint.Facade, call.Timeout), call.Endpoint));
            },
            new PendingCall(tag, endpoint, timeout, replyTo), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    private sealed record PendingCall(object Tag, AccessPoint Endpoint, TimeSpan Timeout, IActorRef ReplyTo);

    /// <summary>
    /// Holds a call until the stream is back, at most until the call's own deadline (one attempt's budget): enough to
    /// ride out a proxy restart; the failed attempt isolates the endpoint, so later sends go to other brokers at once.
    /// </summary>
    private void Hold(Call call)
    {
        _held.Enqueue((call, Sender));
        if (!Timers.IsTimerActive(nameof(SweepHeld)))
            Timers.StartPeriodicTimer(nameof(SweepHeld), new SweepHeld(), TimeSpan.FromMilliseconds(100));
    }

    private void ReleaseHeld()
    {
        Timers.Cancel(nameof(SweepHeld));
        while (_held.TryDequeue(out var held)) Self.Tell(held.Call, held.ReplyTo);
    }

    private void SweepExpired()
    {
        var now = DateTime.UtcNow;
        var count = _held.Count;
        for (var i = 0; i < count; i++)
        {
            var held = _held.Dequeue();
            if (held.Call.Deadline <= now) held.ReplyTo.Tell(new CallResult(held.Call.Tag, null, Expired(held.Call), _endpoint));
            else _held.Enqueue(held);
        }
        if (_held.Count == 0) Timers.Cancel(nameof(SweepHeld));
    }

    private ProducerError Expired(Call call) => new(ProducerErrorKind.Unavailable, null, true,
        $"{call.Description}: endpoint {_endpoint} was not reachable before the attempt's deadline ({_lastProblem}); check that the proxy is up and the endpoints/TLS settings are right");

    private void FailHeld(string reason)
    {
        while (_held.TryDequeue(out var held))
            held.ReplyTo.Tell(new CallResult(held.Call.Tag, null,
                new ProducerError(ProducerErrorKind.ShuttingDown, null, false, $"{held.Call.Description}: {reason}"), _endpoint));
    }

    // ---- heartbeat and shutdown ---------------------------------------------------------------

    private void SendHeartbeat()
    {
        var request = new HeartbeatRequest { ClientType = ClientType.Producer };
        _transport.HeartbeatAsync(request, _settings.RequestTimeout).PipeTo(Self,
            success: r => new HeartbeatDone(r.Status?.Code == Code.Ok, $"{r.Status?.Code} {r.Status?.Message}"),
            failure: e => new HeartbeatDone(false, Describe(e)));
    }

    private void CloseGracefully()
    {
        var replyTo = Sender;
        var endpoint = _endpoint;
        var stream = _stream;
        var transport = _transport;
        var timeout = _settings.RequestTimeout;
        var log = _log;
        _ready.Withdraw();
        Timers.CancelAll();
        FailHeld("the producer is shutting down");
        var readerCancellation = _streamCancellation; // the stream is completed below, then its reader stopped
        _streamCancellation = null;
        _stream = null;
        Become(() => Receive<Call>(c => Sender.Tell(new CallResult(c.Tag, null,
            new ProducerError(ProducerErrorKind.ShuttingDown, null, false, $"{c.Description}: the producer is shutting down"), endpoint))));
        Task.Run(async () =>
        {
            try
            {
                var response = await transport.NotifyClientTerminationAsync(new NotifyClientTerminationRequest(), timeout).ConfigureAwait(false);
                if (response.Status?.Code != Code.Ok)
                    log.Debug("NotifyClientTermination to {0} answered {1}", endpoint, response.Status?.Code);
            }
            catch (Exception e) { log.Debug("NotifyClientTermination to {0} failed: {1}", endpoint, Describe(e)); }
            if (stream is not null)
            {
                try { await stream.CompleteAsync().ConfigureAwait(false); } catch { /* the server may be gone already */ }
                readerCancellation?.Cancel();
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            readerCancellation?.Dispose();
            return new Closed(endpoint);
        }).PipeTo(replyTo);
    }

    private static string Describe(Exception e) => e is Grpc.Core.RpcException rpc
        ? $"gRPC {rpc.StatusCode}: {rpc.Status.Detail}"
        : e.GetBaseException().Message;
}
