using ActorProducer.Settings;
using ActorProducer.Transport;
using Apache.Rocketmq.V2;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.Tests.Fakes;

/// <summary>One SendMessage request as the fake received it.</summary>
internal sealed record SendCall(AccessPoint Endpoint, SendMessageRequest Request, DateTime At)
{
    public IReadOnlyList<string> MessageIds => Request.Messages.Select(m => m.SystemProperties.MessageId).ToArray();
    public IReadOnlyList<string> Bodies => Request.Messages.Select(m => m.Body.ToStringUtf8()).ToArray();
}

/// <summary>A message the fake stored, with the broker queue and offset it answered.</summary>
internal sealed record StoredFake(string BrokerName, int QueueId, long Offset, Message Message)
{
    public string Body => Message.Body.ToStringUtf8();
}

/// <summary>How the fake answers a client's settings on a telemetry stream.</summary>
internal enum HandshakeMode
{
    /// <summary>Reply with the merged server settings, as the proxy does.</summary>
    Answer,
    /// <summary>Never reply (the client's handshake times out).</summary>
    Withhold,
}

/// <summary>
/// The server side of the fake transport: a scripted RocketMQ proxy with one or more brokers, shared by every
/// <see cref="FakeTransport"/> a producer creates. By default it accepts everything like a healthy proxy; tests
/// script failures, latency, gates and broken brokers, and read back every request it saw. Thread-safe.
/// </summary>
internal sealed class FakeCluster : ITransportFactory
{
    /// <summary>The access point tests configure; also the endpoints of <see cref="DefaultBroker"/>.</summary>
    public const string AccessPointText = "127.0.0.1:8081";
    public const string DefaultBroker = "broker-0";
    public static readonly AccessPoint AccessPoint = AccessPoint.Parse(AccessPointText);

    private readonly object _lock = new();
    private readonly Dictionary<string, AccessPoint> _brokers = new(StringComparer.Ordinal) { [DefaultBroker] = AccessPoint };
    private readonly Dictionary<string, (MessageType[] Accepts, int QueuesPerBroker, string[] Brokers)> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<QueryRouteResponse>> _routeOverrides = new(StringComparer.Ordinal);
    private readonly Queue<Func<SendCall, TimeSpan, Task<SendMessageResponse>>> _sendScript = new();
    private readonly Queue<Func<TimeSpan, Task<QueryRouteResponse>>> _routeScript = new();
    private readonly HashSet<AccessPoint> _down = [];
    private readonly HashSet<AccessPoint> _crashNextHeartbeat = [];
    private readonly List<SendCall> _sends = [];
    private readonly List<StoredFake> _stored = [];
    private readonly List<(string Rpc, AccessPoint Endpoint, DateTime At)> _calls = [];
    private readonly List<string> _routeQueries = [];
    private readonly Dictionary<(string Broker, int Queue), long> _offsets = [];
    private readonly Dictionary<string, int> _groupInFlight = new(StringComparer.Ordinal);
    private readonly List<FakeTelemetryStream> _streams = [];
    private readonly List<AccessPoint> _transportsCreated = [];
    private int _maxGroupConcurrency;

    // ---- server configuration -----------------------------------------------------------------

    /// <summary><c>publishing.max_body_size</c> pushed in the settings reply.</summary>
    public int MaxBodySize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Throttling back-off pushed in the settings reply (proxy default 10 ms → 1 s, ×2).</summary>
    public (TimeSpan Initial, TimeSpan Max, float Multiplier) Backoff { get; set; } = (TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), 2);

    public HandshakeMode Handshake { get; set; } = HandshakeMode.Answer;

    /// <summary>Adds a simulated broker (its own endpoints) that topics can be spread over.</summary>
    public FakeCluster WithBroker(string name, string endpoint)
    {
        lock (_lock) _brokers[name] = AccessPoint.Parse(endpoint);
        return this;
    }

    /// <summary>Creates a topic on <paramref name="brokers"/> (default: <see cref="DefaultBroker"/>) with its queues READ_WRITE.</summary>
    public FakeCluster WithTopic(string topic, MessageType type = MessageType.Normal, int queuesPerBroker = 2, params string[] brokers)
    {
        lock (_lock) _topics[topic] = ([type], queuesPerBroker, brokers.Length == 0 ? [DefaultBroker] : brokers);
        return this;
    }

    /// <summary>Answers QueryRoute for <paramref name="topic"/> with whatever <paramref name="route"/> builds.</summary>
    public FakeCluster WithRoute(string topic, Func<QueryRouteResponse> route)
    {
        lock (_lock) _routeOverrides[topic] = route;
        return this;
    }

    public AccessPoint EndpointOf(string broker)
    {
        lock (_lock) return _brokers[broker];
    }

    // ---- scripting ----------------------------------------------------------------------------

    /// <summary>The next <paramref name="count"/> SendMessage calls answer <paramref name="code"/> with no entries.</summary>
    public void FailNextSends(Code code, int count = 1)
    {
        for (var i = 0; i < count; i++)
            ScriptSend((_, _) => Task.FromResult(new SendMessageResponse { Status = new Status { Code = code, Message = $"injected {code}" } }));
    }

    /// <summary>The next <paramref name="count"/> SendMessage calls fail at the gRPC level.</summary>
    public void FailNextSendsWithGrpc(StatusCode status, int count = 1)
    {
        for (var i = 0; i < count; i++)
            ScriptSend((_, _) => Task.FromException<SendMessageResponse>(new RpcException(new Grpc.Core.Status(status, $"injected {status}"))));
    }

    /// <summary>The next SendMessage call fails with <paramref name="exception"/>, as the gRPC client throws it.</summary>
    public void FailNextSendWith(Exception exception) => ScriptSend((_, _) => Task.FromException<SendMessageResponse>(exception));

    /// <summary>The next SendMessage is stored per entry code: OK entries are stored, the others answer their code.</summary>
    public void AnswerNextSendPerEntry(params Code[] entryCodes) =>
        ScriptSend((call, _) => Task.FromResult(Accept(call, entryCodes)));

    /// <summary>The next <paramref name="count"/> SendMessage calls never answer: the client's deadline expires.</summary>
    public void TimeOutNextSends(int count = 1)
    {
        for (var i = 0; i < count; i++) ScriptSend((_, _) => new TaskCompletionSource<SendMessageResponse>().Task);
    }

    /// <summary>The next SendMessage waits for the returned gate (bounded by the client's deadline, like gRPC).</summary>
    public SendGate HoldNextSend()
    {
        var gate = new SendGate();
        ScriptSend(async (call, _) =>
        {
            gate.Arrive(call);
            var failure = await gate.Opened.ConfigureAwait(false);
            return failure is { } code ? new SendMessageResponse { Status = new Status { Code = code, Message = $"injected {code}" } } : Accept(call);
        });
        return gate;
    }

    /// <summary>The next <paramref name="count"/> QueryRoute calls answer <paramref name="code"/>.</summary>
    public void FailNextRouteQueries(Code code, int count = 1)
    {
        lock (_lock)
            for (var i = 0; i < count; i++)
                _routeScript.Enqueue(_ => Task.FromResult(new QueryRouteResponse { Status = new Status { Code = code, Message = $"injected {code}" } }));
    }

    /// <summary>The next QueryRoute waits until the returned source completes (then answers normally).</summary>
    public TaskCompletionSource HoldNextRouteQuery()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _routeScript.Enqueue(async _ => { await gate.Task.ConfigureAwait(false); return null!; });
        return gate;
    }

    /// <summary>Every call to <paramref name="broker"/> fails with gRPC UNAVAILABLE and its streams drop (connection lost).</summary>
    public void TakeDown(string broker)
    {
        var endpoint = EndpointOf(broker);
        lock (_lock) _down.Add(endpoint);
    }

    public void BringUp(string broker)
    {
        var endpoint = EndpointOf(broker);
        lock (_lock) _down.Remove(endpoint);
    }

    /// <summary>The next heartbeat to <paramref name="broker"/> throws synchronously inside the caller (e.g. a credentials provider that fails).</summary>
    public void CrashNextHeartbeat(string broker = DefaultBroker)
    {
        var endpoint = EndpointOf(broker);
        lock (_lock) _crashNextHeartbeat.Add(endpoint);
    }

    /// <summary>Fails every open telemetry stream (to <paramref name="broker"/> only when given).</summary>
    public void DropTelemetryStreams(string? broker = null)
    {
        var endpoint = broker is null ? null : EndpointOf(broker);
        FakeTelemetryStream[] streams;
        lock (_lock) streams = _streams.Where(s => endpoint is null || s.Endpoint == endpoint).ToArray();
        foreach (var stream in streams) stream.Drop();
    }

    private void ScriptSend(Func<SendCall, TimeSpan, Task<SendMessageResponse>> behaviour)
    {
        lock (_lock) _sendScript.Enqueue(behaviour);
    }

    // ---- what the fake saw --------------------------------------------------------------------

    public IReadOnlyList<SendCall> Sends
    {
        get { lock (_lock) return _sends.ToArray(); }
    }

    /// <summary>Messages accepted (answered OK), in the order they were stored.</summary>
    public IReadOnlyList<StoredFake> Stored
    {
        get { lock (_lock) return _stored.ToArray(); }
    }

    public int CallsOf(string rpc, AccessPoint? endpoint = null)
    {
        lock (_lock) return _calls.Count(c => c.Rpc == rpc && (endpoint is null || c.Endpoint == endpoint));
    }

    /// <summary>QueryRoute calls for <paramref name="topic"/>.</summary>
    public int RouteQueries(string topic)
    {
        lock (_lock) return _routeQueries.Count(t => t == topic);
    }

    public int TransportsCreated(AccessPoint endpoint)
    {
        lock (_lock) return _transportsCreated.Count(e => e == endpoint);
    }

    /// <summary>Settings commands the client wrote on its telemetry streams, oldest first.</summary>
    public IReadOnlyList<Apache.Rocketmq.V2.Settings> ClientSettingsReceived
    {
        get
        {
            lock (_lock) return _streams.SelectMany(s => s.Written).Where(c => c.Settings is not null).Select(c => c.Settings).ToArray();
        }
    }

    /// <summary>The largest number of SendMessage requests of one FIFO message group that were in flight at once.</summary>
    public int MaxGroupConcurrency
    {
        get { lock (_lock) return _maxGroupConcurrency; }
    }

    // ---- ITransportFactory --------------------------------------------------------------------

    public IRocketMqTransport Create(AccessPoint endpoint, ClientIdentity identity)
    {
        lock (_lock) _transportsCreated.Add(endpoint);
        return new FakeTransport(this, endpoint);
    }

    // ---- the proxy's answers (called by FakeTransport) ----------------------------------------

    internal void Record(string rpc, AccessPoint endpoint)
    {
        lock (_lock) _calls.Add((rpc, endpoint, DateTime.UtcNow));
    }

    internal bool IsDown(AccessPoint endpoint)
    {
        lock (_lock) return _down.Contains(endpoint);
    }

    internal bool TakeHeartbeatCrash(AccessPoint endpoint)
    {
        lock (_lock) return _crashNextHeartbeat.Remove(endpoint);
    }

    internal static RpcException Unavailable(AccessPoint endpoint) =>
        new(new Grpc.Core.Status(StatusCode.Unavailable, $"{endpoint} is down (fake)"));

    internal async Task<SendMessageResponse> SendMessageAsync(AccessPoint endpoint, SendMessageRequest request, TimeSpan timeout)
    {
        var call = new SendCall(endpoint, request.Clone(), DateTime.UtcNow);
        Func<SendCall, TimeSpan, Task<SendMessageResponse>>? behaviour;
        var group = request.Messages.Count > 0 && request.Messages[0].SystemProperties.HasMessageGroup
            ? request.Messages[0].SystemProperties.MessageGroup
            : null;
        lock (_lock)
        {
            _calls.Add(("SendMessage", endpoint, call.At));
            _sends.Add(call);
            if (_down.Contains(endpoint)) throw Unavailable(endpoint);
            behaviour = _sendScript.TryDequeue(out var next) ? next : null;
            if (group is not null)
            {
                var inFlight = _groupInFlight[group] = _groupInFlight.GetValueOrDefault(group) + 1;
                _maxGroupConcurrency = Math.Max(_maxGroupConcurrency, inFlight);
            }
        }
        try
        {
            var answer = behaviour is null ? Task.FromResult(Accept(call)) : behaviour(call, timeout);
            return await WithDeadline(answer, timeout, endpoint).ConfigureAwait(false);
        }
        finally
        {
            if (group is not null)
                lock (_lock) _groupInFlight[group]--;
        }
    }

    internal async Task<QueryRouteResponse> QueryRouteAsync(AccessPoint endpoint, QueryRouteRequest request, TimeSpan timeout)
    {
        Func<TimeSpan, Task<QueryRouteResponse>>? behaviour;
        lock (_lock)
        {
            _calls.Add(("QueryRoute", endpoint, DateTime.UtcNow));
            _routeQueries.Add(request.Topic.Name);
            if (_down.Contains(endpoint)) throw Unavailable(endpoint);
            behaviour = _routeScript.TryDequeue(out var next) ? next : null;
        }
        if (behaviour is not null)
        {
            var scripted = await WithDeadline(behaviour(timeout), timeout, endpoint).ConfigureAwait(false);
            if (scripted is not null) return scripted;
        }
        return Route(request.Topic.Name);
    }

    private QueryRouteResponse Route(string topic)
    {
        lock (_lock)
        {
            if (_routeOverrides.TryGetValue(topic, out var custom)) return custom();
            if (!_topics.TryGetValue(topic, out var definition))
                return new QueryRouteResponse { Status = new Status { Code = Code.TopicNotFound, Message = $"topic {topic} not found" } };
            var response = new QueryRouteResponse { Status = new Status { Code = Code.Ok, Message = "OK" } };
            foreach (var broker in definition.Brokers)
                for (var id = 0; id < definition.QueuesPerBroker; id++)
                {
                    var queue = new MessageQueue
                    {
                        Topic = new Resource { Name = topic },
                        Id = id,
                        Permission = Permission.ReadWrite,
                        Broker = new Broker { Name = broker, Id = 0, Endpoints = _brokers[broker].ToProto() },
                    };
                    queue.AcceptMessageTypes.Add(definition.Accepts);
                    response.MessageQueues.Add(queue);
                }
            return response;
        }
    }

    /// <summary>Stores the messages like a healthy broker (per-queue offsets) and answers one entry per message.</summary>
    private SendMessageResponse Accept(SendCall call, IReadOnlyList<Code>? entryCodes = null)
    {
        var response = new SendMessageResponse();
        lock (_lock)
        {
            var broker = _brokers.First(b => b.Value == call.Endpoint).Key;
            for (var i = 0; i < call.Request.Messages.Count; i++)
            {
                var message = call.Request.Messages[i];
                var code = entryCodes is null ? Code.Ok : entryCodes[i];
                if (code != Code.Ok)
                {
                    response.Entries.Add(new SendResultEntry { Status = new Status { Code = code, Message = $"injected {code}" } });
                    continue;
                }
                var key = (broker, message.SystemProperties.QueueId);
                var offset = _offsets[key] = _offsets.GetValueOrDefault(key, -1) + 1;
                _stored.Add(new StoredFake(broker, key.QueueId, offset, message));
                var entry = new SendResultEntry
                {
                    Status = new Status { Code = Code.Ok, Message = "OK" },
                    MessageId = message.SystemProperties.MessageId,
                    Offset = offset,
                };
                if (message.SystemProperties.MessageType == MessageType.Transaction) entry.TransactionId = $"tx-{message.SystemProperties.MessageId}";
                response.Entries.Add(entry);
            }
        }
        var codes = response.Entries.Select(e => e.Status.Code).Distinct().ToArray();
        response.Status = new Status { Code = codes.Length == 1 ? codes[0] : Code.MultipleResults, Message = "OK" };
        return response;
    }

    /// <summary>Like a gRPC deadline: no answer within <paramref name="timeout"/> fails with DEADLINE_EXCEEDED.</summary>
    private static async Task<T> WithDeadline<T>(Task<T> answer, TimeSpan timeout, AccessPoint endpoint)
    {
        using var cancel = new CancellationTokenSource();
        var deadline = Task.Delay(timeout, cancel.Token);
        if (await Task.WhenAny(answer, deadline).ConfigureAwait(false) == answer)
        {
            await cancel.CancelAsync().ConfigureAwait(false);
            return await answer.ConfigureAwait(false);
        }
        throw new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, $"deadline of {timeout} exceeded calling {endpoint} (fake)"));
    }

    internal FakeTelemetryStream OpenTelemetry(AccessPoint endpoint)
    {
        var stream = new FakeTelemetryStream(this, endpoint);
        lock (_lock)
        {
            _calls.Add(("Telemetry", endpoint, DateTime.UtcNow));
            _streams.Add(stream);
        }
        if (IsDown(endpoint)) stream.Drop();
        return stream;
    }

    /// <summary>The proxy's settings reply (behavior.md §4.4): the client's settings with the server's back-off, body limit and type check.</summary>
    internal TelemetryCommand? SettingsReply(Apache.Rocketmq.V2.Settings client)
    {
        if (Handshake == HandshakeMode.Withhold) return null;
        var reply = client.Clone();
        var (initial, max, multiplier) = Backoff;
        reply.BackoffPolicy = new RetryPolicy
        {
            MaxAttempts = 3,
            ExponentialBackoff = new Apache.Rocketmq.V2.ExponentialBackoff
            {
                Initial = Duration.FromTimeSpan(initial), Max = Duration.FromTimeSpan(max), Multiplier = multiplier,
            },
        };
        reply.Publishing ??= new Publishing();
        reply.Publishing.MaxBodySize = MaxBodySize;
        reply.Publishing.ValidateMessageType = true;
        return new TelemetryCommand { Status = new Status { Code = Code.Ok, Message = "OK" }, Settings = reply };
    }
}

/// <summary>A SendMessage the fake holds until the test opens the gate.</summary>
internal sealed class SendGate
{
    private readonly TaskCompletionSource<SendCall> _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Code?> _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the request reached the fake.</summary>
    public Task<SendCall> Arrived => _arrived.Task;

    internal Task<Code?> Opened => _open.Task;

    /// <summary>Answers the held request normally (stored, OK).</summary>
    public void Release() => _open.TrySetResult(null);

    /// <summary>Answers the held request with <paramref name="code"/>.</summary>
    public void Fail(Code code) => _open.TrySetResult(code);

    internal void Arrive(SendCall call) => _arrived.TrySetResult(call);
}
