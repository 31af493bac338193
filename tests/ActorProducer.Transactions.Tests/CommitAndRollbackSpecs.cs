using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Messages;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// The caller's own flow (behavior.md §6.1–6.3): begin → half message → local transaction → commit or roll back,
/// through the Task facade and through the actor protocol, against LocalBroker over gRPC.
/// </summary>
public sealed class CommitAndRollbackSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    // The broker would otherwise check these transactions while the spec is still deciding.
    protected override LocalBroker.TransactionCheckPolicy CheckPolicy => FastChecks.Policy with { FirstCheckAfter = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Should_keep_the_half_message_invisible_until_committed_then_store_it_once()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var message = Order(topic, "order-1", "order 1 created") with { Properties = new Dictionary<string, string> { ["amount"] = "42" } };

        var transaction = await producer.BeginTransactionAsync();
        var receipt = await transaction.SendAsync(message);

        Assert.False(string.IsNullOrEmpty(receipt.TransactionId), "the receipt of a half message carries the server's transaction id");
        Assert.Equal(topic, receipt.Topic);
        var half = Assert.Single(Broker.Inspect.HalfMessages(topic));
        Assert.Equal(receipt.MessageId, half.MessageId);
        Assert.Empty(Broker.Inspect.Messages(topic));
        Assert.Equal(TransactionState.Pending, RecordOf(receipt.TransactionId).State);

        await transaction.CommitAsync();

        var record = RecordOf(receipt.TransactionId);
        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceClient, record.ResolvedBy);
        Assert.Equal(receipt.MessageId, record.MessageId);
        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(receipt.MessageId, stored.MessageId);
        Assert.Equal(MessageType.Transaction, stored.MessageType);
        Assert.Equal("order 1 created", System.Text.Encoding.UTF8.GetString(stored.Body.Span));
        Assert.Equal(["order-1"], stored.Keys);
        Assert.Equal("created", stored.Tag);
        Assert.Equal("42", stored.UserProperties["amount"]);
        Assert.Equal(producer.ClientId, stored.ProducerClientId);
        Assert.Empty(Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task Should_discard_the_half_message_when_rolled_back()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));

        var transaction = await producer.BeginTransactionAsync();
        var receipt = await transaction.SendAsync(Order(topic, "order-2"));
        await transaction.RollbackAsync();

        var record = RecordOf(receipt.TransactionId);
        Assert.Equal(TransactionState.RolledBack, record.State);
        Assert.Equal(TransactionSource.SourceClient, record.ResolvedBy);
        Assert.Empty(Broker.Inspect.Messages(topic));
        Assert.Empty(Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task Should_commit_through_the_actor_protocol_with_the_callers_correlation_on_every_reply()
    {
        var topic = NewTopic();
        var producer = (await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown))).Actor;
        var caller = CreateTestProbe();

        producer.Tell(new BeginTransaction(Correlation: "begin-7"), caller);
        var begun = await caller.ExpectMsgAsync<TransactionBegun>(Patience);
        Assert.Equal("begin-7", begun.Correlation);

        producer.Tell(new SendInTransaction(begun.Handle, Order(topic, "order-7"), Correlation: "send-7"), caller);
        var sent = await caller.ExpectMsgAsync<SendResult>(Patience);
        Assert.Equal("send-7", sent.Correlation);
        Assert.NotNull(sent.TransactionId);

        producer.Tell(new EndTransaction(begun.Handle, Resolution.Commit, Correlation: "end-7"), caller);
        var ended = await caller.ExpectMsgAsync<TransactionEnded>(Patience);
        Assert.Equal(new TransactionEnded(begun.Handle, Resolution.Commit, sent.TransactionId!, "end-7"), ended);
        await caller.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));

        Assert.Equal(TransactionState.Committed, RecordOf(sent.TransactionId).State);
        Assert.Equal(sent.MessageId, Assert.Single(Broker.Inspect.Messages(topic)).MessageId);
    }

    [Fact]
    public async Task Should_roll_back_through_the_actor_protocol()
    {
        var topic = NewTopic();
        var producer = (await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown))).Actor;

        producer.Tell(new BeginTransaction());
        var handle = (await ExpectMsgAsync<TransactionBegun>(Patience)).Handle;
        producer.Tell(new SendInTransaction(handle, Order(topic, "order-8")));
        var sent = await ExpectMsgAsync<SendResult>(Patience);
        producer.Tell(new EndTransaction(handle, Resolution.Rollback));

        Assert.Equal(Resolution.Rollback, (await ExpectMsgAsync<TransactionEnded>(Patience)).Resolution);
        Assert.Equal(TransactionState.RolledBack, RecordOf(sent.TransactionId).State);
        Assert.Empty(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_not_retry_a_failed_half_message_and_keep_the_transaction_open_for_another_try()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();
        Broker.Faults.FailNext(BrokerRpc.SendMessage, 1, Code.InternalServerError, "injected");

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.SendAsync(Order(topic, "order-9")));

        // A retry would open a second transaction on the broker: a half message gets one attempt (§5.6).
        Assert.Equal(ProducerErrorKind.ServerRejected, failure.Error.Kind);
        Assert.Equal(Code.InternalServerError, failure.Error.StatusCode);
        Assert.Single(Requests("SendMessage"));
        Assert.Empty(Broker.Inspect.Transactions());

        var receipt = await transaction.SendAsync(Order(topic, "order-9"));
        await transaction.CommitAsync();
        Assert.Equal(TransactionState.Committed, RecordOf(receipt.TransactionId).State);
        Assert.Single(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_fail_the_commit_as_not_retryable_and_say_a_checker_decides_when_the_proxy_no_longer_knows_the_transaction()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();
        var receipt = await transaction.SendAsync(Order(topic, "order-10"));
        // A restarted proxy forgets its transaction data (behavior.md §6.3 step 4): EndTransaction answers 50001.
        await Broker.RestartAsync();
        // Commit once the producer is connected again (right after a restart the channel may still refuse calls).
        await Broker.Inspect.WaitUntilAsync(b => b.Clients().Any(c => c.ClientId == producer.ClientId && c.HasTelemetryStream), Patience);

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.CommitAsync());

        Assert.Equal(Code.InternalServerError, failure.Error.StatusCode);
        Assert.Contains("cannot found transaction data", failure.Error.Message);
        // What the caller can act on: it was the commit that failed, trying again cannot help, a checker will decide.
        Assert.Contains($"commit transaction {receipt.TransactionId}", failure.Error.Message);
        Assert.DoesNotContain("rejected the send", failure.Error.Message);
        Assert.Contains("checker", failure.Error.Message);
        Assert.False(failure.Error.IsRetryable, failure.Error.Message);
        Assert.Equal(TransactionState.Pending, RecordOf(receipt.TransactionId).State);
        Assert.Empty(Broker.Inspect.Messages(topic));
    }
}
