using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using Apache.Rocketmq.V2;
using Broker = ActorProducer.LocalBroker.LocalBroker;

namespace ActorProducer.Samples.Transactions;

/// <summary>
/// Crash and recover, on an embedded LocalBroker:
/// phase 1, node A places three orders — one normally, one dies after writing the order but before the commit, one
/// dies right after the half message — and the node terminates;
/// phase 2, node B starts with the same prebound topic, the broker checks the two open transactions, and B's checker
/// decides from the database: commit the order that exists, roll back the one that does not.
/// Succeeds (exit code 0) only if LocalBroker then holds exactly the orders that are in the database, each once.
/// </summary>
public static class RecoveryDemo
{
    private const string Topic = "order-events";

    // A real broker first checks after 6 s, then every 30 s (behavior.md §6.5); shortened so the demo takes seconds.
    private static readonly TransactionCheckPolicy Checks = new(
        FirstCheckAfter: TimeSpan.FromSeconds(2), CheckInterval: TimeSpan.FromSeconds(1), MaxChecks: 15,
        TransactionDataTtl: TimeSpan.FromSeconds(30));

    private static readonly TimeSpan CheckerGrace = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"actorproducer-orders-{Guid.NewGuid():N}.db");
        var options = new LocalBrokerOptions { TransactionChecks = Checks };
        options.Topics.Add(new TopicDefinition(Topic, TopicMessageType.Transaction));
        await using var broker = await Broker.StartAsync(options);
        try
        {
            var store = new OrderStore(databasePath);
            Console.WriteLine("ActorProducer — transactional messages: an order service crashes and a new node recovers");
            Console.WriteLine($"LocalBroker at {broker.Endpoint}, topic '{Topic}' (TRANSACTION); open transactions are checked after " +
                              $"{Checks.FirstCheckAfter.TotalSeconds:0}s, then every {Checks.CheckInterval.TotalSeconds:0}s");
            Console.WriteLine($"orders database: {store.Path}");

            var placed = await PhaseOneAsync(broker, store);
            var nodeB = await PhaseTwoAsync(broker, store, placed);
            try
            {
                return await VerifyAsync(broker, store, placed, nodeB);
            }
            finally
            {
                await nodeB.System.Terminate();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(databasePath);
        }
    }

    private static async Task<IReadOnlyList<PlacedOrder>> PhaseOneAsync(Broker broker, OrderStore store)
    {
        var nodeA = await OrderNode.StartAsync("orders-node-a", broker.Endpoint, Topic, new OrderCreatedChecker(store, CheckerGrace, "node A", Console.WriteLine));
        Console.WriteLine();
        Console.WriteLine($"Phase 1 — node A (client id {nodeA.Producer.ClientId})");
        var service = new OrderService(nodeA.Producer, store, Topic);

        var placed = new List<PlacedOrder>
        {
            await service.PlaceAsync(new Order("order-1001", "ada", 25.00m)),
            await service.PlaceAsync(new Order("order-1002", "grace", 42.50m), CrashPoint.BeforeCommit),
            await service.PlaceAsync(new Order("order-1003", "linus", 9.99m), CrashPoint.BeforeLocalTransaction),
        };
        Console.WriteLine("  order-1001: half message sent, order written, committed");
        Console.WriteLine("  order-1002: half message sent, order written — and node A dies before committing");
        Console.WriteLine("  order-1003: half message sent — and node A dies before writing the order");
        await nodeA.CrashAsync();
        Console.WriteLine("  node A's actor system terminated");

        Console.WriteLine("  LocalBroker now holds:");
        Console.WriteLine($"    visible to consumers: {List(broker.Inspect.Messages(Topic).Select(m => m.Keys[0]))}");
        Console.WriteLine($"    half messages (invisible, waiting for a decision): {List(broker.Inspect.HalfMessages(Topic).Select(m => m.Keys[0]))}");
        Console.WriteLine($"    orders in the database: {List(await store.OrderIdsAsync())}");
        return placed;
    }

    private static async Task<OrderNode> PhaseTwoAsync(Broker broker, OrderStore store, IReadOnlyList<PlacedOrder> placed)
    {
        Console.WriteLine();
        var nodeB = await OrderNode.StartAsync("orders-node-b", broker.Endpoint, Topic, new OrderCreatedChecker(store, CheckerGrace, "node B", Console.WriteLine));
        Console.WriteLine($"Phase 2 — node B (client id {nodeB.Producer.ClientId}) starts with '{Topic}' prebound; the broker's checks reach its checker");
        var open = placed.Where(p => !p.Committed).Select(p => p.HalfMessage.TransactionId).ToHashSet();
        try
        {
            await broker.Inspect.WaitUntilAsync(
                b => b.Transactions().Where(t => open.Contains(t.TransactionId)).All(t => t.State != TransactionState.Pending),
                TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Console.WriteLine("  the open transactions were not resolved within 30 s");
        }
        return nodeB;
    }

    private static async Task<int> VerifyAsync(Broker broker, OrderStore store, IReadOnlyList<PlacedOrder> placed, OrderNode nodeB)
    {
        Console.WriteLine();
        Console.WriteLine("What LocalBroker stored:");
        Console.WriteLine($"  {"order",-11} {"transaction",-33} {"state",-11} {"resolved by",-20} checks");
        var records = broker.Inspect.Transactions().ToDictionary(t => t.TransactionId);
        foreach (var order in placed)
        {
            var record = records[order.HalfMessage.TransactionId!];
            Console.WriteLine($"  {order.Order.Id,-11} {record.TransactionId,-33} {record.State,-11} {record.ResolvedBy?.ToString() ?? "-",-20} {record.ChecksSent}");
        }
        var visible = broker.Inspect.Messages(Topic);
        var inDatabase = await store.OrderIdsAsync();
        Console.WriteLine($"  visible on '{Topic}': {List(visible.Select(m => $"{m.Keys[0]} ({System.Text.Encoding.UTF8.GetString(m.Body.Span)})"))}");
        Console.WriteLine($"  orders in the database: {List(inDatabase)}");

        var problems = new List<string>();
        var visibleIds = visible.Select(m => m.Keys[0]).Order().ToList();
        if (!visibleIds.SequenceEqual(inDatabase))
            problems.Add($"visible messages [{string.Join(", ", visibleIds)}] differ from the orders in the database [{string.Join(", ", inDatabase)}]");
        Expect(problems, records, placed[0], TransactionState.Committed, TransactionSource.SourceClient);
        Expect(problems, records, placed[1], TransactionState.Committed, TransactionSource.SourceServerCheck);
        Expect(problems, records, placed[2], TransactionState.RolledBack, TransactionSource.SourceServerCheck);
        // One decision per transaction: node A's commit of order-1001, node B's two answers to the broker's checks.
        var ends = broker.Inspect.Requests().Where(r => r.Rpc == "EndTransaction").ToList();
        if (ends.Count != 3 || ends.Count(r => r.ClientId == nodeB.Producer.ClientId && r.Code == Code.Ok) != 2)
            problems.Add($"expected 3 EndTransaction calls, 2 of them from node B; got [{string.Join(", ", ends.Select(r => $"{r.ClientId}: {r.Code}"))}]");

        Console.WriteLine();
        if (problems.Count == 0)
        {
            Console.WriteLine("Recovery worked: every order in the database was published exactly once, the order that was never written was not.");
            return 0;
        }
        foreach (var problem in problems) Console.WriteLine($"RECOVERY FAILED: {problem}");
        return 1;
    }

    private static void Expect(List<string> problems, Dictionary<string, TransactionRecord> records, PlacedOrder order,
        TransactionState state, TransactionSource resolvedBy)
    {
        var record = records[order.HalfMessage.TransactionId!];
        if (record.State != state || record.ResolvedBy != resolvedBy)
            problems.Add($"{order.Order.Id} should be {state} by {resolvedBy} but is {record.State} by {record.ResolvedBy?.ToString() ?? "nobody"}");
    }

    private static string List(IEnumerable<string> items)
    {
        var text = string.Join(", ", items);
        return text.Length == 0 ? "(none)" : text;
    }
}
