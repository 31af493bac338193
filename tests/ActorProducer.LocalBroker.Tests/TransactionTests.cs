using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Half messages and EndTransaction (behavior.md §6.2, §6.3, §7.4), with the broker's default check schedule.</summary>
public sealed class TransactionTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    [Fact]
    public async Task Half_message_gets_a_transaction_id_and_stays_invisible_while_pending()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var message = TestMessage.To(topic).AsTransaction();

        var entry = RocketMqAssert.Accepted(await client.SendAsync(message));

        Assert.NotEmpty(entry.TransactionId);
        Assert.Equal(message.MessageId, entry.MessageId);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
        var half = Assert.Single(fixture.Broker.Inspect.HalfMessages(topic));
        Assert.Equal(entry.TransactionId, half.TransactionId);
        var record = Transaction(entry.TransactionId);
        Assert.Equal(TransactionState.Pending, record.State);
        Assert.Equal(topic, record.Topic);
        Assert.Equal(message.MessageId, record.MessageId);
    }

    [Fact]
    public async Task Two_half_messages_get_different_transaction_ids()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var first = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));
        var second = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));

        Assert.NotEqual(first.TransactionId, second.TransactionId);
    }

    [Fact]
    public async Task EndTransaction_COMMIT_makes_the_message_visible()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var message = TestMessage.To(topic).AsTransaction();
        var entry = RocketMqAssert.Accepted(await client.SendAsync(message));

        var response = await client.EndTransactionAsync(topic, entry.MessageId, entry.TransactionId, TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(message.MessageId, Assert.Single(fixture.Broker.Inspect.Messages(topic)).MessageId);
        Assert.Empty(fixture.Broker.Inspect.HalfMessages(topic));
        var record = Transaction(entry.TransactionId);
        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceClient, record.ResolvedBy);
    }

    [Fact]
    public async Task EndTransaction_ROLLBACK_discards_the_message()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));

        var response = await client.EndTransactionAsync(topic, entry.MessageId, entry.TransactionId, TransactionResolution.Rollback);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
        Assert.Empty(fixture.Broker.Inspect.HalfMessages(topic));
        Assert.Equal(TransactionState.RolledBack, Transaction(entry.TransactionId).State);
    }

    [Fact]
    public async Task EndTransaction_from_a_CSharp_client_with_unspecified_source_still_commits()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));

        var response = await client.EndTransactionAsync(
            topic, entry.MessageId, entry.TransactionId, TransactionResolution.Commit, TransactionSource.SourceUnspecified);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Single(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task EndTransaction_twice_answers_INTERNAL_SERVER_ERROR_the_second_time_and_keeps_the_first_decision()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));
        await client.EndTransactionAsync(topic, entry.MessageId, entry.TransactionId, TransactionResolution.Commit);

        var again = await client.EndTransactionAsync(topic, entry.MessageId, entry.TransactionId, TransactionResolution.Rollback);

        RocketMqAssert.HasCode(Code.InternalServerError, again.Status);
        Assert.Equal(TransactionState.Committed, Transaction(entry.TransactionId).State);
        Assert.Single(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task EndTransaction_for_unknown_transaction_id_answers_INTERNAL_SERVER_ERROR()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var response = await client.EndTransactionAsync(topic, MessageIds.New(), "no-such-transaction", TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.InternalServerError, response.Status);
    }

    [Fact]
    public async Task EndTransaction_on_another_topic_answers_INTERNAL_SERVER_ERROR_and_leaves_the_transaction_pending()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var other = fixture.CreateTopic(TopicMessageType.Transaction);
        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));

        var wrong = await client.EndTransactionAsync(other, entry.MessageId, entry.TransactionId, TransactionResolution.Commit);
        var right = await client.EndTransactionAsync(topic, entry.MessageId, entry.TransactionId, TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.InternalServerError, wrong.Status);
        RocketMqAssert.HasCode(Code.Ok, right.Status);
    }

    [Fact]
    public async Task EndTransaction_does_not_validate_the_message_id()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));

        var response = await client.EndTransactionAsync(topic, MessageIds.New(), entry.TransactionId, TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(TransactionState.Committed, Transaction(entry.TransactionId).State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task EndTransaction_with_blank_transaction_id_answers_INVALID_TRANSACTION_ID(string transactionId)
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var response = await client.EndTransactionAsync(topic, MessageIds.New(), transactionId, TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.InvalidTransactionId, response.Status);
    }

    [Theory]
    [InlineData("RMQ_SYS_TRANS_HALF_TOPIC")]
    [InlineData("bad topic")]
    [InlineData("")]
    public async Task EndTransaction_with_illegal_topic_answers_ILLEGAL_TOPIC_before_checking_the_transaction_id(string topic)
    {
        var response = await client.EndTransactionAsync(topic, MessageIds.New(), "", TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.IllegalTopic, response.Status);
    }

    [Fact]
    public async Task Normal_message_gets_no_transaction_id()
    {
        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fixture.CreateTopic())));

        Assert.Empty(entry.TransactionId);
    }

    [Fact]
    public async Task Transactions_lists_transactions_in_send_order()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var first = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));
        var second = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction()));

        Assert.Equal(
            [first.TransactionId, second.TransactionId],
            fixture.Broker.Inspect.Transactions().Where(t => t.Topic == topic).Select(t => t.TransactionId));
    }

    private TransactionRecord Transaction(string transactionId)
        => Assert.Single(fixture.Broker.Inspect.Transactions(), t => t.TransactionId == transactionId);
}
