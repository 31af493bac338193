using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using Apache.Rocketmq.V2;

namespace ActorProducer.Conformance.Tests;

/// <summary>
/// An orphaned transaction resolved through the Node client's checker: LocalBroker checks the pending half message
/// on the producer's telemetry stream and the client answers with EndTransaction (SOURCE_SERVER_CHECK).
/// </summary>
public sealed class NodeProducerOrphanedTransactionSpecs(FastTransactionCheckBrokerFixture fixture)
    : IClassFixture<FastTransactionCheckBrokerFixture>
{
    private LocalBroker.LocalBroker Broker => fixture.Broker;

    [Fact]
    public async Task Should_commit_an_orphaned_half_message_when_the_checker_answers_COMMIT()
    {
        var topic = fixture.NewTopic(TopicMessageType.Transaction);

        // The script never commits; it stays connected until its checker has been asked and its answer is through.
        // --prebind registers the producer for the topic (Settings.publishing.topics), which is whom the broker asks.
        var run = (await fixture.Node.RunAsync("orphaned-transaction", topic,
            ["--prebind", "--answer", "COMMIT", "--body", "orphan", "--tag", "TagO", "--keys", "order-42"]))
            .ShouldHaveSucceeded();

        var messageId = run.Required("messageId").GetValue<string>();
        var transactionId = run.Required("transactionId").GetValue<string>();
        var check = run.Required("checks").AsArray()[0]!;
        Assert.Equal(messageId, check["messageId"]!.GetValue<string>());
        Assert.Equal(topic, check["topic"]!.GetValue<string>());
        Assert.Equal("orphan", check["body"]!.GetValue<string>());
        Assert.Equal("TagO", check["tag"]!.GetValue<string>());
        Assert.Equal("order-42", check["keys"]![0]!.GetValue<string>());

        // The client's EndTransaction returned OK before the process exited; the record reflects it.
        await Broker.Inspect.WaitUntilAsync(
            b => b.Transactions().Any(t => t.TransactionId == transactionId && t.State != TransactionState.Pending),
            TimeSpan.FromSeconds(5));
        var record = Assert.Single(Broker.Inspect.Transactions(), t => t.TransactionId == transactionId);
        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.True(record.ChecksSent >= 1, $"ChecksSent = {record.ChecksSent}");
        Assert.Equal(messageId, record.MessageId);

        var visible = Broker.Inspect.Messages(topic).Where(m => m.MessageId == messageId).ToList();
        Assert.Single(visible);
        Assert.Equal("orphan", System.Text.Encoding.UTF8.GetString(visible[0].Body.Span));
        Assert.Empty(Broker.Inspect.HalfMessages(topic));
    }
}
