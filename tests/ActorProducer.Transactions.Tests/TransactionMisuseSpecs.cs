using Akka.Actor;
using ActorProducer.Errors;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Messages;
using ActorProducer.Transactions.Tests.Infrastructure;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// A handle is good for one message and one decision (behavior.md §6.1). Misuse gets a clear, local error — and
/// nothing extra reaches the broker.
/// </summary>
public sealed class TransactionMisuseSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    protected override LocalBroker.TransactionCheckPolicy CheckPolicy => FastChecks.Policy with { FirstCheckAfter = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Should_refuse_a_second_message_in_one_transaction()
    {
        var topic = NewTopic();
        var producer = (await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown))).Actor;
        producer.Tell(new BeginTransaction());
        var handle = (await ExpectMsgAsync<TransactionBegun>(Patience)).Handle;
        producer.Tell(new SendInTransaction(handle, Order(topic, "order-1"), "first"));
        await ExpectMsgAsync<SendResult>(Patience);

        producer.Tell(new SendInTransaction(handle, Order(topic, "order-1b"), "second"));

        var refused = await ExpectMsgAsync<SendFailed>(Patience);
        Assert.Equal("second", refused.Correlation);
        Assert.Equal(ProducerErrorKind.InvalidMessage, refused.Error.Kind);
        Assert.Equal("Handle", refused.Error.Field);
        Assert.Contains("already has its message", refused.Error.Message);
        Assert.Contains("exactly one", refused.Error.Message);
        Assert.Equal(0, refused.Attempts);
        Assert.Single(Requests("SendMessage"));
        Assert.Single(Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task Should_refuse_a_second_message_while_the_first_is_still_being_sent()
    {
        var topic = NewTopic();
        var producer = (await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown))).Actor;
        producer.Tell(new BeginTransaction());
        var handle = (await ExpectMsgAsync<TransactionBegun>(Patience)).Handle;

        // Both Tells are queued before the first reply: the second must not slip through while the first is in flight.
        producer.Tell(new SendInTransaction(handle, Order(topic, "order-2"), "first"));
        producer.Tell(new SendInTransaction(handle, Order(topic, "order-2b"), "second"));

        var replies = new[] { await ExpectMsgAsync<SendOutcome>(Patience), await ExpectMsgAsync<SendOutcome>(Patience) };
        Assert.IsType<SendResult>(Assert.Single(replies, r => Equals(r.Correlation, "first")));
        var refused = Assert.IsType<SendFailed>(Assert.Single(replies, r => Equals(r.Correlation, "second")));
        Assert.Equal(ProducerErrorKind.InvalidMessage, refused.Error.Kind);
        Assert.Single(Requests("SendMessage"));
    }

    [Fact]
    public async Task Should_refuse_a_second_commit_without_calling_the_broker_again()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();
        var receipt = await transaction.SendAsync(Order(topic, "order-3"));
        await transaction.CommitAsync();

        var again = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.CommitAsync());
        var rollback = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.RollbackAsync());

        Assert.Equal(ProducerErrorKind.InvalidMessage, again.Error.Kind);
        Assert.Contains("already committed", again.Error.Message);
        Assert.Contains("already committed", rollback.Error.Message);
        Assert.Single(Requests("EndTransaction"));
        Assert.Equal(TransactionState.Committed, RecordOf(receipt.TransactionId).State);
        Assert.Single(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_refuse_a_second_rollback_without_calling_the_broker_again()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();
        await transaction.SendAsync(Order(topic, "order-4"));
        await transaction.RollbackAsync();

        var again = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.RollbackAsync());

        Assert.Contains("already rolled back", again.Error.Message);
        Assert.Single(Requests("EndTransaction"));
    }

    [Fact]
    public async Task Should_refuse_to_commit_or_roll_back_before_the_half_message_is_sent()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();

        var commit = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.CommitAsync());
        var rollback = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.RollbackAsync());

        Assert.Equal(ProducerErrorKind.InvalidMessage, commit.Error.Kind);
        Assert.Contains("no half message", commit.Error.Message);
        Assert.Contains("before committing", commit.Error.Message);
        Assert.Contains("before rolling back", rollback.Error.Message);
        Assert.Empty(Requests("EndTransaction"));

        // The refusal does not spoil the transaction: it can still send and commit.
        var receipt = await transaction.SendAsync(Order(topic, "order-5"));
        await transaction.CommitAsync();
        Assert.Equal(TransactionState.Committed, RecordOf(receipt.TransactionId).State);
    }

    [Fact]
    public async Task Should_refuse_Unknown_as_the_callers_decision()
    {
        var topic = NewTopic();
        var producer = (await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown))).Actor;
        producer.Tell(new BeginTransaction());
        var handle = (await ExpectMsgAsync<TransactionBegun>(Patience)).Handle;
        producer.Tell(new SendInTransaction(handle, Order(topic, "order-6")));
        await ExpectMsgAsync<SendResult>(Patience);

        producer.Tell(new EndTransaction(handle, Resolution.Unknown, "end"));

        var failed = await ExpectMsgAsync<TransactionFailed>(Patience);
        Assert.Equal(handle, failed.Handle);
        Assert.Equal("end", failed.Correlation);
        Assert.Contains("Commit or Rollback", failed.Error.Message);
        Assert.Empty(Requests("EndTransaction"));
    }

    [Fact]
    public async Task Should_refuse_a_handle_this_producer_never_issued()
    {
        var topic = NewTopic();
        var producer = (await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown))).Actor;
        var stranger = new TransactionHandle(Guid.NewGuid());

        producer.Tell(new SendInTransaction(stranger, Order(topic, "order-7"), "send"));
        var refusedSend = await ExpectMsgAsync<SendFailed>(Patience);
        producer.Tell(new EndTransaction(stranger, Resolution.Commit, "end"));
        var refusedEnd = await ExpectMsgAsync<TransactionFailed>(Patience);

        Assert.Equal(ProducerErrorKind.InvalidMessage, refusedSend.Error.Kind);
        Assert.Contains("does not know it", refusedSend.Error.Message);
        Assert.Contains("does not know it", refusedEnd.Error.Message);
        Assert.Empty(Requests("SendMessage"));
        Assert.Empty(Requests("EndTransaction"));
    }

    [Fact]
    public async Task Should_answer_ShuttingDown_to_every_transaction_step_once_the_producer_has_stopped()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var open = await producer.BeginTransactionAsync();
        var sent = await producer.BeginTransactionAsync();
        var receipt = await sent.SendAsync(Order(topic, "order-8"));

        await producer.DisposeAsync();

        var begin = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.BeginTransactionAsync());
        var send = await Assert.ThrowsAsync<RocketMqProducerException>(() => open.SendAsync(Order(topic, "order-8b")));
        var commit = await Assert.ThrowsAsync<RocketMqProducerException>(() => sent.CommitAsync());
        Assert.All([begin, send, commit], e => Assert.Equal(ProducerErrorKind.ShuttingDown, e.Error.Kind));
        // Shutting down decided nothing: the half message waits for a checker of a running producer.
        Assert.Empty(Requests("EndTransaction"));
        Assert.Single(Requests("SendMessage"));
        Assert.Equal(TransactionState.Pending, RecordOf(receipt.TransactionId).State);
    }

    [Fact]
    public async Task Should_refuse_with_ShuttingDown_a_commit_that_arrives_while_the_producer_shuts_down()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();
        await transaction.SendAsync(Order(topic, "order-9"));

        // The shutdown request is queued first, the commit right behind it: the producer is draining when it arrives.
        var stopped = producer.DisposeAsync();
        producer.Actor.Tell(new EndTransaction(transaction.Handle, Resolution.Commit, "late"));
        await stopped;

        var reply = await ExpectMsgAsync<TransactionFailed>(Patience);
        Assert.Equal(ProducerErrorKind.ShuttingDown, reply.Error.Kind);
        Assert.Equal("late", reply.Correlation);
        Assert.Empty(Requests("EndTransaction"));
    }
}
