using ActorProducer.Ids;
using ActorProducer.Messages;
using ActorProducer.Transport;
using Apache.Rocketmq.V2;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorProducer.Benchmarks;

/// <summary>
/// The baseline: a bare Grpc.Net.Client MessagingService client making the same SendMessage the producer makes,
/// with the same headers, and none of the producer.
/// </summary>
internal sealed class RawGrpc : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly RequestMetadata _metadata = new(new ClientIdentity(ClientIdGenerator.Next(), "", null));

    public RawGrpc(string endpoint)
    {
        // Several HTTP/2 connections, as the producer's channel: Kestrel caps streams per connection (toolchain.md).
        _channel = GrpcChannel.ForAddress($"http://{endpoint}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        Client = new MessagingService.MessagingServiceClient(_channel);
        PrebuiltHeaders = new CallOptions(_metadata.Next());
    }

    public MessagingService.MessagingServiceClient Client { get; }

    /// <summary>One NORMAL message as the producer builds it: fresh message id and born timestamp.</summary>
    public static SendMessageRequest Request(string topic, byte[] body) =>
        ProducerWire.BuildRequest(new ProducerMessage(topic, body), new Resource { Name = topic });

    /// <summary>The RocketMQ headers (fresh request id) with a deadline, as the producer's transport sends them.</summary>
    public CallOptions Headers() => new(_metadata.Next(), DateTime.UtcNow.AddSeconds(10));

    /// <summary>Headers built once and reused for every call: the least a client can do per call.</summary>
    public CallOptions PrebuiltHeaders { get; }

    /// <summary>A SendMessage built for this call (message id, timestamps, headers): what every real client does.</summary>
    public async Task<SendMessageResponse> SendBuiltAsync(string topic, byte[] body) =>
        await Client.SendMessageAsync(Request(topic, body), Headers());

    /// <summary>An RPC the server answers without work (a consumer RPC answered NOT_IMPLEMENTED): gRPC + pipeline cost only.</summary>
    public async Task<QueryOffsetResponse> EmptyCallAsync() => await Client.QueryOffsetAsync(new QueryOffsetRequest(), Headers());

    public void Dispose() => _channel.Dispose();
}
