using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// Three simulated brokers, each on its own endpoint: EndTransaction goes to the endpoints of the queue that stored the
/// half message, and a check is answered on the endpoint it arrived from (behavior.md §6.3, §6.4).
/// </summary>
public sealed class MultiBrokerTransactionSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    protected override void ConfigureBroker(LocalBrokerOptions options) => options.BrokerCount = 3;

    [Fact]
    public async Task Should_end_each_transaction_on_the_broker_that_stored_its_half_message()
    {
        var topic = NewTopic();
        Broker.Options.TransactionChecks = FastChecks.Policy with { FirstCheckAfter = TimeSpan.FromSeconds(30) };
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));

        var receipts = new List<Messages.SendResult>();
        for (var i = 0; i < 12; i++)
        {
            var transaction = await producer.BeginTransactionAsync();
            receipts.Add(await transaction.SendAsync(Order(topic, $"order-{i}")));
            if (i % 2 == 0) await transaction.CommitAsync();
            else await transaction.RollbackAsync();
        }

        Assert.True(receipts.Select(r => r.BrokerName).Distinct().Count() > 1, "the half messages should spread over the brokers");
        var ends = Requests("EndTransaction");
        Assert.Equal(receipts.Count, ends.Count);
        Assert.Equal(receipts.Select(r => r.BrokerName), ends.Select(e => e.BrokerName));
        Assert.All(ends, e => Assert.Equal(Code.Ok, e.Code));
        Assert.Equal(6, Broker.Inspect.Messages(topic).Count);
    }

    [Fact]
    public async Task Should_answer_each_check_on_the_broker_it_came_from()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Commit));

        var receipts = new List<Messages.SendResult>();
        for (var i = 0; i < 9; i++)
            receipts.Add(await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, $"order-{i}")));
        await Broker.Inspect.WaitUntilAsync(b => b.Transactions().All(t => t.State != TransactionState.Pending), Patience);

        Assert.All(Broker.Inspect.Transactions(), t => Assert.Equal((TransactionState.Committed, TransactionSource.SourceServerCheck), (t.State, t.ResolvedBy!.Value)));
        var ends = Requests("EndTransaction");
        Assert.Equal(receipts.Count, ends.Count);
        Assert.Equal(receipts.Select(r => r.BrokerName).Order(), ends.Select(e => e.BrokerName).Order());
        Assert.Equal(receipts.Count, Broker.Inspect.Messages(topic).Count);
    }
}
