using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using ActorProducer.Diagnostics;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.Samples.ShardedOrders;
using ActorProducer.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorProducer.Hosting.Tests;

/// <summary>
/// Two nodes of the ShardedOrders service in one process (two actor systems on loopback ports), each with its
/// node-local producer. Order entities move from one node to the other when it leaves; the broker must still
/// hold every order's events complete and in order, each sent by the producer of the node hosting the entity.
/// </summary>
public sealed class ShardedOrdersSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int Orders = 16;
    private const int EventsPerOrder = 8;

    [Fact]
    public async Task Should_keep_each_orders_events_in_order_across_a_hand_off_using_only_the_node_local_producer()
    {
        var topic = TopicNames.Unique("order-events");
        await using var broker = await TestBrokers.StartAsync(o => o.Topics.Add(new TopicDefinition(topic, TopicMessageType.Fifo, 8)));
        var nodeA = await StartNodeAsync(broker, topic, seeds: []);
        IHost? nodeB = null;
        try
        {
            var systemA = nodeA.Services.GetRequiredService<ActorSystem>();
            await OrdersNode.WhenUpAsync(systemA, Timeout);
            nodeB = await StartNodeAsync(broker, topic, seeds: [Cluster.Get(systemA).SelfAddress.ToString()]);
            var systemB = nodeB.Services.GetRequiredService<ActorSystem>();
            await OrdersNode.WhenUpAsync(systemB, Timeout);

            var addressA = Cluster.Get(systemA).SelfAddress.ToString();
            var addressB = Cluster.Get(systemB).SelfAddress.ToString();
            var producerOf = new Dictionary<string, string>
            {
                [addressA] = nodeA.Services.GetRequiredService<IRocketMqProducer>().ClientId,
                [addressB] = nodeB.Services.GetRequiredService<IRocketMqProducer>().ClientId,
            };
            var region = await nodeA.Services.GetRequiredService<IRequiredActor<OrderRegion>>().GetAsync();
            await Eventually.Holds(async () => Assert.Equal(2, await OrdersNode.RegionCountAsync(region, TimeSpan.FromSeconds(3))), Timeout);
            var orderIds = Enumerable.Range(1, Orders).Select(OrderWorkload.OrderId).ToArray();

            // Events 1-3 of every order: the coordinator spreads the orders over both nodes.
            var first = await OrderWorkload.RunAsync(region, orderIds, 1, 3, EventsPerOrder, window: 1, Timeout);
            Assert.Empty(first.Rejected);
            var onB = first.Published.Where(p => p.Node == addressB).Select(p => p.OrderId).ToHashSet();
            Assert.NotEmpty(onB);
            Assert.NotEqual(Orders, onB.Count);

            // Event 4 while node B leaves: B's entities get the hand-off stop with their send still in flight
            // (the broker answers slowly) and must finish it before their shard moves to A.
            using var inFlight = new InFlightGauge();
            var deferred = new ConcurrentQueue<OrderHandOffDeferred>();
            var watcher = systemB.ActorOf(Props.Create(() => new HandOffWatcher(deferred)));
            systemB.EventStream.Subscribe(watcher, typeof(OrderHandOffDeferred));
            broker.Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.FromSeconds(1));
            var fourth = OrderWorkload.RunAsync(region, orderIds, 4, 4, EventsPerOrder, window: 1, Timeout);
            await Eventually.Holds(() => Assert.Equal(onB.Count, inFlight.Of(producerOf[addressB])), Timeout);
            await nodeB.StopAsync(Timeout);
            broker.Faults.SetLatency(BrokerRpc.SendMessage, TimeSpan.Zero);
            var during = await fourth;
            Assert.Empty(during.Rejected);
            Assert.Equal(onB, during.Published.Where(p => p.Node == addressB).Select(p => p.OrderId).ToHashSet());
            Assert.Equal(onB.Order(), deferred.Select(d => d.OrderId).Order()); // every entity on B waited for its send

            // Events 5-8: every order now lives on A.
            var last = await OrderWorkload.RunAsync(region, orderIds, 5, EventsPerOrder, EventsPerOrder, window: 1, Timeout);
            Assert.Empty(last.Rejected);
            Assert.All(last.Published, p => Assert.Equal(addressA, p.Node));

            var stored = broker.Inspect.Messages(topic);
            var verdicts = OrderingReport.Verify(stored.Select(ObservedEvent.From), orderIds, EventsPerOrder);
            Assert.All(verdicts, v => Assert.True(v.InOrder, v.ToString()));
            Assert.Equal(onB.Order(), verdicts.Where(v => v.Producers == 2).Select(v => v.Group).Order()); // moved orders used both producers
            // Each event went through the producer of the node that hosted its entity, never the other node's.
            Assert.All(stored, m => Assert.Equal(producerOf[m.UserProperties["node"]], m.ProducerClientId));
            var sendsPerClient = broker.Inspect.Requests().Where(r => r.Rpc == "SendMessage")
                .GroupBy(r => r.ClientId ?? "").ToDictionary(g => g.Key, g => g.Count());
            foreach (var clientId in producerOf.Values)
                Assert.Equal(stored.Count(m => m.ProducerClientId == clientId), sendsPerClient.GetValueOrDefault(clientId));
        }
        finally
        {
            if (nodeB is not null) await nodeB.StopQuietlyAsync();
            await nodeA.StopQuietlyAsync();
        }
    }

    private static Task<IHost> StartNodeAsync(ActorProducer.LocalBroker.LocalBroker broker, string topic, string[] seeds) =>
        TestHosts.StartAsync(
            akka => akka.ConfigureOrdersNode(new OrdersNodeOptions { Endpoint = broker.Endpoint, Topic = topic, Seeds = seeds, Shards = 20 }),
            OrdersNode.SystemName);

    private sealed class HandOffWatcher : ReceiveActor
    {
        public HandOffWatcher(ConcurrentQueue<OrderHandOffDeferred> seen) => Receive<OrderHandOffDeferred>(seen.Enqueue);
    }

    /// <summary>Sends in flight per client id, from the producer's own <c>rocketmq.producer.in_flight</c> metric, since creation.</summary>
    private sealed class InFlightGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _inFlight = new();

        public InFlightGauge()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ProducerDiagnostics.Name && instrument.Name == "rocketmq.producer.in_flight")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, delta, tags, _) =>
            {
                foreach (var tag in tags)
                    if (tag is { Key: "client_id", Value: string clientId })
                        _inFlight.AddOrUpdate(clientId, delta, (_, current) => current + delta);
            });
            _listener.Start();
        }

        public long Of(string clientId) => _inFlight.GetValueOrDefault(clientId);

        public void Dispose() => _listener.Dispose();
    }
}
