using Akka.Actor;
using ActorProducer.Settings;
using Broker = ActorProducer.LocalBroker.LocalBroker;

namespace ActorProducer.Transactions.Tests.Infrastructure;

/// <summary>
/// One application node: its own actor system, configured in HOCON as an application is, with a producer started
/// through <c>StartProducerAsync()</c> from <c>akka.rocketmq.producer</c>. Specs that need a process to "crash" and a
/// new one to take over use two of these; <see cref="TerminateAsync"/> is what a node going away does
/// (CoordinatedShutdown runs the producer's graceful shutdown, nothing more).
/// </summary>
public sealed class ProducerNode : IAsyncDisposable
{
    private ProducerNode(ActorSystem system, IRocketMqProducer producer)
    {
        System = system;
        Producer = producer;
    }

    public ActorSystem System { get; }

    public IRocketMqProducer Producer { get; }

    /// <summary>Starts an actor system named <paramref name="name"/> and its producer for <paramref name="broker"/>.</summary>
    public static async Task<ProducerNode> StartAsync(string name, Broker broker, IEnumerable<string> topics,
        ITransactionChecker checker, string hocon = "")
    {
        var system = ActorSystem.Create(name, ProducerConfig.For(broker, topics, hocon)
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = INFO")));
        try
        {
            var producer = await RocketMqProducerExtension.Get(system)
                .StartProducerAsync(setup: new RocketMqProducerSetup { TransactionChecker = checker });
            return new ProducerNode(system, producer);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Terminates the actor system (the producer's graceful shutdown runs in CoordinatedShutdown).</summary>
    public Task TerminateAsync() => System.Terminate();

    public async ValueTask DisposeAsync() => await System.Terminate();
}
