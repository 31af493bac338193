using Grpc.Core;

namespace ActorProducer.LocalBroker.Brokers;

/// <summary>The simulated brokers, and which one a call reached (by the local port of its connection).</summary>
internal sealed class BrokerCluster
{
    private readonly SimulatedBroker[] brokers;

    public BrokerCluster(int count)
    {
        brokers = new SimulatedBroker[count];
        for (var i = 0; i < count; i++)
        {
            brokers[i] = new SimulatedBroker(i);
        }
    }

    public IReadOnlyList<SimulatedBroker> All => brokers;

    /// <summary>Set while the gRPC server is running (false between StopAsync and RestartAsync).</summary>
    public bool IsServing { get; set; }

    public SimulatedBroker this[int index] => brokers[index];

    public SimulatedBroker? Find(string name)
    {
        foreach (var broker in brokers)
        {
            if (broker.Name == name)
            {
                return broker;
            }
        }

        return null;
    }

    public SimulatedBroker Get(string name) =>
        Find(name) ?? throw new ArgumentException(
            $"unknown broker '{name}' (known: {string.Join(", ", brokers.Select(b => b.Name))})", nameof(name));

    /// <summary>
    /// The broker whose port the call arrived on. A broker taken down answers like a dead host:
    /// gRPC UNAVAILABLE, no RocketMQ status.
    /// </summary>
    public SimulatedBroker Resolve(ServerCallContext context)
    {
        var port = context.GetHttpContext().Connection.LocalPort;
        var broker = brokers[0];
        foreach (var candidate in brokers)
        {
            if (candidate.Port == port)
            {
                broker = candidate;
                break;
            }
        }

        if (broker.IsDown)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"{broker.Name} is down (fault injection)"));
        }

        return broker;
    }
}
