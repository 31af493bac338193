using System.Collections.Concurrent;
using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Server;

namespace ActorProducer.LocalBroker.Clients;

/// <summary>Clients by x-mq-client-id, and every open telemetry stream (also those not registered yet).</summary>
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, ClientSession> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TelemetryStream, byte> openStreams = new();
    private long order;
    private int checkRotation;

    /// <summary>The session of the call's client id (created on first sight), with its headers noted.</summary>
    public ClientSession Touch(RequestHeaders headers)
    {
        var session = sessions.GetOrAdd(
            headers.ClientId!,
            static (id, registry) => new ClientSession(id, Interlocked.Increment(ref registry.order)),
            this);
        session.NoteHeaders(headers);
        return session;
    }

    public void Opened(TelemetryStream stream) => openStreams.TryAdd(stream, 0);

    public void Closed(TelemetryStream stream, ClientSession? owner)
    {
        openStreams.TryRemove(stream, out _);
        owner?.RemoveStream(stream);
    }

    /// <summary>Drops the open streams <paramref name="which"/> selects; their clients see the stream fail.</summary>
    public void DropStreams(Func<TelemetryStream, bool> which, string reason)
    {
        foreach (var stream in openStreams.Keys)
        {
            if (which(stream))
            {
                stream.Drop(reason);
            }
        }
    }

    /// <summary>
    /// One live producer channel for an orphaned-transaction check of <paramref name="topic"/>: a client whose
    /// Settings publish the topic and that has a live stream, preferring streams on the half message's broker.
    /// Rotates over the candidates like the broker picking a channel of the producer group. Null when none is online.
    /// </summary>
    public TelemetryStream? PickCheckTarget(string topic, SimulatedBroker preferred)
    {
        var candidates = new List<TelemetryStream>();
        foreach (var session in sessions.Values)
        {
            if (session.LiveStreamFor(topic, preferred) is { } stream)
            {
                candidates.Add(stream);
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var local = candidates.FindAll(stream => stream.Broker == preferred);
        var pool = local.Count > 0 ? local : candidates;
        return pool[(int)((uint)Interlocked.Increment(ref checkRotation) % (uint)pool.Count)];
    }

    /// <summary>Forgets every registration, as a restarted proxy has no memory of its clients.</summary>
    public void ForgetRegistrations()
    {
        foreach (var session in sessions.Values)
        {
            session.ForgetRegistration();
        }
    }

    public IReadOnlyList<ConnectedClient> Snapshot() =>
        sessions.Values.OrderBy(session => session.Order).Select(session => session.Snapshot()).ToList();
}
