using System.Diagnostics;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>
/// Orphaned-transaction checks pushed over telemetry (behavior.md §6.4, §6.5), on a broker that checks after
/// 200 ms, every 200 ms, at most <see cref="FastTransactionChecksFixture.MaxChecks"/> times.
/// </summary>
public sealed class OrphanedTransactionCheckTests(FastTransactionChecksFixture fixture) : IClassFixture<FastTransactionChecksFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Orphaned_half_message_is_checked_on_the_telemetry_stream_of_a_producer_of_its_topic()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using var session = await producer.ConnectProducerAsync(topic);
        var message = TestMessage.To(topic).AsTransaction().WithTag("TagT").WithKeys("k1").WithProperty("order", "42").WithBody("payload");

        var entry = RocketMqAssert.Accepted(await producer.SendAsync(message));
        var check = (await session.ReadUntilAsync(IsCheck, Patience)).RecoverOrphanedTransactionCommand;

        Assert.Equal(entry.TransactionId, check.TransactionId);
        Assert.Equal(topic, check.Message.Topic.Name);
        Assert.Equal(message.MessageId, check.Message.SystemProperties.MessageId);
        Assert.Equal("payload", check.Message.Body.ToStringUtf8());
        Assert.Equal("TagT", check.Message.SystemProperties.Tag);
        Assert.Equal(["k1"], check.Message.SystemProperties.Keys);
        Assert.Equal("42", check.Message.UserProperties["order"]);
    }

    [Fact]
    public async Task Check_answered_with_COMMIT_from_SOURCE_SERVER_CHECK_commits_the_message()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using var session = await producer.ConnectProducerAsync(topic);
        var entry = RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction()));
        var check = (await session.ReadUntilAsync(IsCheck, Patience)).RecoverOrphanedTransactionCommand;

        var response = await producer.EndTransactionAsync(
            check.Message.Topic.Name,
            check.Message.SystemProperties.MessageId,
            check.TransactionId,
            TransactionResolution.Commit,
            TransactionSource.SourceServerCheck);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        var record = Assert.Single(fixture.Broker.Inspect.Transactions(), t => t.TransactionId == entry.TransactionId);
        Assert.Equal(TransactionState.Committed, record.State);
        Assert.Equal(TransactionSource.SourceServerCheck, record.ResolvedBy);
        Assert.True(record.ChecksSent >= 1);
        Assert.Equal(entry.MessageId, Assert.Single(fixture.Broker.Inspect.Messages(topic)).MessageId);
    }

    [Fact]
    public async Task Check_answered_with_ROLLBACK_discards_the_message()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using var session = await producer.ConnectProducerAsync(topic);
        var entry = RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction()));
        var check = (await session.ReadUntilAsync(IsCheck, Patience)).RecoverOrphanedTransactionCommand;

        var response = await producer.EndTransactionAsync(
            topic, check.Message.SystemProperties.MessageId, check.TransactionId, TransactionResolution.Rollback, TransactionSource.SourceServerCheck);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(TransactionState.RolledBack, Assert.Single(fixture.Broker.Inspect.Transactions(), t => t.TransactionId == entry.TransactionId).State);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Unanswered_check_is_repeated_up_to_MaxChecks_then_the_half_message_is_discarded()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using var session = await producer.ConnectProducerAsync(topic);
        var entry = RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction()));

        for (var i = 0; i < FastTransactionChecksFixture.MaxChecks; i++)
        {
            var check = await session.ReadUntilAsync(IsCheck, Patience);
            Assert.Equal(entry.TransactionId, check.RecoverOrphanedTransactionCommand.TransactionId);
        }

        await fixture.Broker.Inspect.WaitUntilAsync(
            b => b.Transactions().Single(t => t.TransactionId == entry.TransactionId).State == TransactionState.Discarded,
            Patience);
        var record = fixture.Broker.Inspect.Transactions().Single(t => t.TransactionId == entry.TransactionId);
        Assert.Equal(FastTransactionChecksFixture.MaxChecks, record.ChecksSent);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
        Assert.Empty(fixture.Broker.Inspect.HalfMessages(topic));
        Assert.Null(await session.TryReadAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task With_no_producer_online_check_rounds_are_still_counted_until_the_half_message_is_discarded()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var sender = fixture.NewClient();
        var entry = RocketMqAssert.Accepted(await sender.SendAsync(TestMessage.To(topic).AsTransaction()));

        await fixture.Broker.Inspect.WaitUntilAsync(
            b => b.Transactions().Single(t => t.TransactionId == entry.TransactionId).State == TransactionState.Discarded,
            Patience);

        var record = fixture.Broker.Inspect.Transactions().Single(t => t.TransactionId == entry.TransactionId);
        Assert.Equal(FastTransactionChecksFixture.MaxChecks, record.ChecksSent);
        Assert.Null(record.ResolvedBy);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task Check_goes_only_to_a_producer_registered_for_the_topic()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var unrelated = fixture.NewClient();
        await using var unrelatedSession = await unrelated.ConnectProducerAsync(fixture.CreateTopic(TopicMessageType.Transaction));
        var registered = fixture.NewClient();
        await using var registeredSession = await registered.ConnectProducerAsync(topic);
        var sender = fixture.NewClient();

        var entry = RocketMqAssert.Accepted(await sender.SendAsync(TestMessage.To(topic).AsTransaction()));
        var check = await registeredSession.ReadUntilAsync(IsCheck, Patience);

        Assert.Equal(entry.TransactionId, check.RecoverOrphanedTransactionCommand.TransactionId);
        Assert.Null(await unrelatedSession.TryReadAsync(TimeSpan.FromMilliseconds(300)));
        RocketMqAssert.HasCode(
            Code.Ok,
            (await registered.EndTransactionAsync(topic, entry.MessageId, check.RecoverOrphanedTransactionCommand.TransactionId, TransactionResolution.Commit, TransactionSource.SourceServerCheck)).Status);
    }

    [Fact]
    public async Task Producer_that_notified_termination_is_no_longer_asked()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using var session = await producer.ConnectProducerAsync(topic);
        RocketMqAssert.HasCode(Code.Ok, (await producer.NotifyClientTerminationAsync()).Status);

        var entry = RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction()));
        await fixture.Broker.Inspect.WaitUntilAsync(
            b => b.Transactions().Single(t => t.TransactionId == entry.TransactionId).State == TransactionState.Discarded,
            Patience);

        Assert.Null(await session.TryReadAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Producer_whose_telemetry_stream_ended_is_no_longer_asked()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using (var session = await producer.ConnectProducerAsync(topic))
        {
            await session.CompleteAsync();
            await session.WaitForEndAsync();
        }

        await fixture.Broker.Inspect.WaitUntilAsync(
            b => b.Clients().Any(c => c.ClientId == producer.Headers.ClientId && !c.HasTelemetryStream), Patience);
        var next = fixture.NewClient();
        await using var live = await next.ConnectProducerAsync(topic);

        var entry = RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction()));

        // Every round must reach the producer that is still online, none is wasted on the gone one.
        for (var i = 0; i < FastTransactionChecksFixture.MaxChecks; i++)
        {
            var check = await live.ReadUntilAsync(IsCheck, Patience);
            Assert.Equal(entry.TransactionId, check.RecoverOrphanedTransactionCommand.TransactionId);
        }
    }

    [Fact]
    public async Task Orphaned_transaction_recovery_duration_delays_the_first_check()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using var session = await producer.ConnectProducerAsync(topic);
        var clock = Stopwatch.StartNew();

        RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction(TimeSpan.FromSeconds(2))));
        await session.ReadUntilAsync(IsCheck, Patience);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1900), $"first check after {clock.Elapsed}, expected ≥ 2 s");
    }

    [Fact]
    public async Task Committed_transaction_is_never_checked()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);
        var producer = fixture.NewClient();
        await using var session = await producer.ConnectProducerAsync(topic);
        var entry = RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction(TimeSpan.FromSeconds(1))));

        RocketMqAssert.HasCode(Code.Ok, (await producer.EndTransactionAsync(topic, entry.MessageId, entry.TransactionId, TransactionResolution.Commit)).Status);

        // A second, unresolved transaction is checked after the same delay; by then a check of the first would have come.
        var witness = RocketMqAssert.Accepted(await producer.SendAsync(TestMessage.To(topic).AsTransaction(TimeSpan.FromSeconds(1))));
        var firstCheck = await session.ReadUntilAsync(IsCheck, Patience);
        Assert.Equal(witness.TransactionId, firstCheck.RecoverOrphanedTransactionCommand.TransactionId);
        Assert.Equal(0, fixture.Broker.Inspect.Transactions().Single(t => t.TransactionId == entry.TransactionId).ChecksSent);
    }

    private static bool IsCheck(TelemetryCommand command)
        => command.CommandCase == TelemetryCommand.CommandOneofCase.RecoverOrphanedTransactionCommand;
}
