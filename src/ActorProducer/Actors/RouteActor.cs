using Akka.Actor;
using Apache.Rocketmq.V2;
using ActorProducer.Errors;
using ActorProducer.Routing;
using ActorProducer.Settings;
using Google.Protobuf;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.Actors;

/// <summary>
/// Resolves topics to routes with QueryRoute on the access point, at most one query per topic at a time,
/// and refreshes every known topic periodically (a failed refresh keeps the old route). Answers go to the
/// parent, which owns the cache of installed routes and the connections they need.
/// </summary>
internal sealed class RouteActor : ReceiveActor, IWithTimers
{
    public sealed record FetchRoute(string Topic) : INoSerializationVerificationNeeded;
    public sealed record RouteFetched(string Topic, TopicRoute Route, bool IsRefresh) : INoSerializationVerificationNeeded;
    public sealed record RouteFetchFailed(string Topic, ProducerError Error, bool IsRefresh) : INoSerializationVerificationNeeded;

    private sealed record RefreshTick;
    private sealed record QueryTag(string Topic, bool IsRefresh);
    private sealed record Known(string Topic);

    private readonly IActorRef _accessPoint;
    private readonly ProducerSettings _settings;
    private readonly HashSet<string> _querying = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ITimerScheduler Timers { get; set; } = null!;

    public RouteActor(IActorRef accessPointConnection, ProducerSettings settings)
    {
        _accessPoint = accessPointConnection;
        _settings = settings;

        Receive<FetchRoute>(f => Query(f.Topic, isRefresh: false));
        Receive<RefreshTick>(_ =>
        {
            foreach (var topic in _known) Query(topic, isRefresh: true);
        });
        Receive<ConnectionActor.CallResult>(OnResult);
        Receive<Known>(k => _known.Add(k.Topic));
    }

    public static Props Props(IActorRef accessPointConnection, ProducerSettings settings) =>
        Akka.Actor.Props.Create(() => new RouteActor(accessPointConnection, settings));

    protected override void PreRestart(Exception reason, object message)
    {
        // The new incarnation keeps refreshing the topics this one knew (the mailbox survives the restart).
        foreach (var topic in _known) Self.Tell(new Known(topic));
        base.PreRestart(reason, message);
    }

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(nameof(RefreshTick), new RefreshTick(), _settings.RouteRefreshInterval);

    private void Query(string topic, bool isRefresh)
    {
        if (!_querying.Add(topic)) return; // the answer in flight serves this request too
        var request = new QueryRouteRequest
        {
            Topic = new Resource { ResourceNamespace = _settings.Namespace, Name = topic },
            Endpoints = _settings.AccessPoint.ToProto(),
        };
        // A first query may wait for the access point's settings handshake; that is part of its budget.
        var deadline = DateTime.UtcNow + _settings.RequestTimeout + _settings.HandshakeDeadline;
        _accessPoint.Tell(new ConnectionActor.Call(
            async (transport, timeout) => (IMessage)await transport.QueryRouteAsync(request, timeout).ConfigureAwait(false),
            deadline, new QueryTag(topic, isRefresh), $"QueryRoute for topic '{topic}'"));
    }

    private void OnResult(ConnectionActor.CallResult result)
    {
        var (topic, isRefresh) = (QueryTag)result.Tag;
        _querying.Remove(topic);
        if (result.Error is { } error)
        {
            Context.Parent.Tell(new RouteFetchFailed(topic, error, isRefresh));
            return;
        }
        var response = (QueryRouteResponse)result.Response!;
        var status = response.Status ?? new Status { Code = Code.Unspecified, Message = "no status in QueryRoute response" };
        if (status.Code != Code.Ok)
        {
            Context.Parent.Tell(new RouteFetchFailed(topic,
                StatusClassifier.FromStatus(status.Code, status.Message, topic, _settings.AccessPoint.Facade, "route query"), isRefresh));
            return;
        }
        TopicRoute route;
        try
        {
            route = new TopicRoute(topic, response.MessageQueues);
        }
        catch (ArgumentException e)
        {
            // A malformed answer fails the sends waiting for it now; it must not crash this actor and leave them to time out.
            Context.Parent.Tell(new RouteFetchFailed(topic, new ProducerError(ProducerErrorKind.ServerRejected, status.Code, false,
                $"the route of topic '{topic}' from {_settings.AccessPoint} is unusable: {e.Message}"), isRefresh));
            return;
        }
        _known.Add(topic);
        Context.Parent.Tell(new RouteFetched(topic, route, isRefresh));
    }
}
