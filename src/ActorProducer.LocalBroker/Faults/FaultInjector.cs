using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Clients;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Faults;

/// <summary>RPC names as they appear in the gRPC method path (/apache.rocketmq.v2.MessagingService/&lt;name&gt;).</summary>
public enum BrokerRpc
{
    QueryRoute,
    Heartbeat,
    SendMessage,
    EndTransaction,
    Telemetry,
    NotifyClientTermination,
    RecallMessage,
}

/// <summary>
/// Fault injection for tests: every fault is what a real cluster can produce. Planned failures of an RPC are used
/// in the order they were planned. For <see cref="BrokerRpc.Telemetry"/> a "call" is one command received on a
/// stream: a planned status is written back instead of the settings reply (the stream stays open), a planned gRPC
/// status ends the stream; latency delays the handling of each command.
/// </summary>
public sealed class FaultInjector
{
    private readonly RpcFaults[] faults;
    private readonly BrokerCluster cluster;
    private readonly ClientRegistry clients;

    internal FaultInjector(BrokerCluster cluster, ClientRegistry clients)
    {
        this.cluster = cluster;
        this.clients = clients;
        faults = new RpcFaults[Enum.GetValues<BrokerRpc>().Length];
        for (var i = 0; i < faults.Length; i++)
        {
            faults[i] = new RpcFaults();
        }
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="rpc"/> answer <paramref name="code"/> (in the response status, gRPC OK) without doing anything.</summary>
    public void FailNext(BrokerRpc rpc, int count, Code code, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        For(rpc).Add(new PlannedFailure(code, message, null), count);
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="rpc"/> fail at the gRPC level with <paramref name="status"/> (e.g. Unavailable).</summary>
    public void FailNextWithGrpcStatus(BrokerRpc rpc, int count, Grpc.Core.StatusCode status)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (status == Grpc.Core.StatusCode.OK)
        {
            throw new ArgumentException("a gRPC failure needs a non-OK status", nameof(status));
        }

        For(rpc).Add(new PlannedFailure(Code.Unspecified, $"injected gRPC failure {status}", status), count);
    }

    /// <summary>Every call of <paramref name="rpc"/> waits <paramref name="delay"/> before being handled (zero removes it).</summary>
    public void SetLatency(BrokerRpc rpc, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        For(rpc).Latency = delay;
    }

    /// <summary>Aborts every open telemetry stream (clients see the stream fail and must reconnect).</summary>
    public void DropTelemetryStreams() =>
        clients.DropStreams(_ => true, "telemetry stream dropped (fault injection)");

    /// <summary>
    /// Takes a simulated broker down: calls arriving on its endpoint fail with gRPC UNAVAILABLE (connection lost)
    /// and, unless <paramref name="keepInRoute"/> (the window before the name server notices), routes stop listing its queues.
    /// Its open telemetry streams are dropped; its orphaned-transaction checks pause until it is back.
    /// </summary>
    public void TakeBrokerDown(string brokerName, bool keepInRoute = false)
    {
        var broker = cluster.Get(brokerName);
        broker.TakeDown(keepInRoute);
        clients.DropStreams(stream => stream.Broker == broker, $"{brokerName} is down (fault injection)");
    }

    /// <summary>Brings a simulated broker back.</summary>
    public void BringBrokerUp(string brokerName) => cluster.Get(brokerName).BringUp();

    /// <summary>Removes every fault: planned failures, latencies, brokers down.</summary>
    public void Reset()
    {
        foreach (var rpcFaults in faults)
        {
            rpcFaults.Clear();
        }

        foreach (var broker in cluster.All)
        {
            broker.BringUp();
        }
    }

    internal RpcFaults For(BrokerRpc rpc) => faults[(int)rpc];
}
