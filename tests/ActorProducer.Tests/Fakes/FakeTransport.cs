using System.Threading.Channels;
using ActorProducer.Settings;
using ActorProducer.Transport;
using Apache.Rocketmq.V2;
using Grpc.Core;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.Tests.Fakes;

/// <summary>The producer's view of one endpoints value of a <see cref="FakeCluster"/>; every call is answered by the cluster.</summary>
internal sealed class FakeTransport(FakeCluster cluster, AccessPoint endpoint) : IRocketMqTransport
{
    private static readonly Status Ok = new() { Code = Code.Ok, Message = "OK" };

    public AccessPoint Endpoint => endpoint;

    public Task<QueryRouteResponse> QueryRouteAsync(QueryRouteRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        cluster.QueryRouteAsync(endpoint, request, timeout);

    public Task<SendMessageResponse> SendMessageAsync(SendMessageRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        cluster.SendMessageAsync(endpoint, request, timeout);

    public Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        cluster.Record("Heartbeat", endpoint);
        if (cluster.TakeHeartbeatCrash(endpoint)) throw new InvalidOperationException("injected synchronous failure while signing the heartbeat (fake)");
        return cluster.IsDown(endpoint)
            ? Task.FromException<HeartbeatResponse>(FakeCluster.Unavailable(endpoint))
            : Task.FromResult(new HeartbeatResponse { Status = Ok });
    }

    public Task<EndTransactionResponse> EndTransactionAsync(EndTransactionRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        cluster.Record("EndTransaction", endpoint);
        return Task.FromResult(new EndTransactionResponse { Status = Ok });
    }

    public Task<NotifyClientTerminationResponse> NotifyClientTerminationAsync(NotifyClientTerminationRequest request, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        cluster.Record("NotifyClientTermination", endpoint);
        return cluster.IsDown(endpoint)
            ? Task.FromException<NotifyClientTerminationResponse>(FakeCluster.Unavailable(endpoint))
            : Task.FromResult(new NotifyClientTerminationResponse { Status = Ok });
    }

    public ITelemetryStream OpenTelemetry() => cluster.OpenTelemetry(endpoint);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A telemetry stream of the fake: answers the client's settings as the cluster says, can be dropped.</summary>
internal sealed class FakeTelemetryStream(FakeCluster cluster, AccessPoint endpoint) : ITelemetryStream
{
    private readonly Channel<TelemetryCommand> _fromServer = Channel.CreateUnbounded<TelemetryCommand>();
    private readonly List<TelemetryCommand> _written = [];

    public AccessPoint Endpoint => endpoint;

    public IReadOnlyList<TelemetryCommand> Written
    {
        get { lock (_written) return _written.ToArray(); }
    }

    public Task WriteAsync(TelemetryCommand command)
    {
        lock (_written) _written.Add(command.Clone());
        if (command.Settings is { } settings && cluster.SettingsReply(settings) is { } reply) _fromServer.Writer.TryWrite(reply);
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<TelemetryCommand> ReadAllAsync(CancellationToken cancellationToken) => _fromServer.Reader.ReadAllAsync(cancellationToken);

    public Task CompleteAsync()
    {
        cluster.Record("TelemetryCompleted", endpoint);
        return Task.CompletedTask;
    }

    /// <summary>The connection broke: the client's read fails with UNAVAILABLE.</summary>
    public void Drop() => _fromServer.Writer.TryComplete(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "telemetry stream dropped (fake)")));

    public ValueTask DisposeAsync()
    {
        _fromServer.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
