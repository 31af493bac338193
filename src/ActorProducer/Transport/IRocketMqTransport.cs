using Apache.Rocketmq.V2;
using ActorProducer.Settings;

namespace ActorProducer.Transport;

/// <summary>
/// The RPCs a producer issues to one endpoints value, behind an interface so that TestKit tests run the
/// actors against a fake and integration tests against LocalBroker over real gRPC. Thread-safe.
/// Every unary call carries the deadline given; failures surface as <see cref="Grpc.Core.RpcException"/>.
/// </summary>
internal interface IRocketMqTransport : IAsyncDisposable
{
    /// <summary>The endpoints value this transport talks to.</summary>
    AccessPoint Endpoint { get; }

    Task<QueryRouteResponse> QueryRouteAsync(QueryRouteRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);
    Task<SendMessageResponse> SendMessageAsync(SendMessageRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);
    Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);
    Task<EndTransactionResponse> EndTransactionAsync(EndTransactionRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);
    Task<NotifyClientTerminationResponse> NotifyClientTerminationAsync(NotifyClientTerminationRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Opens a new bidirectional telemetry stream (signed once, when it opens).</summary>
    ITelemetryStream OpenTelemetry();
}

/// <summary>One telemetry stream: write commands, read the server's commands until it ends or fails.</summary>
internal interface ITelemetryStream : IAsyncDisposable
{
    Task WriteAsync(TelemetryCommand command);

    /// <summary>The server's commands; ends when the server completes the stream, throws when it fails.</summary>
    IAsyncEnumerable<TelemetryCommand> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Half-closes the client side (graceful shutdown).</summary>
    Task CompleteAsync();
}

/// <summary>Creates one transport per endpoints value.</summary>
internal interface ITransportFactory
{
    IRocketMqTransport Create(AccessPoint endpoint, ClientIdentity identity);
}
