using System.Buffers;
using ActorProducer.Ids;
using ActorProducer.Messages;
using ActorProducer.Routing;
using ActorProducer.Settings;
using ActorProducer.Transport;
using ActorProducer.Validation;
using Apache.Rocketmq.V2;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;

namespace ActorProducer.Benchmarks;

/// <summary>
/// A send's per-message work before gRPC: validation (ProducerActor), the Message proto (WireMessages.ToProto),
/// the request (<see cref="ProducerWire"/>, as TopicSenderActor wraps it), and its serialization (what gRPC then does).
/// </summary>
[MemoryDiagnoser]
public class RequestBuildingCost
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Resource _topic = new() { Name = "bench" };
    private ProducerMessage _message = null!;
    private SendMessageRequest _request = null!;

    [Params(128, 1024, 16 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = new ProducerMessage("bench", Comparison.Sizes.Body(Size));
        _request = ProducerWire.BuildRequest(_message, _topic);
    }

    [Benchmark(Description = "MessageValidator.Validate")]
    public object? Validate() => MessageValidator.Validate(_message, 4 * 1024 * 1024);

    [Benchmark(Baseline = true, Description = "build Message (WireMessages.ToProto)")]
    public Message BuildMessage() => WireMessages.ToProto(_message, MessageType.Normal, _topic);

    [Benchmark(Description = "build SendMessageRequest")]
    public SendMessageRequest BuildRequest() => ProducerWire.BuildRequest(_message, _topic);

    [Benchmark(Description = "serialize SendMessageRequest")]
    public int Serialize()
    {
        _buffer.ResetWrittenCount();
        _request.WriteTo(_buffer);
        return _buffer.WrittenCount;
    }
}

/// <summary>The headers every call carries (RequestMetadata, one instance per transport) and the HMAC signature (RequestSigner).</summary>
[MemoryDiagnoser]
public class RequestMetadataCost
{
    private const string Secret = "secret-key-of-forty-characters-000000000";
    private readonly RequestMetadata _unsigned = new(new ClientIdentity(ClientIdGenerator.Next(), "", null));
    private readonly RequestMetadata _signed = new(new ClientIdentity(ClientIdGenerator.Next(), "",
        new StaticCredentialsProvider(new SessionCredentials("access-key", Secret))));
    private readonly string _dateTime = RequestSigner.FormatDateTime(DateTime.UtcNow);

    [Benchmark(Baseline = true, Description = "RequestMetadata.Next, unsigned")]
    public object Unsigned() => _unsigned.Next();

    [Benchmark(Description = "RequestMetadata.Next, signed (signature reused within the second)")]
    public object Signed() => _signed.Next();

    [Benchmark(Description = "RequestSigner.Authorization (once a second per transport)")]
    public string Sign() => RequestSigner.Authorization("access-key", Secret, _dateTime);

    [Benchmark(Description = "x-mq-request-id (RequestIds.Next)")]
    public string RequestId() => Ids.RequestIds.Next();

    [Benchmark(Description = "Guid.NewGuid().ToString() (what RequestIds replaced)")]
    public string GuidRequestId() => Guid.NewGuid().ToString();
}

/// <summary>Message ids: one per message, before the first attempt.</summary>
[MemoryDiagnoser]
public class MessageIdCost
{
    [Benchmark(Description = "MessageIdGenerator.Next")]
    public string Next() => MessageIdGenerator.Next();
}

/// <summary>Queue selection per request: round-robin candidates over 2 brokers × 8 queues, and the FIFO SipHash.</summary>
[MemoryDiagnoser]
public class QueueSelectionCost
{
    private readonly HashSet<AccessPoint> _isolated = [];
    private TopicRoute _route = null!;
    private CandidateCache _cache = null!;
    private int _cursor;

    [GlobalSetup]
    public void Setup()
    {
        var queues = new List<MessageQueue>();
        for (var broker = 0; broker < 2; broker++)
        {
            var endpoints = new Endpoints { Scheme = AddressScheme.Ipv4, Addresses = { new Address { Host = "127.0.0.1", Port = 8081 + broker } } };
            for (var id = 0; id < 8; id++)
            {
                queues.Add(new MessageQueue
                {
                    Topic = new Resource { Name = "bench" }, Id = id, Permission = Permission.ReadWrite,
                    Broker = new Broker { Name = $"broker-{broker}", Id = TopicRoute.MasterBrokerId, Endpoints = endpoints },
                    AcceptMessageTypes = { MessageType.Normal, MessageType.Fifo },
                });
            }
        }
        _route = new TopicRoute(queues);
        _cache = new CandidateCache(_route, 3, _isolated.Contains);
    }

    [Benchmark(Baseline = true, Description = "round robin: TopicRoute.Candidates (3 attempts)")]
    public IReadOnlyList<MessageQueue> RoundRobin() => _route.Candidates(_cursor++, 3, _isolated.Contains);

    [Benchmark(Description = "round robin: CandidateCache.For (what TopicSenderActor asks)")]
    public IReadOnlyList<MessageQueue> RoundRobinCached() => _cache.For(_cursor++);

    [Benchmark(Description = "FIFO: TopicRoute.ForGroup (SipHash-2-4)")]
    public MessageQueue Fifo() => _route.ForGroup("order-4711");

    [Benchmark(Description = "TopicRoute.EndpointsOf")]
    public AccessPoint EndpointsOf() => _route.EndpointsOf(_route.WritableQueues[3]);
}
