using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using Apache.Rocketmq.V2;

namespace ActorProducer.Conformance.Tests;

/// <summary>The official Node.js producer committing and rolling back its own transactions (SOURCE_CLIENT).</summary>
public sealed class NodeProducerTransactionSpecs(DefaultBrokerFixture fixture) : IClassFixture<DefaultBrokerFixture>
{
    private LocalBroker.LocalBroker Broker => fixture.Broker;

    [Fact]
    public async Task Should_make_a_committed_half_message_visible()
    {
        var topic = fixture.NewTopic(TopicMessageType.Transaction);

        var run = (await fixture.Node.RunAsync("transaction", topic, ["--prebind", "--resolution", "commit", "--body", "committed"]))
            .ShouldHaveSucceeded();

        var messageId = run.Required("messageId").GetValue<string>();
        var transactionId = run.Required("transactionId").GetValue<string>();
        Assert.False(string.IsNullOrEmpty(transactionId), $"the receipt carries the server's transaction id.\n{run.Diagnostics}");
        var record = Assert.Single(Broker.Inspect.Transactions(), t => t.TransactionId == transactionId);
        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceClient, record.ResolvedBy);
        Assert.Equal(messageId, record.MessageId);
        Assert.Equal(topic, record.Topic);

        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(messageId, stored.MessageId);
        Assert.Equal(MessageType.Transaction, stored.MessageType);
        Assert.Equal("committed", System.Text.Encoding.UTF8.GetString(stored.Body.Span));
        Assert.Empty(Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task Should_keep_a_rolled_back_half_message_invisible()
    {
        var topic = fixture.NewTopic(TopicMessageType.Transaction);

        var run = (await fixture.Node.RunAsync("transaction", topic, ["--prebind", "--resolution", "rollback"]))
            .ShouldHaveSucceeded();

        var transactionId = run.Required("transactionId").GetValue<string>();
        var record = Assert.Single(Broker.Inspect.Transactions(), t => t.TransactionId == transactionId);
        Assert.Equal(TransactionState.RolledBack, record.State);
        Assert.Equal(TransactionSource.SourceClient, record.ResolvedBy);
        Assert.Equal(run.Required("messageId").GetValue<string>(), record.MessageId);
        Assert.Empty(Broker.Inspect.Messages(topic));
        Assert.Empty(Broker.Inspect.HalfMessages(topic));
    }
}
