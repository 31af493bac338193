using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>The proxy keeps transaction data for a limited time after the send or the last check (behavior.md §6.2, §6.3).</summary>
public sealed class TransactionDataExpiryTests
{
    [Fact]
    public async Task EndTransaction_after_the_transaction_data_expired_answers_INTERNAL_SERVER_ERROR_while_a_check_renews_it()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.TransactionChecks = new TransactionCheckPolicy(
            FirstCheckAfter: TimeSpan.FromMilliseconds(200),
            CheckInterval: TimeSpan.FromSeconds(30),
            MaxChecks: 3,
            TransactionDataTtl: TimeSpan.FromSeconds(1)));
        var topic = broker.CreateTopic(TopicMessageType.Transaction);
        using var client = broker.Connect();
        await using var session = await client.ConnectProducerAsync(topic);

        // Never checked during the test; its data is only good for 1 s.
        var expiring = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction(TimeSpan.FromHours(1))));
        // Checked once 2 s have passed: by then the first one's data has expired.
        var witness = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).AsTransaction(TimeSpan.FromSeconds(2))));
        var check = await session.ReadUntilAsync(
            c => c.CommandCase == TelemetryCommand.CommandOneofCase.RecoverOrphanedTransactionCommand, TimeSpan.FromSeconds(10));
        Assert.Equal(witness.TransactionId, check.RecoverOrphanedTransactionCommand.TransactionId);

        var late = await client.EndTransactionAsync(topic, expiring.MessageId, expiring.TransactionId, TransactionResolution.Commit);
        var answer = await client.EndTransactionAsync(
            topic, witness.MessageId, witness.TransactionId, TransactionResolution.Commit, TransactionSource.SourceServerCheck);

        RocketMqAssert.HasCode(Code.InternalServerError, late.Status);
        RocketMqAssert.HasCode(Code.Ok, answer.Status);
        var states = broker.Inspect.Transactions().ToDictionary(t => t.TransactionId, t => t.State);
        Assert.Equal(TransactionState.Pending, states[expiring.TransactionId]);
        Assert.Equal(TransactionState.Committed, states[witness.TransactionId]);
    }
}
