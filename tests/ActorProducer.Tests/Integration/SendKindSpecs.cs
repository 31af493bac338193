using Akka.Actor;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Messages;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Integration;

/// <summary>Every kind of send over real gRPC; what LocalBroker stored must match what the producer acknowledged.</summary>
public sealed class SendKindSpecs(ITestOutputHelper output) : LocalBrokerTestKit(output)
{
    /// <summary>The receipt describes the stored message: id, broker, queue and offset.</summary>
    private static void AssertStoredAsAcknowledged(SendResult receipt, StoredMessage stored)
    {
        Assert.Equal(receipt.MessageId, stored.MessageId);
        Assert.Equal((receipt.BrokerName, receipt.QueueId, receipt.Offset), (stored.BrokerName, stored.QueueId, stored.Offset));
    }

    [Fact]
    public async Task Should_store_a_message_sent_with_SendAsync_exactly_as_acknowledged()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync();
        var message = Message(topic, "order 1 created", m => m with
        {
            Tag = "created", Keys = ["order-1", "customer-9"], Properties = new Dictionary<string, string> { ["region"] = "eu", ["v"] = "2" },
        });

        var receipt = await producer.SendAsync(message);

        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        AssertStoredAsAcknowledged(receipt, stored);
        Assert.Equal((1, topic), (receipt.Attempts, receipt.Topic));
        Assert.Equal("order 1 created", System.Text.Encoding.UTF8.GetString(stored.Body.Span));
        Assert.Equal("created", stored.Tag);
        Assert.Equal(["order-1", "customer-9"], stored.Keys);
        Assert.Equal(message.Properties.OrderBy(p => p.Key), stored.UserProperties.OrderBy(p => p.Key));
        Assert.Equal(Apache.Rocketmq.V2.MessageType.Normal, stored.MessageType);
        Assert.Null(stored.MessageGroup);
        Assert.Equal(producer.ClientId, stored.ProducerClientId);
    }

    [Fact]
    public async Task Should_reply_to_a_Tell_with_the_callers_correlation()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync();

        for (var i = 0; i < 10; i++) producer.Actor.Tell(new Send(Message(topic, $"m{i}"), i));

        var receipts = new List<SendResult>();
        for (var i = 0; i < 10; i++) receipts.Add(await ExpectMsgAsync<SendResult>(TimeSpan.FromSeconds(5)));
        Assert.Equal(Enumerable.Range(0, 10), receipts.Select(r => (int)r.Correlation!).Order());
        var stored = Broker.Inspect.Messages(topic);
        Assert.Equal(10, stored.Count);
        foreach (var receipt in receipts) AssertStoredAsAcknowledged(receipt, Assert.Single(stored, s => s.MessageId == receipt.MessageId));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Should_store_a_batch_from_one_request_with_one_receipt_per_message()
    {
        var topic = NewTopic();
        await using var producer = await StartProducerAsync();

        var reply = await producer.SendBatchAsync([Message(topic, "1"), Message(topic, "2"), Message(topic, "3")]);

        Assert.True(reply.AllSucceeded);
        Assert.Equal(1, SendRequests());
        var stored = Broker.Inspect.Messages(topic);
        var receipts = reply.Outcomes.Cast<SendResult>().ToList();
        Assert.Equal(3, stored.Count);
        for (var i = 0; i < 3; i++) AssertStoredAsAcknowledged(receipts[i], stored[i]);
        Assert.Equal(["1", "2", "3"], stored.Select(s => System.Text.Encoding.UTF8.GetString(s.Body.Span)));
    }

    [Fact]
    public async Task Should_store_FIFO_messages_of_each_group_in_send_order_on_one_queue()
    {
        var topic = NewTopic(TopicMessageType.Fifo, queues: 8);
        var producer = await StartProducerAsync();

        for (var i = 0; i < 20; i++)
        {
            var group = i % 2 == 0 ? "order-123" : "group-1";
            producer.Actor.Tell(new Send(Message(topic, $"{group}:{i}", m => m with { MessageGroup = group }), i));
        }

        var receipts = new List<SendResult>();
        for (var i = 0; i < 20; i++) receipts.Add(await ExpectMsgAsync<SendResult>(TimeSpan.FromSeconds(5)));
        var stored = Broker.Inspect.Messages(topic);
        foreach (var group in new[] { "order-123", "group-1" })
        {
            var ofGroup = stored.Where(s => s.MessageGroup == group).ToList();
            Assert.Equal(10, ofGroup.Count);
            Assert.Single(ofGroup.Select(s => (s.BrokerName, s.QueueId)).Distinct());
            Assert.Equal(ofGroup.Select(s => s.Offset).Order(), ofGroup.Select(s => s.Offset));
            Assert.Equal(
                Enumerable.Range(0, 20).Where(i => (i % 2 == 0) == (group == "order-123")).Select(i => $"{group}:{i}"),
                ofGroup.Select(s => System.Text.Encoding.UTF8.GetString(s.Body.Span)));
            Assert.All(ofGroup, s => Assert.Equal(Apache.Rocketmq.V2.MessageType.Fifo, s.MessageType));
        }
        foreach (var receipt in receipts) AssertStoredAsAcknowledged(receipt, Assert.Single(stored, s => s.MessageId == receipt.MessageId));
    }

    [Fact]
    public async Task Should_store_a_delay_message_with_its_delivery_time()
    {
        var topic = NewTopic(TopicMessageType.Delay);
        await using var producer = await StartProducerAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(10);

        var receipt = await producer.SendAsync(Message(topic, configure: m => m with { DeliveryTime = at }));

        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        AssertStoredAsAcknowledged(receipt, stored);
        Assert.Equal(Apache.Rocketmq.V2.MessageType.Delay, stored.MessageType);
        Assert.Equal(at.ToUnixTimeMilliseconds(), stored.DeliveryTimestamp?.ToUnixTimeMilliseconds());
        Assert.NotNull(receipt.RecallHandle);
        Assert.Empty(Broker.Inspect.DeliverableMessages(topic));
    }

    [Fact]
    public async Task Should_combine_concurrent_sends_into_fewer_requests_when_auto_batching()
    {
        var topic = NewTopic();
        var producer = await StartProducerAsync("batching { enabled = on, linger = 50ms, max-messages = 8 }");

        for (var i = 0; i < 16; i++) producer.Actor.Tell(new Send(Message(topic, $"m{i}"), i));

        var receipts = new List<SendResult>();
        for (var i = 0; i < 16; i++) receipts.Add(await ExpectMsgAsync<SendResult>(TimeSpan.FromSeconds(5)));
        Assert.True(SendRequests() < 16, $"{SendRequests()} requests for 16 concurrent sends");
        var stored = Broker.Inspect.Messages(topic);
        foreach (var receipt in receipts) AssertStoredAsAcknowledged(receipt, Assert.Single(stored, s => s.MessageId == receipt.MessageId));
    }
}
