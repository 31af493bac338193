using Akka.Actor;
using Akka.Configuration;
using ActorProducer.LocalBroker;
using ActorProducer.Messages;
using ActorProducer.Settings;
using Apache.Rocketmq.V2;

namespace ActorProducer.Benchmarks;

/// <summary>
/// What the BenchmarkDotNet call-cost classes talk to, started once: an in-process LocalBroker (BenchmarkDotNet
/// runs each class in a process of its own), the raw gRPC client and an ActorProducer.
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    public const string Topic = "bench";
    public static readonly byte[] Body = Comparison.Sizes.Body(128);

    private readonly SendMessageRequest _request = RawGrpc.Request(Topic, Body);
    private readonly ProducerMessage _message = new(Topic, Body);

    private BenchTarget(LocalBroker.LocalBroker broker, ActorSystem system, IRocketMqProducer producer)
    {
        Broker = broker;
        System = system;
        Producer = producer;
        Raw = new RawGrpc(broker.Endpoint);
    }

    public LocalBroker.LocalBroker Broker { get; }
    public ActorSystem System { get; }
    public IRocketMqProducer Producer { get; }
    public RawGrpc Raw { get; }

    /// <param name="noNetwork">SendMessage answered inside the producer's process (<see cref="NoNetworkTransport"/>).</param>
    public static async Task<BenchTarget> StartAsync(bool noNetwork = false)
    {
        var broker = await LocalBroker.LocalBroker.StartAsync(new LocalBrokerOptions { Topics = { new TopicDefinition(Topic, QueueCount: 8) } });
        var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.rocketmq.producer {
              endpoints = "{{broker.Endpoint}}"
              topics = ["{{Topic}}"]
              max-in-flight = 100000
            }
            """));
        var extension = RocketMqProducerExtension.Get(system);
        var setup = noNetwork
            ? new RocketMqProducerSetup { TransportFactory = new NoNetworkTransport.Factory(ProducerSettings.Create(system.Settings.Config)) }
            : null;
        var producer = await extension.StartProducerAsync(setup: setup);
        var target = new BenchTarget(broker, system, producer);
        await target.RawSendAsync(); // handshake with the broker before measuring
        return target;
    }

    /// <summary>The baseline: one SendMessage with a fresh message id and headers, as the producer would build it.</summary>
    public async Task RawSendAsync()
    {
        var response = await Raw.SendBuiltAsync(Topic, Body);
        if (response.Status.Code != Code.Ok) throw new InvalidOperationException($"raw send failed: {response.Status}");
    }

    /// <summary>The same call with the request and headers built once (the floor of the comparison).</summary>
    public Task RawPrebuiltSendAsync() => Raw.Client.SendMessageAsync(_request, Raw.PrebuiltHeaders).ResponseAsync;

    public async Task EmptyCallAsync()
    {
        var response = await Raw.EmptyCallAsync();
        if (response.Status.Code != Code.NotImplemented) throw new InvalidOperationException($"unexpected {response.Status}");
    }

    public Task ProducerSendAsync() => Producer.SendAsync(_message);

    public Task AskAsync() => Producer.Actor.Ask<SendOutcome>(new Send(_message), TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await Producer.DisposeAsync();
        await System.Terminate();
        Raw.Dispose();
        await Broker.DisposeAsync();
    }
}
