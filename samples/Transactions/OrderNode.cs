using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using ActorProducer.Settings;

namespace ActorProducer.Samples.Transactions;

/// <summary>
/// One process of the order service: an actor system whose producer prebinds the transactional topic (so the broker's
/// checks can reach it) and has the database-backed checker. The checker goes in through the system's Setup, the rest
/// is HOCON, as an application would configure it.
/// </summary>
public sealed class OrderNode
{
    private OrderNode(string name, ActorSystem system, IRocketMqProducer producer)
    {
        Name = name;
        System = system;
        Producer = producer;
    }

    public string Name { get; }
    public ActorSystem System { get; }
    public IRocketMqProducer Producer { get; }

    public static async Task<OrderNode> StartAsync(string name, string endpoint, string topic, OrderCreatedChecker checker)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = ERROR
            akka.rocketmq.producer {
              endpoints = "{{endpoint}}"
              topics = ["{{topic}}"]          # prebound: required for transactions
              transactions.check-timeout = 5s # a check that takes longer counts as Unknown
            }
            """);
        var setup = BootstrapSetup.Create().WithConfig(config)
            .And(new RocketMqProducerSetup { TransactionChecker = checker });
        var system = ActorSystem.Create(name, setup);
        var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync();
        return new OrderNode(name, system, producer);
    }

    /// <summary>The process going away: the actor system terminates (the producer shuts down, deciding nothing).</summary>
    public Task CrashAsync() => System.Terminate();
}
