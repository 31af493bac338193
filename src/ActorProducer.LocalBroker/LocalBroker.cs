using ActorProducer.LocalBroker.Faults;
using ActorProducer.LocalBroker.Inspection;

namespace ActorProducer.LocalBroker;

/// <summary>
/// A running LocalBroker: a gRPC server on loopback answering the RocketMQ 5 proxy's producer RPCs.
/// <code>await using var broker = await LocalBroker.StartAsync(options);</code>
/// </summary>
public sealed class LocalBroker : IAsyncDisposable
{
    /// <summary>Starts a broker; returns once every simulated broker's port is listening.</summary>
    public static Task<LocalBroker> StartAsync(LocalBrokerOptions options, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>The access point, <c>127.0.0.1:port</c>, as a producer's endpoints setting.</summary>
    public string Endpoint => throw new NotImplementedException();

    /// <summary>The access point's port.</summary>
    public int Port => throw new NotImplementedException();

    /// <summary>Endpoint (<c>host:port</c>) of each simulated broker, by broker name.</summary>
    public IReadOnlyDictionary<string, string> BrokerEndpoints => throw new NotImplementedException();

    /// <summary>The options it runs with.</summary>
    public LocalBrokerOptions Options => throw new NotImplementedException();

    /// <summary>Inspection API (stored messages, transactions, clients, request log).</summary>
    public BrokerInspector Inspect => throw new NotImplementedException();

    /// <summary>Fault injection API.</summary>
    public FaultInjector Faults => throw new NotImplementedException();

    /// <summary>Creates a topic while running.</summary>
    public void AddTopic(TopicDefinition topic) => throw new NotImplementedException();

    /// <summary>Stops the gRPC server (connections drop, streams end); the store is kept.</summary>
    public Task StopAsync() => throw new NotImplementedException();

    /// <summary>Starts the server again on the same ports with the same store (clients must reconnect).</summary>
    public Task RestartAsync() => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
