using Akka.Actor;
using Akka.Configuration;
using ActorProducer.Ids;
using ActorProducer.LocalBroker;
using ActorProducer.Transport;
using Apache.Rocketmq.V2;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorProducer.Benchmarks;

/// <summary>
/// Everything a benchmark talks to, started once: a LocalBroker, a raw gRPC client (the baseline: the same
/// RPC the producer makes, with the same headers, without any of the producer) and an ActorProducer.
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    public const string Topic = "bench";
    public static readonly byte[] Body = new byte[128];

    private readonly GrpcChannel _channel;
    private readonly ClientIdentity _identity = new(ClientIdGenerator.Next(), "", null);

    private BenchTarget(LocalBroker.LocalBroker broker, ActorSystem system, IRocketMqProducer producer)
    {
        Broker = broker;
        System = system;
        Producer = producer;
        _channel = GrpcChannel.ForAddress($"http://{broker.Endpoint}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        Client = new MessagingService.MessagingServiceClient(_channel);
    }

    public LocalBroker.LocalBroker Broker { get; }
    public ActorSystem System { get; }
    public IRocketMqProducer Producer { get; }
    public MessagingService.MessagingServiceClient Client { get; }

    public static async Task<BenchTarget> StartAsync(bool batching = false)
    {
        var broker = await LocalBroker.LocalBroker.StartAsync(new LocalBrokerOptions { Topics = { new TopicDefinition(Topic, QueueCount: 8) } });
        var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.rocketmq.producer {
              endpoints = "{{broker.Endpoint}}"
              topics = ["{{Topic}}"]
              max-in-flight = 100000
              batching.enabled = {{(batching ? "on" : "off")}}
            }
            """));
        var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync();
        var target = new BenchTarget(broker, system, producer);
        await target.RawSendAsync(); // handshake with the broker before measuring
        return target;
    }

    /// <summary>The baseline: one SendMessage with a fresh message id, as the producer would build it.</summary>
    public async Task RawSendAsync()
    {
        var request = new SendMessageRequest
        {
            Messages =
            {
                new Message
                {
                    Topic = new Resource { Name = Topic },
                    Body = ByteString.CopyFrom(Body),
                    SystemProperties = new SystemProperties
                    {
                        MessageId = MessageIdGenerator.Next(), MessageType = MessageType.Normal, BodyEncoding = Encoding.Identity,
                        BornTimestamp = Timestamp.FromDateTime(DateTime.UtcNow), BornHost = "bench",
                    },
                },
            },
        };
        var response = await Client.SendMessageAsync(request, Headers());
        if (response.Status.Code != Code.Ok) throw new InvalidOperationException($"raw send failed: {response.Status}");
    }

    /// <summary>An RPC the server answers without work (a consumer RPC answered NOT_IMPLEMENTED): gRPC + pipeline cost only.</summary>
    public async Task EmptyCallAsync()
    {
        var response = await Client.QueryOffsetAsync(new QueryOffsetRequest(), Headers());
        if (response.Status.Code != Code.NotImplemented) throw new InvalidOperationException($"unexpected {response.Status}");
    }

    public Task ProducerSendAsync() => Producer.SendAsync(new Messages.ProducerMessage(Topic, Body));

    private CallOptions Headers() => new(RequestMetadata.Create(_identity), DateTime.UtcNow.AddSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await Producer.DisposeAsync();
        await System.Terminate();
        _channel.Dispose();
        await Broker.DisposeAsync();
    }
}
