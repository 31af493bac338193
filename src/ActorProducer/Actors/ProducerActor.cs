using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Event;
using Apache.Rocketmq.V2;
using ActorProducer.Diagnostics;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Settings;
using ActorProducer.Transport;
using ActorProducer.Validation;
using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.Actors;

/// <summary>
/// The producer's one public entry point and the supervisor of everything below it: a connection per
/// endpoints value, the route actor and a sender per topic. It validates sends before anything goes on
/// the wire, enforces the in-flight cap, keeps producer-wide state (routes, isolation, server limits) and
/// runs start-up and graceful shutdown. States: <c>Starting</c>, <c>Running</c>, <c>Draining</c>, <c>Stopped</c>.
/// </summary>
internal sealed class ProducerActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    /// <summary>Ask: replies <see cref="ProducerReady"/> once running, or <see cref="ProducerStartFailed"/>.</summary>
    public sealed record WaitUntilReady : INoSerializationVerificationNeeded { public static readonly WaitUntilReady Instance = new(); }
    public sealed record ProducerReady(string ClientId) : INoSerializationVerificationNeeded;
    public sealed record ProducerStartFailed(string Reason) : INoSerializationVerificationNeeded;

    /// <summary>Ask: stop accepting, drain, notify the servers; replies <see cref="ShutdownCompleted"/>.</summary>
    public sealed record Shutdown(string Reason) : INoSerializationVerificationNeeded;
    public sealed record ShutdownCompleted(int FailedOnDrainTimeout) : INoSerializationVerificationNeeded;

    /// <summary>From the transactions actor: send a validated half message; the outcome goes back to it.</summary>
    public sealed record SubmitHalfMessage(ProducerMessage Message, object Correlation) : INoSerializationVerificationNeeded;

    private sealed record RetryStartupRoute(string Topic);
    private sealed record DrainTimedOut;
    private sealed record CloseTimedOut;
    private sealed record DrainFailuresUnconfirmed;

    private readonly ProducerSettings _settings;
    private readonly ClientIdentity _identity;
    private readonly ITransportFactory _transportFactory;
    private readonly TransactionsActor.CheckerSource _checkers;
    private readonly ProducerLog _log;
    private readonly Dictionary<string, IActorRef> _senders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Routing.TopicRoute> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _startupAttempts = new(StringComparer.Ordinal);
    private readonly List<IActorRef> _readinessWaiters = [];
    private readonly List<IActorRef> _shutdownWaiters = [];
    private readonly HashSet<string> _publishingTopics = new(StringComparer.Ordinal);
    private readonly HashSet<AccessPoint> _closing = [];
    private ImmutableDictionary<AccessPoint, ConnectionHandle> _connections = ImmutableDictionary<AccessPoint, ConnectionHandle>.Empty;
    private ImmutableHashSet<AccessPoint> _isolated = ImmutableHashSet<AccessPoint>.Empty;
    private ServerLimits _limits;
    private IActorRef _routeActor = ActorRefs.Nobody;
    private IActorRef _transactions = ActorRefs.Nobody;
    private readonly InFlightGauge _inFlight;
    private int _failedOnDrainTimeout;
    private string _stoppedReason = "the producer is stopped";

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    public ProducerActor(ProducerSettings settings, ClientIdentity identity, ITransportFactory transportFactory,
        TransactionsActor.CheckerSource checkers)
    {
        _settings = settings;
        _identity = identity;
        _transportFactory = transportFactory;
        _checkers = checkers;
        _limits = ServerLimits.Defaults(settings);
        _inFlight = new InFlightGauge(identity.ClientId);
        _log = new ProducerLog(Context.GetLogger(), identity.ClientId);
        foreach (var topic in settings.PreboundTopics) _publishingTopics.Add(topic);
        Starting();
    }

    public static Props Props(ProducerSettings settings, ClientIdentity identity, ITransportFactory transportFactory,
        TransactionsActor.CheckerSource checkers) =>
        Akka.Actor.Props.Create(() => new ProducerActor(settings, identity, transportFactory, checkers));

    /// <summary>Children are restarted on any failure; each one fails or keeps its own work across the restart.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "a producer component failed and is restarted: {0}", e.Message);
        return Directive.Restart;
    });

    protected override void PreStart()
    {
        var accessPoint = EnsureConnection(_settings.AccessPoint);
        _routeActor = Context.ActorOf(RouteActor.Props(accessPoint, _settings), "routes");
        _transactions = Context.ActorOf(TransactionsActor.Props(_settings, _identity.ClientId, _checkers, CurrentContext()), "transactions");
        _log.Info("producer starting: endpoints {0} (TLS {1}), prebound topics [{2}]",
            _settings.AccessPoint, _settings.TlsEnabled ? "on" : "off", string.Join(", ", _settings.PreboundTopics));
        if (_checkers.IsConfigured && _settings.PreboundTopics.Count == 0)
            FailStart("a transaction checker is configured but no topic is prebound: list the transactional topics in akka.rocketmq.producer.topics, " +
                      "so that the broker's transaction checks reach this producer");
        else if (_settings.PreboundTopics.Count == 0) BecomeRunning();
        else foreach (var topic in _settings.PreboundTopics) _routeActor.Tell(new RouteActor.FetchRoute(topic));
    }

    // ---- states -------------------------------------------------------------------------------

    private void Starting()
    {
        Receive<IProducerCommand>(_ => Stash.Stash());
        Receive<WaitUntilReady>(_ => _readinessWaiters.Add(Sender));
        Receive<RouteActor.RouteFetched>(f =>
        {
            InstallRoute(f.Topic, f.Route);
            if (f.Route.WritableQueues.Count == 0)
            {
                FailStart($"prebound topic '{f.Topic}' has no writable queue on {_settings.AccessPoint}; check the topic's permissions");
                return;
            }
            _startupAttempts[f.Topic] = int.MaxValue; // resolved
            if (_settings.PreboundTopics.All(t => _routes.ContainsKey(t))) BecomeRunning();
        });
        Receive<RouteActor.RouteFetchFailed>(f =>
        {
            var attempts = _startupAttempts[f.Topic] = _startupAttempts.GetValueOrDefault(f.Topic) + 1;
            if (f.Error.IsRetryable && attempts < _settings.StartupAttempts)
            {
                _log.Warning("route of prebound topic '{0}' failed (attempt {1}/{2}): {3}", f.Topic, attempts, _settings.StartupAttempts, f.Error.Message);
                Timers.StartSingleTimer(("startup", f.Topic), new RetryStartupRoute(f.Topic), _settings.ReconnectMinBackoff);
                return;
            }
            FailStart($"prebound topic '{f.Topic}' could not be resolved after {attempts} attempt(s): {f.Error.Message}");
        });
        Receive<RetryStartupRoute>(r => _routeActor.Tell(new RouteActor.FetchRoute(r.Topic)));
        Receive<Shutdown>(s =>
        {
            _shutdownWaiters.Add(Sender);
            FailStart($"the producer was shut down while starting ({s.Reason})");
        });
        SharedState();
    }

    private void Running()
    {
        Receive<Send>(s => Accept([s.Message], isBatch: false, s.Correlation));
        Receive<SendBatch>(b => Accept(b.Messages, isBatch: true, b.Correlation));
        Receive<BeginTransaction>(b => _transactions.Forward(b));
        Receive<SendInTransaction>(AcceptHalfMessage);
        Receive<EndTransaction>(e => _transactions.Forward(e));
        Receive<SubmitHalfMessage>(h => Submit([h.Message], isBatch: false, isTransactional: true, h.Correlation));
        Receive<WaitUntilReady>(_ => Sender.Tell(new ProducerReady(_identity.ClientId)));
        Receive<RouteActor.RouteFetched>(f => InstallRoute(f.Topic, f.Route));
        Receive<RouteActor.RouteFetchFailed>(f =>
        {
            if (f.IsRefresh) _log.Warning("route refresh of topic '{0}' failed, keeping the old route: {1}", f.Topic, f.Error.Message);
            else if (_senders.TryGetValue(f.Topic, out var sender)) sender.Tell(new TopicSenderActor.RouteUnavailable(f.Error));
        });
        Receive<Shutdown>(s =>
        {
            _shutdownWaiters.Add(Sender);
            StartDraining(s.Reason);
        });
        SharedState();
    }

    private void Draining()
    {
        Receive<IProducerCommand>(RefuseAsStopped);
        Receive<SubmitHalfMessage>(h => Refuse([h.Message], false, h.Correlation,
            new ProducerError(ProducerErrorKind.ShuttingDown, null, false, $"{_stoppedReason}; the half message was not sent")));
        Receive<WaitUntilReady>(_ => Sender.Tell(new ProducerStartFailed(_stoppedReason)));
        Receive<Shutdown>(_ => _shutdownWaiters.Add(Sender));
        Receive<DrainTimedOut>(_ =>
        {
            _failedOnDrainTimeout = _inFlight.Count;
            _log.Warning("{0} send(s) still in flight after the drain timeout of {1}; failing them", _failedOnDrainTimeout, _settings.ShutdownDrainTimeout);
            var error = new ProducerError(ProducerErrorKind.ShuttingDown, null, true,
                $"the producer shut down before this send completed (drain timeout {_settings.ShutdownDrainTimeout.TotalSeconds:0.#}s); its outcome is unknown, retry with another producer");
            foreach (var sender in _senders.Values) sender.Tell(new TopicSenderActor.FailAll(error));
            // Stop only after the senders have sent those replies (InFlightDrained): the facade stops this actor on
            // ShutdownCompleted, and a child stopped with FailAll still in its mailbox would drop them.
            if (_inFlight.Count == 0) CloseConnections();
            else Timers.StartSingleTimer(nameof(DrainFailuresUnconfirmed), new DrainFailuresUnconfirmed(), _settings.RequestTimeout);
        });
        Receive<DrainFailuresUnconfirmed>(_ => CloseConnections());
        Receive<ConnectionActor.Closed>(c =>
        {
            _closing.Remove(c.Endpoint);
            if (_closing.Count == 0) BecomeStopped();
        });
        Receive<CloseTimedOut>(_ => BecomeStopped());
        Receive<RouteActor.RouteFetched>(_ => { });
        Receive<RouteActor.RouteFetchFailed>(_ => { });
        SharedState();
    }

    private void Stopped()
    {
        Receive<IProducerCommand>(RefuseAsStopped);
        Receive<WaitUntilReady>(_ => Sender.Tell(new ProducerStartFailed(_stoppedReason)));
        Receive<Shutdown>(_ => Sender.Tell(new ShutdownCompleted(_failedOnDrainTimeout)));
        ReceiveAny(_ => { });
    }

    /// <summary>State every live phase keeps up to date.</summary>
    private void SharedState()
    {
        Receive<TopicSenderActor.RouteNeeded>(r => _routeActor.Tell(new RouteActor.FetchRoute(r.Topic)));
        Receive<TopicSenderActor.SenderStarted>(s =>
        {
            Sender.Tell(CurrentContext());
            if (_routes.TryGetValue(s.Topic, out var route)) Sender.Tell(new TopicSenderActor.RouteAvailable(route));
        });
        Receive<TopicSenderActor.InFlightDrained>(_ =>
        {
            if (_inFlight.Count == 0 && _closing.Count == 0
                && (Timers.IsTimerActive(nameof(DrainTimedOut)) || Timers.IsTimerActive(nameof(DrainFailuresUnconfirmed))))
            {
                Timers.Cancel(nameof(DrainTimedOut));
                Timers.Cancel(nameof(DrainFailuresUnconfirmed));
                CloseConnections();
            }
        });
        Receive<TopicSenderActor.IsolateEndpoint>(i =>
        {
            if (_isolated.Contains(i.Endpoint)) return;
            _log.Warning("isolating endpoint {0} after a failed send; it rejoins after an OK heartbeat", i.Endpoint);
            _isolated = _isolated.Add(i.Endpoint);
            BroadcastContext();
        });
        Receive<ConnectionActor.EndpointHealthy>(h =>
        {
            if (!_isolated.Contains(h.Endpoint)) return;
            _log.Info("endpoint {0} answered a heartbeat; no longer isolated", h.Endpoint);
            _isolated = _isolated.Remove(h.Endpoint);
            BroadcastContext();
        });
        Receive<ConnectionActor.ServerSettingsReceived>(s =>
        {
            var limits = _limits.Apply(s.Settings);
            if (limits == _limits) return;
            _log.Debug("server settings from {0}: max body {1} bytes, back-off {2}, type check {3}",
                s.Endpoint, limits.MaxBodySize, limits.Backoff, limits.ValidateMessageType);
            _limits = limits;
            BroadcastContext();
        });
        Receive<ConnectionActor.OrphanedTransactionCheck>(c => _transactions.Forward(c));
    }

    // ---- transitions --------------------------------------------------------------------------

    private void BecomeRunning()
    {
        _log.Info("producer running");
        Become(Running);
        foreach (var waiter in _readinessWaiters) waiter.Tell(new ProducerReady(_identity.ClientId));
        _readinessWaiters.Clear();
        Stash.UnstashAll();
    }

    private void FailStart(string reason)
    {
        _log.Error("producer failed to start: {0}", reason);
        _stoppedReason = $"the producer failed to start: {reason}";
        foreach (var waiter in _readinessWaiters) waiter.Tell(new ProducerStartFailed(reason));
        _readinessWaiters.Clear();
        Become(Draining);
        Stash.UnstashAll(); // stashed sends are refused in Draining with the start-up failure
        CloseConnections();
    }

    private void StartDraining(string reason)
    {
        _log.Info("producer shutting down ({0}); draining {1} in-flight send(s)", reason, _inFlight.Count);
        _stoppedReason = $"the producer is shut down ({reason})";
        Become(Draining);
        if (_inFlight.StartDraining()) CloseConnections();
        else Timers.StartSingleTimer(nameof(DrainTimedOut), new DrainTimedOut(), _settings.ShutdownDrainTimeout);
    }

    private void CloseConnections()
    {
        if (_closing.Count > 0) return;
        foreach (var (endpoint, connection) in _connections)
        {
            _closing.Add(endpoint);
            connection.Actor.Tell(ConnectionActor.Close.Instance);
        }
        if (_closing.Count == 0) BecomeStopped();
        else Timers.StartSingleTimer(nameof(CloseTimedOut), new CloseTimedOut(), _settings.RequestTimeout + TimeSpan.FromSeconds(1));
    }

    private void BecomeStopped()
    {
        Timers.CancelAll();
        _log.Info("producer stopped");
        // Release channels and children; this actor stays, answering every late request with ShuttingDown.
        foreach (var child in Context.GetChildren()) Context.Stop(child);
        Become(Stopped);
        foreach (var waiter in _shutdownWaiters) waiter.Tell(new ShutdownCompleted(_failedOnDrainTimeout));
        _shutdownWaiters.Clear();
    }

    // ---- sends --------------------------------------------------------------------------------

    private static readonly ProducerError NullMessage = ProducerError.Invalid("Message", "The message is null; give a ProducerMessage");

    private void Accept(IReadOnlyList<ProducerMessage>? messages, bool isBatch, object? correlation)
    {
        // Null input is refused like any bad input: a throw here would restart the producer and lose every send in flight.
        messages ??= [];
        var problem = isBatch
            ? MessageValidator.ValidateBatch(messages, _limits.MaxBodySize)
            : messages[0] is null ? NullMessage : MessageValidator.Validate(messages[0], _limits.MaxBodySize);
        if (problem is not null) Refuse(messages, isBatch, correlation, problem);
        else Submit(messages, isBatch, isTransactional: false, correlation);
    }

    private void AcceptHalfMessage(SendInTransaction send)
    {
        if (send.Message is null)
        {
            Refuse(null, false, send.Correlation, NullMessage);
            return;
        }
        var problem = MessageValidator.ValidateTransactional(send.Message, _limits.MaxBodySize);
        if (problem is null && !_settings.PreboundTopics.Contains(send.Message.Topic, StringComparer.Ordinal))
            problem = ProducerError.Invalid("Topic",
                $"topic '{send.Message.Topic}' is not prebound; transactional topics must be listed in akka.rocketmq.producer.topics so the broker's checks reach this producer");
        if (problem is not null) Refuse([send.Message], false, send.Correlation, problem);
        else _transactions.Forward(send);
    }

    /// <summary>Counts the messages in flight and hands them to the topic's sender, which will answer <see cref="ActorBase.Sender"/>.</summary>
    private void Submit(IReadOnlyList<ProducerMessage> messages, bool isBatch, bool isTransactional, object? correlation)
    {
        var topic = messages[0].Topic;
        if (_inFlight.Count + messages.Count > _settings.MaxInFlight)
        {
            Refuse(messages, isBatch, correlation, new ProducerError(ProducerErrorKind.Overloaded, null, true,
                $"{_inFlight.Count} message(s) are in flight, the cap is {_settings.MaxInFlight} (akka.rocketmq.producer.max-in-flight); slow down or retry shortly"));
            return;
        }
        _inFlight.Add(messages.Count);
        SenderFor(topic).Tell(new TopicSenderActor.SendJob(messages, isBatch, isTransactional, correlation, Sender,
            DateTime.UtcNow + _settings.SendDeadline, Stopwatch.GetTimestamp(),
            ProducerDiagnostics.StartSend(topic, _identity.ClientId)));
    }

    private void RefuseAsStopped(IProducerCommand command)
    {
        var error = new ProducerError(ProducerErrorKind.ShuttingDown, null, false, $"{_stoppedReason}; nothing was sent");
        switch (command)
        {
            case Send s: Refuse([s.Message], false, s.Correlation, error); break;
            case SendBatch b: Refuse(b.Messages, true, b.Correlation, error); break;
            case SendInTransaction t: Refuse([t.Message], false, t.Correlation, error); break;
            case BeginTransaction b: Sender.Tell(new TransactionFailed(null, error, b.Correlation)); break;
            case EndTransaction e:
                Sender.Tell(new TransactionFailed(e.Handle, error with
                {
                    Message = $"{_stoppedReason}; {e.Handle} was not ended here, the broker's check will ask a running producer's checker",
                }, e.Correlation));
                break;
        }
    }

    private void Refuse(IReadOnlyList<ProducerMessage>? messages, bool isBatch, object? correlation, ProducerError error)
    {
        messages ??= [];
        var topic = messages.Count > 0 ? messages[0]?.Topic ?? "" : "";
        ProducerDiagnostics.Failed(_identity.ClientId, topic, error, 0);
        if (!isBatch)
        {
            Sender.Tell(new SendFailed(error, topic, null, 0, correlation));
            return;
        }
        // One outcome per message; an empty batch gets one all the same, or its refusal would read as AllSucceeded.
        SendOutcome[] outcomes = messages.Count == 0
            ? [new SendFailed(error, "", null, 0, correlation)]
            : messages.Select(m => (SendOutcome)new SendFailed(error, m?.Topic ?? "", null, 0, correlation)).ToArray();
        Sender.Tell(new SendBatchCompleted(outcomes, correlation));
    }

    private IActorRef SenderFor(string topic)
    {
        if (_senders.TryGetValue(topic, out var sender)) return sender;
        sender = Context.ActorOf(TopicSenderActor.Props(topic, _settings, _identity.ClientId, CurrentContext(), _inFlight), ChildName("topic", topic));
        _senders[topic] = sender;
        if (_publishingTopics.Add(topic)) PushClientSettings();
        return sender;
    }

    // ---- routes, connections and shared context -----------------------------------------------

    private void InstallRoute(string topic, Routing.TopicRoute route)
    {
        _routes[topic] = route;
        var added = false;
        foreach (var endpoint in route.Endpoints)
            if (!_connections.ContainsKey(endpoint))
            {
                EnsureConnection(endpoint);
                added = true;
            }
        if (added) BroadcastContext();
        if (_senders.TryGetValue(topic, out var sender)) sender.Tell(new TopicSenderActor.RouteAvailable(route));
    }

    private IActorRef EnsureConnection(AccessPoint endpoint)
    {
        if (_connections.TryGetValue(endpoint, out var existing)) return existing.Actor;
        var ready = new ReadyTransport();
        var connection = Context.ActorOf(
            ConnectionActor.Props(endpoint, _settings, _identity, _transportFactory, ClientSettings(), ready),
            ChildName("connection", endpoint.Facade));
        _connections = _connections.Add(endpoint, new ConnectionHandle(connection, ready));
        return connection;
    }

    private TopicSenderActor.SenderContext CurrentContext() => new(_connections, _isolated, _limits);

    private void BroadcastContext()
    {
        var context = CurrentContext();
        foreach (var sender in _senders.Values) sender.Tell(context);
        _transactions.Tell(context);
    }

    private void PushClientSettings()
    {
        var update = new ConnectionActor.UpdateClientSettings(ClientSettings());
        foreach (var connection in _connections.Values) connection.Actor.Tell(update);
    }

    /// <summary>The Settings a producer announces on every telemetry stream (behavior.md §4.3).</summary>
    private Apache.Rocketmq.V2.Settings ClientSettings()
    {
        var publishing = new Publishing { ValidateMessageType = _limits.ValidateMessageType };
        foreach (var topic in _publishingTopics)
            publishing.Topics.Add(new Resource { ResourceNamespace = _settings.Namespace, Name = topic });
        return new Apache.Rocketmq.V2.Settings
        {
            ClientType = ClientType.Producer,
            AccessPoint = _settings.AccessPoint.ToProto(),
            RequestTimeout = Duration.FromTimeSpan(_settings.RequestTimeout),
            // "Retry immediately" locally; the server answers with the throttling back-off it wants.
            BackoffPolicy = new RetryPolicy
            {
                MaxAttempts = _settings.MaxAttempts,
                ExponentialBackoff = Settings.ExponentialBackoff.Immediate.ToProto(),
            },
            Publishing = publishing,
            UserAgent = new UA
            {
                Language = Language.DotNet,
                Version = ClientIdentity.ClientVersion,
                Platform = $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture} {RuntimeInformation.FrameworkDescription}",
                Hostname = Environment.MachineName,
            },
        };
    }

    private int _childCounter;

    /// <summary>Actor names allow a limited alphabet; keep the readable part and make it unique.</summary>
    private string ChildName(string kind, string key)
    {
        var readable = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
        return $"{kind}-{readable}-{++_childCounter}";
    }
}
