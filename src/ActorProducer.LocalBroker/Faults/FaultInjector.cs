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

/// <summary>Fault injection for tests: every fault is what a real cluster can produce.</summary>
public sealed class FaultInjector
{
    /// <summary>The next <paramref name="count"/> calls of <paramref name="rpc"/> answer <paramref name="code"/> (in the response status, gRPC OK) without doing anything.</summary>
    public void FailNext(BrokerRpc rpc, int count, Code code, string? message = null) => throw new NotImplementedException();

    /// <summary>The next <paramref name="count"/> calls of <paramref name="rpc"/> fail at the gRPC level with <paramref name="status"/> (e.g. Unavailable).</summary>
    public void FailNextWithGrpcStatus(BrokerRpc rpc, int count, Grpc.Core.StatusCode status) => throw new NotImplementedException();

    /// <summary>Every call of <paramref name="rpc"/> waits <paramref name="delay"/> before being handled (zero removes it).</summary>
    public void SetLatency(BrokerRpc rpc, TimeSpan delay) => throw new NotImplementedException();

    /// <summary>Aborts every open telemetry stream (clients see the stream fail and must reconnect).</summary>
    public void DropTelemetryStreams() => throw new NotImplementedException();

    /// <summary>
    /// Takes a simulated broker down: calls arriving on its endpoint fail with gRPC UNAVAILABLE (connection lost)
    /// and, unless <paramref name="keepInRoute"/> (the window before the name server notices), routes stop listing its queues.
    /// </summary>
    public void TakeBrokerDown(string brokerName, bool keepInRoute = false) => throw new NotImplementedException();

    /// <summary>Brings a simulated broker back.</summary>
    public void BringBrokerUp(string brokerName) => throw new NotImplementedException();

    /// <summary>Removes every fault.</summary>
    public void Reset() => throw new NotImplementedException();
}
