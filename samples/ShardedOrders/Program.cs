// Sharded orders: order entities (Akka.Cluster.Sharding, one-node cluster) publish their events through the
// node-local RocketMQ producer, FIFO per order, then the per-order ordering is checked against what the broker
// stored. Embedded LocalBroker by default; --endpoint host:port for a real cluster (the topic must exist as FIFO).
// Exit code 0 only if every order's events were stored complete and in order.
using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using ActorProducer;
using ActorProducer.Hosting;
using ActorProducer.LocalBroker;
using ActorProducer.Samples.ShardedOrders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

string? endpoint = null;
var topic = "order-events";
var orders = 20;
var events = 25;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--endpoint": endpoint = Value(); break;
        case "--topic": topic = Value(); break;
        case "--orders": orders = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--events": events = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--endpoint host:port] [--topic name] [--orders n] [--events n]");
            return 2;
    }
}
if (orders < 1 || events < 3)
{
    Console.Error.WriteLine("--orders must be >= 1 and --events >= 3");
    return 2;
}

await using var broker = endpoint is null
    ? await LocalBroker.StartAsync(new LocalBrokerOptions { Topics = { new TopicDefinition(topic, TopicMessageType.Fifo, 8) } })
    : null;
endpoint ??= broker!.Endpoint;
Console.WriteLine(broker is null
    ? $"RocketMQ proxy {endpoint}, topic {topic} (must be a FIFO topic)"
    : $"Embedded LocalBroker on {endpoint}, topic {topic} (FIFO, 8 queues)");

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddAkka(OrdersNode.SystemName, akka => akka.ConfigureOrdersNode(new OrdersNodeOptions { Endpoint = endpoint, Topic = topic }));
builder.Services.AddRocketMqProducerFacade();
using var host = builder.Build();
await host.StartAsync();

var system = host.Services.GetRequiredService<ActorSystem>();
await OrdersNode.WhenUpAsync(system, TimeSpan.FromSeconds(30));
var producer = host.Services.GetRequiredService<IRocketMqProducer>();
var region = await host.Services.GetRequiredService<IRequiredActor<OrderRegion>>().GetAsync();
Console.WriteLine($"Node {Akka.Cluster.Cluster.Get(system).SelfAddress} is up; node-local producer {producer.ClientId}");

var orderIds = Enumerable.Range(1, orders).Select(OrderWorkload.OrderId).ToArray();
Console.WriteLine($"Publishing {orders} orders x {events} events, each order's events pipelined (all in flight at once)...");
var clock = Stopwatch.StartNew();
var result = await OrderWorkload.RunAsync(region, orderIds, 1, events, events, window: events, TimeSpan.FromSeconds(60));
Console.WriteLine($"{result.Published.Count} events published in {clock.Elapsed.TotalSeconds:0.00} s, {result.Rejected.Count} rejected");
foreach (var rejected in result.Rejected.Take(5)) Console.WriteLine($"  rejected {rejected.OrderId} #{rejected.Sequence}: {rejected.Reason}");

// What the broker stored is the truth; against a real cluster, the receipts (queue + offset) stand in for it.
var observed = broker is null
    ? result.Published.Select(ObservedEvent.From)
    : broker.Inspect.Messages(topic).Select(ObservedEvent.From);
var verdicts = OrderingReport.Verify(observed, orderIds, events);
Console.WriteLine(broker is null
    ? "Per-order ordering, checked against the broker's receipts:"
    : "Per-order ordering, checked against what LocalBroker stored:");
foreach (var verdict in verdicts) Console.WriteLine($"  {verdict}");

await host.StopAsync();

var ok = result.Rejected.Count == 0 && verdicts.All(v => v.InOrder);
Console.WriteLine(ok
    ? $"Verified: {verdicts.Count}/{verdicts.Count} orders complete and in order ({orders * events} events)."
    : $"NOT verified: {verdicts.Count(v => !v.InOrder)} order(s) out of order or incomplete, {result.Rejected.Count} event(s) rejected.");
return ok ? 0 : 1;
