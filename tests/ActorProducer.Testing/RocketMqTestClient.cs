using Apache.Rocketmq.V2;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorProducer.Testing;

/// <summary>
/// A raw RocketMQ gRPC client for tests: the generated <see cref="MessagingService.MessagingServiceClient"/> plus
/// controllable headers (<see cref="RocketMqHeaders"/>). Clients made with <see cref="WithHeaders"/> share the
/// channel of the client they came from; dispose the root client only.
/// </summary>
public sealed class RocketMqTestClient : IDisposable
{
    private readonly GrpcChannel channel;
    private readonly bool ownsChannel;

    private RocketMqTestClient(GrpcChannel channel, bool ownsChannel, string endpoint, RocketMqHeaders headers)
    {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        Endpoint = endpoint;
        Headers = headers;
        Raw = new MessagingService.MessagingServiceClient(channel);
    }

    /// <summary>Opens a channel to <paramref name="endpoint"/> (<c>host:port</c>); with TLS any server certificate is accepted, as the official clients do.</summary>
    public static RocketMqTestClient Connect(string endpoint, RocketMqHeaders? headers = null, bool useTls = false)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (useTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        var address = (useTls ? "https://" : "http://") + endpoint;
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        return new RocketMqTestClient(channel, ownsChannel: true, endpoint, headers ?? RocketMqHeaders.Default());
    }

    /// <summary>The <c>host:port</c> this client dials.</summary>
    public string Endpoint { get; }

    /// <summary>The access point as a producer sends it in QueryRoute and Settings.</summary>
    public Endpoints AccessPoint => AccessPoints.Parse(Endpoint);

    public RocketMqHeaders Headers { get; }

    /// <summary>The generated client, for calls the helpers below do not cover.</summary>
    public MessagingService.MessagingServiceClient Raw { get; }

    /// <summary>Deadline of every unary helper call.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A client on the same channel with changed headers (e.g. <c>h => h.Without("x-mq-client-id")</c>).</summary>
    public RocketMqTestClient WithHeaders(Func<RocketMqHeaders, RocketMqHeaders> change)
        => new(channel, ownsChannel: false, Endpoint, change(Headers)) { Timeout = Timeout };

    /// <summary>Headers and deadline for one call (no deadline when <paramref name="timeout"/> is infinite).</summary>
    public CallOptions CallOptions(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var span = timeout ?? Timeout;
        DateTime? deadline = span == System.Threading.Timeout.InfiniteTimeSpan ? null : DateTime.UtcNow + span;
        return new CallOptions(Headers.ToMetadata(), deadline, cancellationToken);
    }

    public Resource Topic(string name) => new() { ResourceNamespace = Headers.Namespace ?? "", Name = name };

    public async Task<QueryRouteResponse> QueryRouteAsync(string topic, Endpoints? endpoints = null)
        => await Raw.QueryRouteAsync(new QueryRouteRequest { Topic = Topic(topic), Endpoints = endpoints ?? AccessPoint }, CallOptions());

    public async Task<SendMessageResponse> SendAsync(params Message[] messages)
    {
        var request = new SendMessageRequest();
        request.Messages.AddRange(messages);
        return await SendAsync(request);
    }

    public async Task<SendMessageResponse> SendAsync(SendMessageRequest request)
        => await Raw.SendMessageAsync(request, CallOptions());

    public async Task<HeartbeatResponse> HeartbeatAsync()
        => await Raw.HeartbeatAsync(new HeartbeatRequest { ClientType = ClientType.Producer }, CallOptions());

    public async Task<NotifyClientTerminationResponse> NotifyClientTerminationAsync()
        => await Raw.NotifyClientTerminationAsync(new NotifyClientTerminationRequest(), CallOptions());

    public async Task<EndTransactionResponse> EndTransactionAsync(
        string topic,
        string messageId,
        string transactionId,
        TransactionResolution resolution,
        TransactionSource source = TransactionSource.SourceClient)
        => await Raw.EndTransactionAsync(
            new EndTransactionRequest
            {
                Topic = Topic(topic),
                MessageId = messageId,
                TransactionId = transactionId,
                Resolution = resolution,
                Source = source,
            },
            CallOptions());

    public async Task<RecallMessageResponse> RecallAsync(string topic, string recallHandle)
        => await Raw.RecallMessageAsync(new RecallMessageRequest { Topic = Topic(topic), RecallHandle = recallHandle }, CallOptions());

    /// <summary>Opens a telemetry stream (no deadline) without sending anything.</summary>
    public TelemetrySession OpenTelemetry()
        => new(Raw.Telemetry(CallOptions(System.Threading.Timeout.InfiniteTimeSpan)));

    /// <summary>
    /// Does a producer's start-up handshake: opens telemetry, sends producer Settings for <paramref name="topics"/>
    /// and waits for the server's Settings reply (in <see cref="TelemetrySession.HandshakeReply"/>).
    /// </summary>
    public async Task<TelemetrySession> ConnectProducerAsync(params string[] topics)
    {
        var session = OpenTelemetry();
        try
        {
            await session.SendSettingsAsync(ProducerSettings.For(AccessPoint, Headers.Namespace ?? "", topics));
            var reply = await session.ReadAsync();
            if (reply.Status?.Code != Code.Ok || reply.Settings is null)
            {
                throw new InvalidOperationException($"settings handshake failed: {reply}");
            }

            session.HandshakeReply = reply.Settings;
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends arbitrary bytes as the request of a unary RPC (for garbage-input tests); returns the raw response bytes.</summary>
    public async Task<byte[]> InvokeRawUnaryAsync(string rpcName, byte[] payload)
    {
        var marshaller = Marshallers.Create(bytes => bytes, bytes => bytes);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "apache.rocketmq.v2.MessagingService", rpcName, marshaller, marshaller);
        return await channel.CreateCallInvoker().AsyncUnaryCall(method, null, CallOptions(), payload);
    }

    public void Dispose()
    {
        if (ownsChannel)
        {
            channel.Dispose();
        }
    }
}
