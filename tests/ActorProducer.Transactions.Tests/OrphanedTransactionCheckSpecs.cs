using System.Collections.Concurrent;
using Akka.Actor;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// Transactions left open (no commit, no rollback) are resolved by the broker's checks through the producer's checker
/// (behavior.md §6.4): COMMIT/ROLLBACK → EndTransaction with SOURCE_SERVER_CHECK; UNKNOWN, an exception or a timeout →
/// nothing is sent and the broker asks again. LocalBroker checks after 300 ms, then every 300 ms.
/// </summary>
public sealed class OrphanedTransactionCheckSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    [Fact]
    public async Task Should_commit_when_the_checker_answers_Commit_and_show_it_what_was_sent()
    {
        var topic = NewTopic();
        var checker = RecordingChecker.Answering(Resolution.Commit);
        await using var producer = await StartProducerAsync([topic], checker);
        var transaction = await producer.BeginTransactionAsync();
        var message = Order(topic, "order-1", "order 1") with { Properties = new Dictionary<string, string> { ["amount"] = "42" } };
        var receipt = await transaction.SendAsync(message);

        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.Equal(receipt.MessageId, Assert.Single(Broker.Inspect.Messages(topic)).MessageId);
        var view = checker.Checks[0];
        Assert.Equal(topic, view.Topic);
        Assert.Equal(receipt.MessageId, view.MessageId);
        Assert.Equal(receipt.TransactionId, view.TransactionId);
        Assert.Equal("order 1", System.Text.Encoding.UTF8.GetString(view.Body.Span));
        Assert.Equal("created", view.Tag);
        Assert.Equal(["order-1"], view.Keys);
        Assert.Equal("42", view.Properties["amount"]);
        var end = Assert.Single(Requests("EndTransaction"));
        Assert.Equal(producer.ClientId, end.ClientId);
        Assert.Equal(Code.Ok, end.Code);
    }

    [Fact]
    public async Task Should_roll_back_when_the_checker_answers_Rollback()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Rollback));
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-2"));

        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.RolledBack, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.Empty(Broker.Inspect.Messages(topic));
        Assert.Empty(Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task Should_send_nothing_on_Unknown_and_commit_when_a_later_check_finds_the_decision()
    {
        var topic = NewTopic();
        var store = new ConcurrentDictionary<string, Resolution>();
        var checker = RecordingChecker.FromStore(store);
        await using var producer = await StartProducerAsync([topic], checker);
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-3"));

        await checker.WhenAsked(2).WaitAsync(Patience);
        Assert.Equal(TransactionState.Pending, RecordOf(receipt.TransactionId).State);
        Assert.Empty(Requests("EndTransaction"));

        store["order-3"] = Resolution.Commit; // the local transaction is now known to have committed
        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.True(record.ChecksSent >= 3, $"ChecksSent = {record.ChecksSent}");
        Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Single(Requests("EndTransaction"));
    }

    [Fact]
    public async Task Should_treat_a_checker_exception_as_Unknown_and_commit_on_a_later_check()
    {
        var topic = NewTopic();
        var checker = new RecordingChecker((_, n, _) => n == 1
            ? throw new InvalidOperationException("database unavailable")
            : Task.FromResult(Resolution.Commit));
        await using var producer = await StartProducerAsync([topic], checker);
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-4"));

        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.True(record.ChecksSent >= 2, $"ChecksSent = {record.ChecksSent}: the first check threw, so only a later one can have committed");
        Assert.Single(Requests("EndTransaction"));
        Assert.Single(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_treat_a_checker_past_the_check_timeout_as_Unknown_even_if_it_ignores_cancellation()
    {
        var topic = NewTopic();
        var firstCheckCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstCheck = new TaskCompletionSource<Resolution>(TaskCreationOptions.RunContinuationsAsynchronously);
        var checker = new RecordingChecker((_, n, cancellation) =>
        {
            if (n > 1) return Task.FromResult(Resolution.Commit);
            cancellation.Register(() => firstCheckCancelled.TrySetResult());
            return releaseFirstCheck.Task; // answers only when the spec says so, whatever the token
        });
        await using var producer = await StartProducerAsync([topic], checker, "transactions.check-timeout = 300ms");
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-5"));

        await firstCheckCancelled.Task.WaitAsync(Patience);
        var record = await WaitUntilResolvedAsync(receipt.TransactionId);
        // The timed-out check now answers Commit, late: that answer must go nowhere (no second EndTransaction).
        releaseFirstCheck.SetResult(Resolution.Commit);
        await checker.WhenAsked(1).WaitAsync(Patience);

        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.True(checker.Count >= 2, $"checks asked: {checker.Count}");
        Assert.Single(Requests("EndTransaction"));
        Assert.Single(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_not_check_a_transaction_again_while_its_check_is_still_running()
    {
        var topic = NewTopic();
        // Each check takes 1 s, the broker asks every 300 ms: rounds 2, 3 and 4 arrive while round 1 is still deciding.
        var checker = new RecordingChecker(async (_, _, cancellation) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            return Resolution.Commit;
        });
        await using var producer = await StartProducerAsync([topic], checker);
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-6a"));

        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.Committed, record.State);
        Assert.True(record.ChecksSent >= 3, $"ChecksSent = {record.ChecksSent}: the spec needs rounds that overlap the first check");
        Assert.Equal(1, checker.Count);
        Assert.Equal(Code.Ok, Assert.Single(Requests("EndTransaction")).Code);
    }

    [Fact]
    public async Task Should_let_the_broker_discard_a_transaction_the_checker_never_decides()
    {
        var topic = NewTopic();
        Broker.Options.TransactionChecks = FastChecks.Policy with { MaxChecks = 3 };
        var checker = RecordingChecker.Answering(Resolution.Unknown);
        await using var producer = await StartProducerAsync([topic], checker);
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-6"));

        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.Discarded, record.State);
        Assert.Equal(3, record.ChecksSent);
        Assert.Equal(3, checker.Count);
        Assert.Empty(Requests("EndTransaction"));
        Assert.Empty(Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Should_resolve_checks_through_a_checker_actor()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic],
            checkerProps: Props.Create(() => new KeyPrefixCheckerActor("commit-", "rollback-")));
        var commit = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "commit-1"));
        var rollback = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "rollback-1"));

        var committed = await WaitUntilResolvedAsync(commit.TransactionId);
        var rolledBack = await WaitUntilResolvedAsync(rollback.TransactionId);

        Assert.Equal((TransactionState.Committed, TransactionSource.SourceServerCheck), (committed.State, committed.ResolvedBy));
        Assert.Equal((TransactionState.RolledBack, TransactionSource.SourceServerCheck), (rolledBack.State, rolledBack.ResolvedBy));
        Assert.Equal(commit.MessageId, Assert.Single(Broker.Inspect.Messages(topic)).MessageId);
    }

    [Fact]
    public async Task Should_treat_a_checker_actor_that_does_not_answer_in_time_as_Unknown()
    {
        var topic = NewTopic();
        var asked = new ConcurrentQueue<string>();
        await using var producer = await StartProducerAsync([topic], hocon: "transactions.check-timeout = 300ms",
            checkerProps: Props.Create(() => new SlowFirstCheckerActor(asked)));
        var receipt = await (await producer.BeginTransactionAsync()).SendAsync(Order(topic, "order-8"));

        var record = await WaitUntilResolvedAsync(receipt.TransactionId);

        Assert.Equal(TransactionState.Committed, record.State);
        Assert.True(asked.Count >= 2, $"the actor was asked {asked.Count} time(s); the first answer never came");
        Assert.Single(Requests("EndTransaction"));
    }

    /// <summary>Commits keys starting with one prefix, rolls back keys with the other, Unknown otherwise.</summary>
    private sealed class KeyPrefixCheckerActor : ReceiveActor
    {
        public KeyPrefixCheckerActor(string commitPrefix, string rollbackPrefix) =>
            Receive<CheckTransaction>(check =>
            {
                var key = check.Message.Keys.FirstOrDefault() ?? "";
                Sender.Tell(key.StartsWith(commitPrefix, StringComparison.Ordinal) ? Resolution.Commit
                    : key.StartsWith(rollbackPrefix, StringComparison.Ordinal) ? Resolution.Rollback
                    : Resolution.Unknown);
            });
    }

    /// <summary>Never answers the first check (a stuck database call); commits every later one.</summary>
    private sealed class SlowFirstCheckerActor : ReceiveActor
    {
        public SlowFirstCheckerActor(ConcurrentQueue<string> asked) =>
            Receive<CheckTransaction>(check =>
            {
                asked.Enqueue(check.Message.TransactionId);
                if (asked.Count > 1) Sender.Tell(Resolution.Commit);
            });
    }
}
