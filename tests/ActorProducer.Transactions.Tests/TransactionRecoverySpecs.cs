using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// The reason transactional messages exist: a node dies between its local transaction and the commit, and the
/// message still ends up right. Node A sends the half message and "crashes" (its actor system terminates, which runs
/// the producer's graceful shutdown — and that must decide nothing). Node B, a new actor system with the same
/// prebound topic, receives the broker's check and its checker decides from the durable store A wrote.
/// </summary>
public sealed class TransactionRecoverySpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    private readonly FileOutcomeStore _store = FileOutcomeStore.InTempFile();

    [Fact]
    public async Task Should_commit_exactly_once_from_a_new_actor_system_when_the_store_says_the_order_was_written()
    {
        var topic = NewTopic();
        // Node A's database connection is already gone when the broker asks it: its checker can only say Unknown,
        // so a commit can only come from node B.
        var nodeA = await ProducerNode.StartAsync("node-a", Broker, [topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await nodeA.Producer.BeginTransactionAsync();
        var receipt = await transaction.SendAsync(Order(topic, "order-42", "order 42 created"));
        _store.Record("order-42", Resolution.Commit); // the local transaction committed...
        var clientA = nodeA.Producer.ClientId;
        await nodeA.TerminateAsync();                 // ...and the node died before transaction.CommitAsync()

        Assert.Equal(TransactionState.Pending, RecordOf(receipt.TransactionId).State);
        Assert.Empty(Requests("EndTransaction"));
        Assert.Single(Requests("NotifyClientTermination", clientA)); // it did shut down gracefully
        Assert.Empty(Broker.Inspect.Messages(topic));

        var checkerB = _store.Checker();
        await using var nodeB = await ProducerNode.StartAsync("node-b", Broker, [topic], checkerB);
        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(receipt.MessageId, stored.MessageId);
        Assert.Equal("order 42 created", System.Text.Encoding.UTF8.GetString(stored.Body.Span));
        var end = Assert.Single(Requests("EndTransaction"));
        Assert.Equal(nodeB.Producer.ClientId, end.ClientId);
        Assert.Equal(Code.Ok, end.Code);
        var view = checkerB.Checks[0];
        Assert.Equal((receipt.MessageId, receipt.TransactionId, "order-42"), (view.MessageId, view.TransactionId, view.Keys[0]));
        Assert.Empty(Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task Should_roll_back_from_a_new_actor_system_when_the_node_died_before_its_local_transaction()
    {
        var topic = NewTopic();
        var nodeA = await ProducerNode.StartAsync("node-a", Broker, [topic], RecordingChecker.Answering(Resolution.Unknown));
        var receipt = await (await nodeA.Producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-43"));
        await nodeA.TerminateAsync(); // died before writing the order: the store knows nothing of order-43

        // Node B's checker: an order that is not in the database was never created.
        await using var nodeB = await ProducerNode.StartAsync("node-b", Broker, [topic], _store.Checker(whenMissing: Resolution.Rollback));
        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.RolledBack, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.Equal(nodeB.Producer.ClientId, Assert.Single(Requests("EndTransaction")).ClientId);
        Assert.Empty(Broker.Inspect.Messages(topic));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _store.Delete();
    }
}
