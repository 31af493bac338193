using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.LocalBroker.Handlers;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.LocalBroker.Server;

namespace ActorProducer.LocalBroker;

/// <summary>
/// A running LocalBroker: a gRPC server on loopback answering the RocketMQ 5 proxy's producer RPCs.
/// <code>await using var broker = await LocalBroker.StartAsync(options);</code>
/// </summary>
/// <remarks>
/// Topics are keyed by name only; the Resource namespace and <c>x-mq-namespace</c> are ignored, as the open-source
/// proxy does. What differs from a real proxy is listed in the project README of LocalBroker (see the report).
/// </remarks>
public sealed class LocalBroker : IAsyncDisposable
{
    private readonly BrokerRuntime runtime;
    private readonly X509Certificate2? certificate;
    private readonly SemaphoreSlim lifecycle = new(1, 1);
    private BrokerHost? host;
    private bool disposed;

    private LocalBroker(BrokerRuntime runtime, X509Certificate2? certificate)
    {
        this.runtime = runtime;
        this.certificate = certificate;
        Inspect = new BrokerInspector(runtime);
    }

    /// <summary>Starts a broker; returns once every simulated broker's port is listening.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (broker count, port, a topic definition).</exception>
    public static async Task<LocalBroker> StartAsync(LocalBrokerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BrokerCount, 1, nameof(options.BrokerCount));
        ArgumentOutOfRangeException.ThrowIfNotEqual(options.Port is >= 0 and <= 65535, true, nameof(options.Port));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));

        var runtime = new BrokerRuntime(options);
        var broker = new LocalBroker(runtime, options.UseTls ? SelfSignedCertificate.Instance : null);
        try
        {
            broker.host = await BrokerHost.StartAsync(runtime, broker.certificate, cancellationToken).ConfigureAwait(false);
            runtime.Cluster.IsServing = true;
            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The access point, <c>127.0.0.1:port</c>, as a producer's endpoints setting.</summary>
    public string Endpoint => EndpointOf(Port);

    /// <summary>The access point's port.</summary>
    public int Port => runtime.Cluster[0].Port;

    /// <summary>Endpoint (<c>host:port</c>) of each simulated broker, by broker name.</summary>
    public IReadOnlyDictionary<string, string> BrokerEndpoints =>
        runtime.Cluster.All.ToDictionary(broker => broker.Name, broker => EndpointOf(broker.Port));

    /// <summary>The options it runs with.</summary>
    public LocalBrokerOptions Options => runtime.Options;

    /// <summary>Inspection API (stored messages, transactions, clients, request log).</summary>
    public BrokerInspector Inspect { get; }

    /// <summary>Fault injection API.</summary>
    public FaultInjector Faults => runtime.Faults;

    /// <summary>Creates a topic while running.</summary>
    /// <exception cref="ArgumentException">The name breaks the proxy's topic rules, or the queue count is not positive.</exception>
    /// <exception cref="InvalidOperationException">A topic with that name exists.</exception>
    public void AddTopic(TopicDefinition topic) => runtime.Topics.Add(topic);

    /// <summary>
    /// Stops the gRPC server (connections drop, streams end); the store is kept. Like a restarted proxy, LocalBroker
    /// then forgets what only the proxy holds in memory: client Settings (a Heartbeat before the next telemetry
    /// handshake answers UNRECOGNIZED_CLIENT_TYPE) and transaction data (EndTransaction for an earlier send answers
    /// INTERNAL_SERVER_ERROR until a check renews it). Half messages and their checks stay with the broker;
    /// checks are paused while stopped.
    /// </summary>
    public async Task StopAsync()
    {
        await lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>Starts the server again on the same ports with the same store (clients must reconnect). Stops it first if it runs.</summary>
    public async Task RestartAsync()
    {
        await lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            await StopCoreAsync().ConfigureAwait(false);
            host = await BrokerHost.StartAsync(runtime, certificate, CancellationToken.None).ConfigureAwait(false);
            runtime.Cluster.IsServing = true;
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            await StopCoreAsync().ConfigureAwait(false);
            runtime.Dispose();
        }
        finally
        {
            lifecycle.Release();
        }
    }

    private async Task StopCoreAsync()
    {
        if (host is null)
        {
            return;
        }

        runtime.Cluster.IsServing = false;
        runtime.ForgetProxyMemory();
        await host.StopAsync().ConfigureAwait(false);
        await host.DisposeAsync().ConfigureAwait(false);
        host = null;
    }

    private string EndpointOf(int port)
    {
        var address = RouteEndpoints.LoopbackFor(runtime.Options.ListenAddress);
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
