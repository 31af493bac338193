using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Server;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Clients;

/// <summary>
/// What the proxy knows about one client id: the Settings it registered over telemetry (GrpcClientSettingsManager),
/// its telemetry streams (the producer channels transaction checks go to), and what inspection shows.
/// </summary>
internal sealed class ClientSession(string clientId, long order)
{
    private readonly Lock gate = new();
    private readonly List<TelemetryStream> streams = [];
    private Settings? registered;
    private HashSet<string> publishedTopics = [];
    private Settings? lastReceived;
    private DateTimeOffset? lastHeartbeat;
    private bool terminated;

    public string ClientId { get; } = clientId;

    public long Order { get; } = order;

    public string? Language { get; private set; }

    public string? ClientVersion { get; private set; }

    /// <summary>The Settings stored at the telemetry handshake; null before it, after termination or after a restart.</summary>
    public Settings? RegisteredSettings
    {
        get
        {
            lock (gate)
            {
                return registered;
            }
        }
    }

    public void NoteHeaders(RequestHeaders headers)
    {
        // Compare first: the header strings are fresh on every call, the values rarely change.
        if (!string.Equals(Language, headers.Language, StringComparison.Ordinal))
        {
            Language = headers.Language;
        }

        if (!string.Equals(ClientVersion, headers.ClientVersion, StringComparison.Ordinal))
        {
            ClientVersion = headers.ClientVersion;
        }
    }

    public void NoteSettingsReceived(Settings settings)
    {
        lock (gate)
        {
            lastReceived = settings;
        }
    }

    public void NoteHeartbeat(DateTimeOffset at)
    {
        lock (gate)
        {
            lastHeartbeat = at;
        }
    }

    /// <summary>Stores the Settings and makes <paramref name="stream"/> a command channel of this client.</summary>
    public void Register(Settings settings, TelemetryStream stream)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        if (settings.Publishing is { } publishing)
        {
            foreach (var topic in publishing.Topics)
            {
                topics.Add(topic.Name);
            }
        }

        lock (gate)
        {
            registered = settings;
            publishedTopics = topics;
            terminated = false;
            if (!streams.Contains(stream))
            {
                streams.Add(stream);
            }
        }
    }

    /// <summary>NotifyClientTermination: forgets the Settings; false when there were none.</summary>
    public bool Terminate()
    {
        lock (gate)
        {
            if (registered is null)
            {
                return false;
            }

            registered = null;
            publishedTopics = [];
            terminated = true;
            return true;
        }
    }

    /// <summary>The proxy's memory of this client is gone (LocalBroker stopped): Settings and streams.</summary>
    public void ForgetRegistration()
    {
        lock (gate)
        {
            registered = null;
            publishedTopics = [];
            streams.Clear();
        }
    }

    public void RemoveStream(TelemetryStream stream)
    {
        lock (gate)
        {
            streams.Remove(stream);
        }
    }

    /// <summary>
    /// A live command channel of this client if it is a registered producer of <paramref name="topic"/>,
    /// preferring one on <paramref name="preferred"/>.
    /// </summary>
    public TelemetryStream? LiveStreamFor(string topic, SimulatedBroker preferred)
    {
        lock (gate)
        {
            if (registered is null || !publishedTopics.Contains(topic))
            {
                return null;
            }

            TelemetryStream? any = null;
            foreach (var stream in streams)
            {
                if (!stream.IsLive)
                {
                    continue;
                }

                if (stream.Broker == preferred)
                {
                    return stream;
                }

                any ??= stream;
            }

            return any;
        }
    }

    public ConnectedClient Snapshot()
    {
        lock (gate)
        {
            var hasStream = false;
            foreach (var stream in streams)
            {
                hasStream |= stream.IsLive;
            }

            return new ConnectedClient(ClientId, Language, ClientVersion, lastReceived, hasStream, lastHeartbeat, terminated);
        }
    }
}
