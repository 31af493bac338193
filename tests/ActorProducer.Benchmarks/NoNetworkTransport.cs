using ActorProducer.Settings;
using ActorProducer.Transport;
using Apache.Rocketmq.V2;

namespace ActorProducer.Benchmarks;

/// <summary>
/// The real gRPC transport with SendMessage answered on the spot (every message stored at offset 0): the producer's
/// actor path measured alone, without gRPC. Route, heartbeat and telemetry still go to LocalBroker, so the producer
/// starts and settles as usual.
/// </summary>
internal sealed class NoNetworkTransport(IRocketMqTransport inner) : IRocketMqTransport
{
    private static readonly Apache.Rocketmq.V2.Status Ok = new() { Code = Code.Ok, Message = "OK" };

    public AccessPoint Endpoint => inner.Endpoint;

    public Task<SendMessageResponse> SendMessageAsync(SendMessageRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var response = new SendMessageResponse { Status = Ok };
        foreach (var message in request.Messages)
            response.Entries.Add(new SendResultEntry { Status = Ok, MessageId = message.SystemProperties.MessageId });
        return Task.FromResult(response);
    }

    public Task<QueryRouteResponse> QueryRouteAsync(QueryRouteRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.QueryRouteAsync(request, timeout, cancellationToken);

    public Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.HeartbeatAsync(request, timeout, cancellationToken);

    public Task<EndTransactionResponse> EndTransactionAsync(EndTransactionRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.EndTransactionAsync(request, timeout, cancellationToken);

    public Task<NotifyClientTerminationResponse> NotifyClientTerminationAsync(NotifyClientTerminationRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.NotifyClientTerminationAsync(request, timeout, cancellationToken);

    public ITelemetryStream OpenTelemetry() => inner.OpenTelemetry();

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Wraps each transport the real factory makes.</summary>
    public sealed class Factory(ProducerSettings settings) : ITransportFactory
    {
        private readonly GrpcTransportFactory _real = new(settings, null);

        public IRocketMqTransport Create(AccessPoint endpoint, ClientIdentity identity) => new NoNetworkTransport(_real.Create(endpoint, identity));
    }
}
