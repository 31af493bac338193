using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// The official RocketMQ Node.js producer (rocketmq-client-nodejs, run by the conformance suite's scenario runner)
/// and ActorProducer on one LocalBroker and one TRANSACTION topic: with gRPC the producer group is the topic, so
/// either client's checker may be asked about the other's transactions (behavior.md §6.5, §9 #14) and must resolve
/// them from shared state.
/// </summary>
public sealed class NodeInteropTransactionSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    private NodeScenarioRunner? _node;

    private NodeScenarioRunner Node => _node ?? throw new InvalidOperationException("initialised in InitializeAsync");

    public override async Task InitializeAsync()
    {
        var nodeDirectory = await NodeToolchain.EnsureInstalledAsync();
        await base.InitializeAsync();
        _node = new NodeScenarioRunner(nodeDirectory, Broker.Endpoint);
    }

    [Fact]
    public async Task Should_resolve_with_our_checker_a_transaction_the_Node_client_began_and_abandoned()
    {
        var topic = NewTopic();
        var checker = RecordingChecker.FromStore(new Dictionary<string, Resolution> { ["node-order-1"] = Resolution.Commit });
        await using var producer = await StartProducerAsync([topic], checker);

        // The Node producer sends its half message and shuts down without deciding (its checker says UNKNOWN meanwhile).
        var run = (await Node.RunAsync("abandoned-transaction", topic,
            ["--prebind", "--keys", "node-order-1", "--tag", "created", "--body", "from node"])).ShouldHaveSucceeded();
        var messageId = run.Required("messageId").GetValue<string>();
        var transactionId = run.Required("transactionId").GetValue<string>();

        var record = await WaitUntilResolvedAsync(transactionId);

        Assert.True(record.State == TransactionState.Committed, $"{record}\n{run.Diagnostics}");
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        var end = Assert.Single(Requests("EndTransaction"));
        Assert.Equal(producer.ClientId, end.ClientId);
        var view = Assert.Single(checker.Checks, c => c.TransactionId == transactionId);
        Assert.Equal((messageId, topic, "created"), (view.MessageId, view.Topic, view.Tag));
        Assert.Equal("from node", System.Text.Encoding.UTF8.GetString(view.Body.Span));
        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(messageId, stored.MessageId);
        Assert.Equal(run.ClientId, stored.ProducerClientId);
    }

    [Fact]
    public async Task Should_let_the_Node_clients_checker_resolve_a_transaction_our_producer_began_and_abandoned()
    {
        var topic = NewTopic();
        var ours = await ProducerNode.StartAsync("ours", Broker, [topic], RecordingChecker.Answering(Resolution.Unknown));
        var receipt = await (await ours.Producer.BeginTransactionAsync()).SendAsync(Order(topic, "dotnet-order-1", "from dotnet"));
        await ours.TerminateAsync(); // crashed before deciding

        var run = (await Node.RunAsync("transaction-checker", topic, ["--prebind", "--answer", "COMMIT", "--count", "1"]))
            .ShouldHaveSucceeded();

        var record = await WaitUntilResolvedAsync(receipt.TransactionId);
        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.Equal(run.ClientId, Assert.Single(Requests("EndTransaction")).ClientId);
        var check = run.Required("checks").AsArray()[0]!;
        Assert.Equal(receipt.MessageId, check["messageId"]!.GetValue<string>());
        Assert.Equal("from dotnet", check["body"]!.GetValue<string>());
        Assert.Equal("created", check["tag"]!.GetValue<string>());
        Assert.Equal("dotnet-order-1", check["keys"]!.AsArray()[0]!.GetValue<string>());
        Assert.Equal(receipt.MessageId, Assert.Single(Broker.Inspect.Messages(topic)).MessageId);
    }

    [Fact]
    public async Task Should_let_both_clients_commit_and_roll_back_their_own_transactions_side_by_side()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var ourCommit = await producer.BeginTransactionAsync();
        var ourReceipt = await ourCommit.SendAsync(Order(topic, "dotnet-order-2"));

        var nodeCommit = (await Node.RunAsync("transaction", topic, ["--prebind", "--resolution", "commit"])).ShouldHaveSucceeded();
        var nodeRollback = (await Node.RunAsync("transaction", topic, ["--prebind", "--resolution", "rollback"])).ShouldHaveSucceeded();
        await ourCommit.CommitAsync();

        var states = Broker.Inspect.Transactions().ToDictionary(t => t.TransactionId, t => (t.State, t.ResolvedBy));
        Assert.Equal((TransactionState.Committed, TransactionSource.SourceClient), states[ourReceipt.TransactionId!]);
        Assert.Equal((TransactionState.Committed, TransactionSource.SourceClient), states[nodeCommit.Required("transactionId").GetValue<string>()]);
        Assert.Equal((TransactionState.RolledBack, TransactionSource.SourceClient), states[nodeRollback.Required("transactionId").GetValue<string>()]);
        Assert.Equal(
            new[] { ourReceipt.MessageId, nodeCommit.Required("messageId").GetValue<string>() }.Order(),
            Broker.Inspect.Messages(topic).Select(m => m.MessageId).Order());
    }
}
