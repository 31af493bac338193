using System.Net.Security;
using System.Runtime.CompilerServices;
using Apache.Rocketmq.V2;
using ActorProducer.Settings;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorProducer.Transport;

/// <summary>The real transport: one gRPC channel per endpoints value.</summary>
internal sealed class GrpcTransport : IRocketMqTransport
{
    private readonly GrpcChannel _channel;
    private readonly MessagingService.MessagingServiceClient _client;
    private readonly RequestMetadata _metadata;

    public GrpcTransport(AccessPoint endpoint, ClientIdentity identity, ProducerSettings settings, Func<HttpMessageHandler>? handlerFactory)
    {
        Endpoint = endpoint;
        _metadata = new RequestMetadata(identity);
        _channel = GrpcChannel.ForAddress(endpoint.ToUri(settings.TlsEnabled), new GrpcChannelOptions
        {
            HttpHandler = handlerFactory?.Invoke() ?? CreateHandler(settings),
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            // Retries are the producer's job (it picks another broker); gRPC's own would hide attempts.
            MaxRetryAttempts = 0,
            // After a failed connect the channel fails every call until its next connect attempt: keep that window
            // short, so a restarted proxy is used again within a second or two rather than gRPC's default 2 minutes.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = settings.ReconnectMinBackoff * 2,
        });
        _client = new MessagingService.MessagingServiceClient(_channel);
    }

    public AccessPoint Endpoint { get; }

    /// <summary>
    /// Keep-alive pings detect half-open connections (behavior.md §9 #7); several HTTP/2 connections
    /// lift the 100-streams-per-connection cap under load (toolchain.md).
    /// </summary>
    private static SocketsHttpHandler CreateHandler(ProducerSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = settings.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30),
        };
        if (settings.TlsEnabled && settings.TrustAllCertificates)
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
        return handler;
    }

    private CallOptions Options(TimeSpan timeout, CancellationToken ct) =>
        new(_metadata.Next(), DateTime.UtcNow + timeout, ct);

    public Task<QueryRouteResponse> QueryRouteAsync(QueryRouteRequest request, TimeSpan timeout, CancellationToken ct = default) =>
        _client.QueryRouteAsync(request, Options(timeout, ct)).ResponseAsync;

    public Task<SendMessageResponse> SendMessageAsync(SendMessageRequest request, TimeSpan timeout, CancellationToken ct = default) =>
        _client.SendMessageAsync(request, Options(timeout, ct)).ResponseAsync;

    public Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, TimeSpan timeout, CancellationToken ct = default) =>
        _client.HeartbeatAsync(request, Options(timeout, ct)).ResponseAsync;

    public Task<EndTransactionResponse> EndTransactionAsync(EndTransactionRequest request, TimeSpan timeout, CancellationToken ct = default) =>
        _client.EndTransactionAsync(request, Options(timeout, ct)).ResponseAsync;

    public Task<NotifyClientTerminationResponse> NotifyClientTerminationAsync(NotifyClientTerminationRequest request, TimeSpan timeout, CancellationToken ct = default) =>
        _client.NotifyClientTerminationAsync(request, Options(timeout, ct)).ResponseAsync;

    public ITelemetryStream OpenTelemetry() =>
        new GrpcTelemetryStream(_client.Telemetry(new CallOptions(_metadata.Next())));

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class GrpcTelemetryStream(AsyncDuplexStreamingCall<TelemetryCommand, TelemetryCommand> call) : ITelemetryStream
    {
        // gRPC allows one pending write at a time; the connection actor serialises writes through this lock.
        private readonly SemaphoreSlim _writeLock = new(1, 1);

        public async Task WriteAsync(TelemetryCommand command)
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try { await call.RequestStream.WriteAsync(command).ConfigureAwait(false); }
            finally { _writeLock.Release(); }
        }

        public async IAsyncEnumerable<TelemetryCommand> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
        {
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
                yield return call.ResponseStream.Current;
        }

        public async Task CompleteAsync()
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try { await call.RequestStream.CompleteAsync().ConfigureAwait(false); }
            finally { _writeLock.Release(); }
        }

        public ValueTask DisposeAsync()
        {
            call.Dispose();
            _writeLock.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Creates <see cref="GrpcTransport"/>s.</summary>
internal sealed class GrpcTransportFactory(ProducerSettings settings, Func<HttpMessageHandler>? handlerFactory) : ITransportFactory
{
    public IRocketMqTransport Create(AccessPoint endpoint, ClientIdentity identity) =>
        new GrpcTransport(endpoint, identity, settings, handlerFactory);
}
