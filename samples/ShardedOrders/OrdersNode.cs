using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using ActorProducer.Hosting;

namespace ActorProducer.Samples.ShardedOrders;

/// <summary>How one node of the orders service runs.</summary>
public sealed record OrdersNodeOptions
{
    /// <summary>RocketMQ proxy endpoints.</summary>
    public required string Endpoint { get; init; }

    /// <summary>FIFO topic of order events.</summary>
    public string Topic { get; init; } = "order-events";

    /// <summary>Akka.Remote host name.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Akka.Remote port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Seed nodes (<c>akka.tcp://orders@host:port</c>); none = this node joins itself (a one-node cluster).</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>Number of shards.</summary>
    public int Shards { get; init; } = 30;
}

/// <summary>
/// The Akka.Hosting set-up of an orders node: remoting, clustering, the node-local RocketMQ producer and the
/// order shard region whose entities publish through it. Shared by the sample and its tests.
/// </summary>
public static class OrdersNode
{
    /// <summary>Actor system name of every node of the service.</summary>
    public const string SystemName = "orders";

    /// <summary>Configures <paramref name="builder"/> as an orders node.</summary>
    public static AkkaConfigurationBuilder ConfigureOrdersNode(this AkkaConfigurationBuilder builder, OrdersNodeOptions options)
    {
        builder
            .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
            .WithRemoting(options.Hostname, options.Port)
            .WithClustering(new ClusterOptions { SeedNodes = [.. options.Seeds] })
            // One producer per node, started with the actor system and registered before the shard region below,
            // which hands it to every entity. Prebinding the topic validates it before the node takes traffic.
            .WithRocketMqProducer(producer =>
            {
                producer.Endpoints = options.Endpoint;
                producer.Topics = [options.Topic];
            })
            .WithShardRegion<OrderRegion>(
                "orders",
                (system, registry, _) =>
                {
                    var producer = registry.Get<RocketMqProducerActor>();
                    var node = Cluster.Get(system).SelfAddress.ToString();
                    return orderId => OrderEntity.Props(orderId, producer, options.Topic, node);
                },
                new OrderMessageExtractor(options.Shards),
                new ShardOptions { HandOffStopMessage = OrderEntity.Stop.Instance, RememberEntities = false });

        if (options.Seeds.Count == 0)
            builder.AddStartup((system, _) =>
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        return builder;
    }

    /// <summary>Completes when this node is Up in the cluster.</summary>
    public static Task WhenUpAsync(ActorSystem system, TimeSpan timeout)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        return up.Task.WaitAsync(timeout);
    }

    /// <summary>The region's view of the cluster: how many regions the coordinator knows (one per node hosting shards).</summary>
    public static async Task<int> RegionCountAsync(IActorRef region, TimeSpan timeout)
    {
        var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + TimeSpan.FromSeconds(1));
        return stats.Regions.Count;
    }
}
