using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Apache.Rocketmq.V2;
using ActorProducer.Diagnostics;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Routing;
using ActorProducer.Settings;
using ActorProducer.Transport;
using ActorProducer.Validation;
using Google.Protobuf;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.Actors;

/// <summary>
/// Sends one topic's messages: picks queues (round-robin over writable queues avoiding isolated endpoints,
/// or by message group for FIFO), retries failed attempts on timers with the server's back-off on another
/// broker, keeps one request per FIFO message group in flight so retries cannot reorder a group, and
/// optionally combines concurrent sends into batches. Every job gets exactly one reply.
/// States: <c>AwaitingRoute</c> (jobs held until the route arrives or fails) and <c>Routed</c>.
/// </summary>
internal sealed class TopicSenderActor : ReceiveActor, IWithTimers
{
    /// <summary>One caller request (a Send or a SendBatch), already validated message by message.</summary>
    public sealed record SendJob(
        IReadOnlyList<ProducerMessage> Messages,
        bool IsBatch,
        bool IsTransactional,
        object? Correlation,
        IActorRef ReplyTo,
        DateTime Deadline,
        long StartedAt,
        Activity? Activity) : INoSerializationVerificationNeeded;

    public sealed record RouteAvailable(TopicRoute Route) : INoSerializationVerificationNeeded;
    public sealed record RouteUnavailable(ProducerError Error) : INoSerializationVerificationNeeded;

    /// <summary>Producer-wide state the sender needs; the producer re-sends it whenever any part changes.</summary>
    public sealed record SenderContext(
        ImmutableDictionary<AccessPoint, ConnectionHandle> Connections,
        ImmutableHashSet<AccessPoint> Isolated,
        ServerLimits Limits) : INoSerializationVerificationNeeded;

    /// <summary>Fail everything held or in flight (shutdown).</summary>
    public sealed record FailAll(ProducerError Error) : INoSerializationVerificationNeeded;

    // Reports to the parent.
    public sealed record RouteNeeded(string Topic) : INoSerializationVerificationNeeded;
    public sealed record SenderStarted(string Topic) : INoSerializationVerificationNeeded;
    /// <summary>The last reply of a draining producer was sent (see <see cref="InFlightGauge"/>).</summary>
    public sealed record InFlightDrained : INoSerializationVerificationNeeded { public static readonly InFlightDrained Instance = new(); }
    public sealed record IsolateEndpoint(AccessPoint Endpoint) : INoSerializationVerificationNeeded;

    private sealed record RetryRequest(long RequestId);
    /// <summary>Names one attempt of one request of one incarnation: request ids restart at 1 after a restart.</summary>
    private sealed record AttemptTag(object Incarnation, long RequestId, int Attempt);
    private sealed record FlushBatch;
    private sealed record Sweep;

    /// <summary>A job's progress: one outcome slot per message.</summary>
    private sealed class JobState(SendJob job)
    {
        public SendJob Job { get; } = job;
        public SendOutcome?[] Outcomes { get; } = new SendOutcome?[job.Messages.Count];
        public int Remaining { get; set; } = job.Messages.Count;
    }

    /// <summary>One message on the wire, with its id fixed for every attempt.</summary>
    private sealed record Part(JobState Job, int Index, Message Proto)
    {
        public string MessageId => Proto.SystemProperties.MessageId;
    }

    /// <summary>One SendMessage request: one or several parts, retried together (only failed parts are retried).</summary>
    private sealed class Request(long id, List<Part> parts, MessageType type, string? group, DateTime deadline)
    {
        public long Id { get; } = id;
        public List<Part> Parts { get; set; } = parts;
        public MessageType Type { get; } = type;
        public string? Group { get; } = group;
        public DateTime Deadline { get; } = deadline;
        public IReadOnlyList<MessageQueue>? Candidates { get; set; }
        public int Attempt { get; set; }
        public MessageQueue? Queue { get; set; }
        public AccessPoint? Endpoint { get; set; }
        public SendMessageRequest? Proto { get; set; }
        /// <summary>An attempt may have been stored (no answer, connection lost mid-call): the final failure must say so.</summary>
        public bool OutcomeUnknown { get; set; }
    }

    private readonly string _topic;
    private readonly ProducerSettings _settings;
    private readonly string _clientId;
    private readonly InFlightGauge _inFlight;
    private readonly Resource _resource;
    private readonly List<JobState> _awaitingRoute = [];
    private readonly Dictionary<long, Request> _active = [];
    private readonly Dictionary<string, long> _groupInFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Request>> _groupBacklog = new(StringComparer.Ordinal);
    private readonly List<Part> _batchBuffer = [];
    private int _batchBytes;
    private MessageType _batchType;
    private long _nextRequestId;
    private readonly object _incarnation = new();
    private int _cursor = Random.Shared.Next();
    private TopicRoute? _route;
    private SenderContext _context;
    private CandidateCache? _candidates; // for _route under _context.Isolated; null when either changed

    public ITimerScheduler Timers { get; set; } = null!;

    public TopicSenderActor(string topic, ProducerSettings settings, string clientId, SenderContext context, InFlightGauge inFlight)
    {
        _topic = topic;
        _inFlight = inFlight;
        _settings = settings;
        _clientId = clientId;
        _context = context;
        _resource = new Resource { ResourceNamespace = settings.Namespace, Name = topic };
        AwaitingRoute();
    }

    public static Props Props(string topic, ProducerSettings settings, string clientId, SenderContext context, InFlightGauge inFlight) =>
        Akka.Actor.Props.Create(() => new TopicSenderActor(topic, settings, clientId, context, inFlight));

    protected override void PreStart()
    {
        Context.Parent.Tell(new SenderStarted(_topic));
        Timers.StartPeriodicTimer(nameof(Sweep), new Sweep(), TimeSpan.FromMilliseconds(250));
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // Never lose a reply: whatever this incarnation held ends now, with a reason the caller can act on.
        FailEverything(new ProducerError(ProducerErrorKind.Unavailable, null, true,
            $"the sender of topic '{_topic}' failed ({reason.Message}) and was restarted; the message may not have been sent, retry it (its outcome is unknown if it was in flight)"));
        base.PreRestart(reason, message);
    }

    // ---- states -------------------------------------------------------------------------------

    private void AwaitingRoute()
    {
        Receive<SendJob>(job =>
        {
            _awaitingRoute.Add(new JobState(job));
            if (_awaitingRoute.Count == 1) Context.Parent.Tell(new RouteNeeded(_topic));
        });
        Receive<RouteAvailable>(r =>
        {
            SetRoute(r.Route);
            Become(Routed);
            var held = _awaitingRoute.ToArray();
            _awaitingRoute.Clear();
            foreach (var job in held) Accept(job);
        });
        Receive<RouteUnavailable>(r =>
        {
            var held = _awaitingRoute.ToArray();
            _awaitingRoute.Clear();
            foreach (var job in held) FailJob(job, r.Error);
        });
        Common();
    }

    private void Routed()
    {
        Receive<SendJob>(job => Accept(new JobState(job)));
        Receive<RouteAvailable>(r => SetRoute(r.Route));
        Receive<RouteUnavailable>(_ => { }); // a failed refresh keeps the old route
        Receive<ConnectionActor.CallResult>(OnAttemptResult);
        Receive<RetryRequest>(r =>
        {
            if (_active.TryGetValue(r.RequestId, out var request)) Dispatch(request);
        });
        Receive<FlushBatch>(_ => FlushBatchBuffer());
        Common();
    }

    private void Common()
    {
        Receive<SenderContext>(c =>
        {
            if (c.Isolated != _context.Isolated) _candidates = null;
            _context = c;
        });
        Receive<FailAll>(f => FailEverything(f.Error));
        Receive<Sweep>(_ => SweepExpired());
        Receive<ConnectionActor.CallResult>(_ => { }); // answers to requests failed meanwhile
        Receive<RetryRequest>(_ => { });
        Receive<FlushBatch>(_ => { });
    }

    private void SetRoute(TopicRoute route)
    {
        _route = route;
        _candidates = null;
    }

    // ---- accepting jobs -----------------------------------------------------------------------

    private void Accept(JobState state)
    {
        var job = state.Job;
        var route = _route!;
        if (route.WritableQueues.Count == 0)
        {
            FailJob(state, new ProducerError(ProducerErrorKind.NoWritableQueue, null, false,
                $"topic '{_topic}' has no writable queue on a master broker; check the topic's permissions on the cluster"));
            return;
        }
        var type = MessageTypes.Of(job.Messages[0], job.IsTransactional);
        if (_context.Limits.ValidateMessageType && !route.Accepts(type))
        {
            FailJob(state, ProducerError.Invalid("Topic",
                $"topic '{_topic}' does not accept {type} messages (it accepts {string.Join(", ", route.WritableQueues.SelectMany(q => q.AcceptMessageTypes).Distinct())}); send to a topic of type {type} or change the message"));
            return;
        }

        var parts = new List<Part>(job.Messages.Count);
        for (var i = 0; i < job.Messages.Count; i++) parts.Add(new Part(state, i, WireMessages.ToProto(job.Messages[i], type, _resource)));

        if (_settings.BatchingEnabled && !job.IsBatch && !job.IsTransactional && type != MessageType.Fifo)
        {
            AddToBatch(parts[0], type);
            return;
        }
        Submit(NewRequest(parts, type, job.Messages[0].MessageGroup, job.Deadline));
    }

    private Request NewRequest(List<Part> parts, MessageType type, string? group, DateTime deadline) =>
        new(++_nextRequestId, parts, type, type == MessageType.Fifo ? group : null, deadline);

    // ---- auto-batching ------------------------------------------------------------------------

    private void AddToBatch(Part part, MessageType type)
    {
        if (_batchBuffer.Count > 0 && type != _batchType) FlushBatchBuffer();
        _batchType = type;
        _batchBuffer.Add(part);
        _batchBytes += part.Proto.Body.Length;
        if (_batchBuffer.Count >= _settings.BatchMaxMessages || _batchBytes >= _settings.BatchMaxBytes) FlushBatchBuffer();
        else if (_batchBuffer.Count == 1) Timers.StartSingleTimer(nameof(FlushBatch), new FlushBatch(), _settings.BatchLinger);
    }

    private void FlushBatchBuffer()
    {
        Timers.Cancel(nameof(FlushBatch));
        if (_batchBuffer.Count == 0) return;
        var parts = new List<Part>(_batchBuffer);
        var deadline = parts.Min(p => p.Job.Job.Deadline);
        _batchBuffer.Clear();
        _batchBytes = 0;
        Submit(NewRequest(parts, _batchType, null, deadline));
    }

    // ---- attempts -----------------------------------------------------------------------------

    private void Submit(Request request)
    {
        _active[request.Id] = request;
        if (request.Group is { } group)
        {
            // One request per group on the wire: a retry of message n must land before message n+1.
            if (_groupInFlight.ContainsKey(group))
            {
                if (!_groupBacklog.TryGetValue(group, out var backlog)) _groupBacklog[group] = backlog = new Queue<Request>();
                backlog.Enqueue(request);
                return;
            }
            _groupInFlight[group] = request.Id;
        }
        Dispatch(request);
    }

    private void Dispatch(Request request)
    {
        var writable = _route!.WritableQueues;
        if (writable.Count == 0)
        {
            FailRequest(request, new ProducerError(ProducerErrorKind.NoWritableQueue, null, false,
                $"topic '{_topic}' has no writable queue any more; check the topic's permissions on the cluster"));
            return;
        }
        request.Candidates ??= request.Group is { } group
            ? [_route.ForGroup(group)]
            : (_candidates ??= new CandidateCache(_route, _settings.MaxAttempts, _context.Isolated.Contains)).For(_cursor++);

        request.Attempt++;
        if (request.Attempt > 1) ProducerDiagnostics.Retried(_clientId, _topic);
        var queue = request.Candidates[(request.Attempt - 1) % request.Candidates.Count];
        var endpoint = _route.EndpointsOf(queue);
        request.Queue = queue;
        request.Endpoint = endpoint;
        if (request.Proto is null)
        {
            request.Proto = new SendMessageRequest();
            request.Proto.Messages.Capacity = request.Parts.Count; // not the default 8 slots for the usual single message
            foreach (var part in request.Parts) request.Proto.Messages.Add(part.Proto);
        }
        foreach (var message in request.Proto.Messages) message.SystemProperties.QueueId = queue.Id;

        if (!_context.Connections.TryGetValue(endpoint, out var connection))
        {
            OnAttemptFailed(request, new ProducerError(ProducerErrorKind.Unavailable, null, true,
                $"no connection to broker endpoint {endpoint} of topic '{_topic}'"));
            return;
        }
        var proto = request.Proto;
        var tag = new AttemptTag(_incarnation, request.Id, request.Attempt);
        // The connection is up: call it directly (the common case), bounded by the request timeout and the send's deadline.
        if (connection.Ready.Transport is { } transport
            && ConnectionActor.TryRun(transport, static (t, p, timeout) => t.SendMessageAsync(p, timeout), proto,
                request.Deadline, _settings.RequestTimeout, tag, endpoint, Self))
            return;
        // Not connected yet (or no time left): the connection actor holds the call until the stream is up, at most until this deadline.
        var attemptDeadline = Min(request.Deadline, DateTime.UtcNow + _settings.RequestTimeout + _settings.HandshakeDeadline);
        connection.Actor.Tell(new ConnectionActor.Call(
            async (transport, timeout) => (IMessage)await transport.SendMessageAsync(proto, timeout).ConfigureAwait(false),
            attemptDeadline, tag, $"SendMessage to topic '{_topic}' (attempt {request.Attempt})"));
    }

    private void OnAttemptResult(ConnectionActor.CallResult result)
    {
        var tag = (AttemptTag)result.Tag;
        // An answer to the previous incarnation: its send was already failed in PreRestart.
        if (tag.Incarnation != _incarnation) return;
        if (!_active.TryGetValue(tag.RequestId, out var request) || request.Attempt != tag.Attempt) return;
        if (result.Error is { } error)
        {
            OnAttemptFailed(request, error);
            return;
        }

        var response = (SendMessageResponse)result.Response!;
        var status = response.Status ?? new Status { Code = Code.Unspecified, Message = "no status in SendMessage response" };
        var endpoint = request.Endpoint!.Facade;
        if (response.Entries.Count != request.Parts.Count)
        {
            // No per-message answer (request-level rejection) or a server bug: one error for every message.
            var failure = status.Code is Code.Ok or Code.MultipleResults
                ? new ProducerError(ProducerErrorKind.ServerRejected, status.Code, false,
                    $"{endpoint} answered {response.Entries.Count} results for {request.Parts.Count} messages; their outcome is unknown")
                : StatusClassifier.FromStatus(status.Code, status.Message, _topic, endpoint);
            OnAttemptFailed(request, failure);
            return;
        }

        List<Part>? failed = null;
        ProducerError? firstError = null;
        for (var i = 0; i < request.Parts.Count; i++)
        {
            var entry = response.Entries[i];
            var part = request.Parts[i];
            if (entry.Status?.Code == Code.Ok)
            {
                CompletePart(part, new SendResult(
                    string.IsNullOrEmpty(entry.MessageId) ? part.MessageId : entry.MessageId,
                    _topic, request.Queue!.Broker.Name, request.Queue.Id, entry.Offset, request.Attempt,
                    part.Job.Job.Correlation,
                    string.IsNullOrEmpty(entry.TransactionId) ? null : entry.TransactionId,
                    string.IsNullOrEmpty(entry.RecallHandle) ? null : entry.RecallHandle)
                { Endpoint = endpoint });
            }
            else
            {
                (failed ??= []).Add(part);
                firstError ??= StatusClassifier.FromStatus(entry.Status?.Code ?? Code.Unspecified, entry.Status?.Message ?? "", _topic, endpoint);
            }
        }
        if (failed is null)
        {
            Finished(request);
            return;
        }
        if (failed.Count != request.Parts.Count)
        {
            request.Parts = failed;
            request.Proto = null; // rebuilt from the remaining parts
        }
        OnAttemptFailed(request, firstError!);
    }

    private void OnAttemptFailed(Request request, ProducerError error)
    {
        request.OutcomeUnknown |= error.OutcomeUnknown;
        if (StatusClassifier.ShouldIsolate(error) && request.Endpoint is { } endpoint)
            Context.Parent.Tell(new IsolateEndpoint(endpoint));

        var delay = StatusClassifier.IsThrottling(error)
            ? _context.Limits.Backoff.DelayBefore(request.Attempt + 1)
            : TimeSpan.Zero;
        // Half messages are not retried (as the Node client and the design docs): each retry would open another transaction.
        var canRetry = error.IsRetryable
                       && request.Type != MessageType.Transaction
                       && request.Attempt < _settings.MaxAttempts
                       && DateTime.UtcNow + delay + _settings.RequestTimeout <= request.Deadline;
        if (!canRetry)
        {
            // A later attempt's "not reachable" must not hide that an earlier one may have stored the message.
            if (request.OutcomeUnknown && !error.OutcomeUnknown)
                error = error with { OutcomeUnknown = true, Message = $"{error.Message}; an earlier attempt got no answer, so the message may have been stored" };
            FailRequest(request, error with { Message = request.Attempt > 1 ? $"{error.Message} (after {request.Attempt} attempts)" : error.Message });
            return;
        }
        if (delay == TimeSpan.Zero) Dispatch(request);
        else Timers.StartSingleTimer(("retry", request.Id), new RetryRequest(request.Id), delay);
    }

    // ---- completion ---------------------------------------------------------------------------

    private void FailRequest(Request request, ProducerError error)
    {
        foreach (var part in request.Parts)
            CompletePart(part, new SendFailed(error, _topic, part.MessageId, request.Attempt, part.Job.Job.Correlation));
        Finished(request);
    }

    private void Finished(Request request)
    {
        _active.Remove(request.Id);
        if (request.Group is not { } group || !_groupInFlight.TryGetValue(group, out var head) || head != request.Id) return;
        // Advance the group to its next request still waiting (ones failed by the deadline sweep are gone).
        while (_groupBacklog.TryGetValue(group, out var backlog) && backlog.TryDequeue(out var next))
        {
            if (!_active.ContainsKey(next.Id)) continue;
            _groupInFlight[group] = next.Id;
            Dispatch(next);
            return;
        }
        _groupInFlight.Remove(group);
        _groupBacklog.Remove(group);
    }

    private void CompletePart(Part part, SendOutcome outcome) => Complete(part.Job, part.Index, outcome);

    private void Complete(JobState state, int index, SendOutcome outcome)
    {
        if (state.Outcomes[index] is not null) return;
        state.Outcomes[index] = outcome;
        var elapsedMs = Stopwatch.GetElapsedTime(state.Job.StartedAt).TotalMilliseconds;
        if (outcome is SendFailed failed) ProducerDiagnostics.Failed(_clientId, _topic, failed.Error, elapsedMs);
        else ProducerDiagnostics.Succeeded(_clientId, _topic, elapsedMs);
        if (--state.Remaining == 0) Reply(state);
    }

    private void Reply(JobState state)
    {
        var job = state.Job;
        var outcomes = state.Outcomes!;
        object reply = job.IsBatch ? new SendBatchCompleted(outcomes!, job.Correlation) : outcomes[0]!;
        job.ReplyTo.Tell(reply);
        if (job.Activity is { } activity)
        {
            var failed = outcomes.OfType<SendFailed>().FirstOrDefault();
            if (failed is not null) activity.SetStatus(ActivityStatusCode.Error, failed.Error.ToString());
            activity.Dispose();
        }
        if (_inFlight.Remove(job.Messages.Count)) Context.Parent.Tell(InFlightDrained.Instance);
    }

    private void FailJob(JobState state, ProducerError error)
    {
        for (var i = 0; i < state.Outcomes.Length; i++)
            if (state.Outcomes[i] is null)
                Complete(state, i, new SendFailed(error, _topic, null, 0, state.Job.Correlation));
    }

    private void FailEverything(ProducerError error)
    {
        foreach (var job in _awaitingRoute) FailJob(job, error);
        _awaitingRoute.Clear();
        foreach (var part in _batchBuffer)
            CompletePart(part, new SendFailed(error, _topic, part.MessageId, 0, part.Job.Job.Correlation));
        _batchBuffer.Clear();
        _batchBytes = 0;
        // A request with an attempt on the wire may have been stored.
        foreach (var request in _active.Values.ToArray()) FailRequest(request, request.Attempt > 0 ? error with { OutcomeUnknown = true } : error);
        _active.Clear();
        _groupBacklog.Clear();
        _groupInFlight.Clear();
    }

    /// <summary>Safety net behind every timeout: nothing outlives its deadline, whatever was lost on the way.</summary>
    private void SweepExpired()
    {
        var now = DateTime.UtcNow;
        for (var i = _awaitingRoute.Count - 1; i >= 0; i--)
        {
            var job = _awaitingRoute[i];
            if (job.Job.Deadline > now) continue;
            _awaitingRoute.RemoveAt(i);
            FailJob(job, new ProducerError(ProducerErrorKind.Timeout, null, true,
                $"the route of topic '{_topic}' could not be resolved before the send deadline; check that {_settings.AccessPoint} is reachable"));
        }
        foreach (var request in _active.Values.Where(r => r.Deadline + _settings.RequestTimeout < now).ToArray())
            FailRequest(request, new ProducerError(ProducerErrorKind.Timeout, null, true,
                $"no answer for topic '{_topic}' before the send deadline; the message may have been stored (a retry keeps its id)")
            { OutcomeUnknown = true });
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
