using Akka.Actor;
using Akka.Configuration;
using ActorProducer.Errors;
using ActorProducer.LocalBroker;
using ActorProducer.Messages;
using ActorProducer.Transactions.Tests.Infrastructure;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// The rules that keep transactions recoverable (design.md: "prebound topic list … required for transactions";
/// behavior.md §5.3, §6.1, §6.5): a checker needs prebound topics, a transaction needs a checker, and a message's type
/// must match its topic's — all refused locally, before anything reaches the broker.
/// </summary>
public sealed class TransactionRuleSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    [Fact]
    public async Task Should_fail_to_start_a_producer_with_a_checker_but_no_prebound_topic()
    {
        var failure = await Assert.ThrowsAsync<ConfigurationException>(() =>
            StartProducerAsync([], RecordingChecker.Answering(Resolution.Commit)));

        Assert.Contains("transaction checker is configured but no topic is prebound", failure.Message);
        Assert.Contains("akka.rocketmq.producer.topics", failure.Message);
        Assert.Empty(Requests("SendMessage"));
    }

    [Fact]
    public async Task Should_fail_to_start_a_producer_with_a_checker_actor_but_no_prebound_topic_through_the_config_path()
    {
        // The application's own HOCON path, as StartProducerAsync(name, configPath, setup) reads it.
        var config = ConfigurationFactory.ParseString($$"""
            orders-producer { endpoints = "{{Broker.Endpoint}}" }
            """).WithFallback(ConfigurationFactory.ParseString(ProducerDefaults));
        using var system = Akka.Actor.ActorSystem.Create("no-topics", config);
        var extension = RocketMqProducerExtension.Get(system);

        var failure = await Assert.ThrowsAsync<ConfigurationException>(() => extension.StartProducerAsync("orders", "orders-producer",
            new Settings.RocketMqProducerSetup { TransactionCheckerProps = Akka.Actor.Props.Empty }));

        Assert.Contains("'orders' failed to start", failure.Message);
        Assert.Contains("no topic is prebound", failure.Message);
        await system.Terminate();
    }

    [Fact]
    public async Task Should_refuse_to_begin_a_transaction_without_a_checker()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync([topic]);

        producer.Actor.Tell(new BeginTransaction("tx"));
        var failed = await ExpectMsgAsync<TransactionFailed>(Patience);
        var thrown = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.BeginTransactionAsync());

        Assert.Null(failed.Handle);
        Assert.Equal("tx", failed.Correlation);
        Assert.Equal(ProducerErrorKind.InvalidMessage, failed.Error.Kind);
        Assert.Contains("need a transaction checker", failed.Error.Message);
        Assert.Contains("RocketMqProducerSetup.TransactionChecker", failed.Error.Message);
        Assert.Equal(failed.Error, thrown.Error);
    }

    [Fact]
    public async Task Should_refuse_a_half_message_to_a_topic_that_is_not_prebound()
    {
        var prebound = NewTopic();
        var other = NewTopic();
        await using var producer = await StartProducerAsync([prebound], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.SendAsync(Order(other, "order-1")));

        Assert.Equal(ProducerErrorKind.InvalidMessage, failure.Error.Kind);
        Assert.Equal("Topic", failure.Error.Field);
        Assert.Contains($"topic '{other}' is not prebound", failure.Error.Message);
        Assert.Empty(Requests("SendMessage"));
    }

    [Fact]
    public async Task Should_refuse_a_half_message_to_a_topic_that_is_not_of_type_TRANSACTION_before_sending_it()
    {
        var normal = NewTopic(TopicMessageType.Normal);
        await using var producer = await StartProducerAsync([normal], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => transaction.SendAsync(Order(normal, "order-2")));

        Assert.Equal(ProducerErrorKind.InvalidMessage, failure.Error.Kind);
        Assert.Contains($"topic '{normal}' does not accept Transaction messages", failure.Error.Message);
        Assert.Empty(Requests("SendMessage"));
        Assert.Empty(Broker.Inspect.Transactions());
    }

    [Fact]
    public async Task Should_refuse_a_normal_message_to_a_TRANSACTION_topic_before_sending_it()
    {
        var transactional = NewTopic();
        await using var producer = await StartProducerAsync([transactional], RecordingChecker.Answering(Resolution.Unknown));

        var failure = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Order(transactional, "order-3")));

        Assert.Equal(ProducerErrorKind.InvalidMessage, failure.Error.Kind);
        Assert.Contains($"topic '{transactional}' does not accept Normal messages", failure.Error.Message);
        Assert.Empty(Requests("SendMessage"));
        Assert.Empty(Broker.Inspect.Messages(transactional));
    }

    [Fact]
    public async Task Should_refuse_a_half_message_with_a_message_group_or_a_delivery_time()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync([topic], RecordingChecker.Answering(Resolution.Unknown));
        var transaction = await producer.BeginTransactionAsync();

        var grouped = await Assert.ThrowsAsync<RocketMqProducerException>(() =>
            transaction.SendAsync(Order(topic, "order-4") with { MessageGroup = "order-4" }));
        var delayed = await Assert.ThrowsAsync<RocketMqProducerException>(() =>
            transaction.SendAsync(Order(topic, "order-4") with { DeliveryTime = DateTimeOffset.UtcNow.AddMinutes(1) }));

        Assert.Equal("MessageGroup", grouped.Error.Field);
        Assert.Equal("DeliveryTime", delayed.Error.Field);
        Assert.Empty(Requests("SendMessage"));

        // Refused messages never entered the transaction: it still takes its one message.
        var receipt = await transaction.SendAsync(Order(topic, "order-4"));
        Assert.NotNull(receipt.TransactionId);
    }
}
