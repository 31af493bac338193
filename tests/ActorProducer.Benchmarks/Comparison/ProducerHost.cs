using Akka.Actor;
using Akka.Configuration;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>An ActorSystem with one started ActorProducer against the benchmark broker; one per contender, so none inherits another's state.</summary>
internal sealed class ProducerHost : IAsyncDisposable
{
    private ProducerHost(ActorSystem system, IRocketMqProducer producer)
    {
        System = system;
        Producer = producer;
    }

    public ActorSystem System { get; }
    public IRocketMqProducer Producer { get; }

    public static async Task<ProducerHost> StartAsync(string endpoint, IEnumerable<string> topics, bool batching)
    {
        var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.rocketmq.producer {
              endpoints = "{{endpoint}}"
              topics = [{{string.Join(", ", topics.Select(t => $"\"{t}\""))}}]
              # The harness bounds what is in flight itself; the cap must never refuse a benchmark send.
              max-in-flight = 100000
              batching.enabled = {{(batching ? "on" : "off")}}
            }
            """));
        var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync();
        return new ProducerHost(system, producer);
    }

    public async ValueTask DisposeAsync()
    {
        await Producer.DisposeAsync();
        await System.Terminate();
    }
}
