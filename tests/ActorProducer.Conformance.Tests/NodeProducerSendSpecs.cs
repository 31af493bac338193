using ActorProducer.Conformance.Tests.Infrastructure;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Faults;
using Apache.Rocketmq.V2;

namespace ActorProducer.Conformance.Tests;

/// <summary>The official Node.js producer sending NORMAL, FIFO and DELAY messages to LocalBroker.</summary>
public sealed class NodeProducerSendSpecs(DefaultBrokerFixture fixture) : IClassFixture<DefaultBrokerFixture>
{
    private LocalBroker.LocalBroker Broker => fixture.Broker;

    [Fact]
    public async Task Should_store_a_normal_message_with_everything_the_client_sent()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);

        var run = (await fixture.Node.RunAsync("send", topic,
            ["--tag", "TagA", "--keys", "key-1,key-2", "--property", "color=blue", "--property", "size=L", "--body", "normal body"]))
            .ShouldHaveSucceeded();

        var messageId = run.Required("messageId").GetValue<string>();
        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(messageId, stored.MessageId);
        Assert.Equal(34, messageId.Length);
        Assert.Equal(MessageType.Normal, stored.MessageType);
        Assert.Equal("normal body", System.Text.Encoding.UTF8.GetString(stored.Body.Span));
        Assert.Equal("TagA", stored.Tag);
        Assert.Equal(["key-1", "key-2"], stored.Keys);
        Assert.Equal("blue", stored.UserProperties["color"]);
        Assert.Equal("L", stored.UserProperties["size"]);
        Assert.Null(stored.MessageGroup);
        Assert.Null(stored.DeliveryTimestamp);
        Assert.Null(stored.TransactionId);
        Assert.Equal(run.ClientId, stored.ProducerClientId);
        Assert.False(string.IsNullOrEmpty(stored.BornHost));
        Assert.Equal(run.Required("receipt")["offset"]!.GetValue<long>(), stored.Offset);
    }

    [Fact]
    public async Task Should_see_the_client_as_an_HTTP_language_PRODUCER_with_its_settings()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);

        // Prebinding makes the client wait for the Settings reply before it sends.
        var run = (await fixture.Node.RunAsync("send", topic, ["--prebind"])).ShouldHaveSucceeded();

        var client = Assert.Single(Broker.Inspect.Clients(), c => c.ClientId == run.ClientId);
        Assert.Equal("HTTP", client.Language);
        Assert.Equal("1.0.8", client.ClientVersion);
        var settings = client.SettingsReceived;
        Assert.NotNull(settings);
        Assert.Equal(ClientType.Producer, settings.ClientType);
        Assert.Equal(Language.NodeJs, settings.UserAgent.Language);
        Assert.Contains(settings.Publishing.Topics, t => t.Name == topic);
        Assert.True(client.Terminated, "the client's shutdown sends NotifyClientTermination");

        var requests = Broker.Inspect.Requests().Where(r => r.ClientId == run.ClientId).ToList();
        Assert.All(requests, r =>
        {
            Assert.Equal("HTTP", r.Headers["x-mq-language"]);
            Assert.Equal("v2", r.Headers["x-mq-protocol"]);
        });
        Assert.Contains(requests, r => r.Rpc == nameof(BrokerRpc.QueryRoute) && r.Code == Code.Ok);
        Assert.Contains(requests, r => r.Rpc == nameof(BrokerRpc.SendMessage) && r.Code == Code.Ok);
    }

    [Fact]
    public async Task Should_store_50_parallel_sends_once_each_under_the_receipts_ids()
    {
        var topic = fixture.NewTopic(TopicMessageType.Normal);

        var run = (await fixture.Node.RunAsync("send-parallel", topic, ["--prebind", "--count", "50", "--body", "parallel"]))
            .ShouldHaveSucceeded();

        var receipts = run.Required("receipts").AsArray();
        var receiptIds = receipts.Select(r => r!["messageId"]!.GetValue<string>()).ToList();
        Assert.Equal(50, receiptIds.Count);
        Assert.Equal(50, receiptIds.Distinct().Count());

        var stored = Broker.Inspect.Messages(topic);
        Assert.Equal(50, stored.Count);
        Assert.Equal(receiptIds.Order(), stored.Select(m => m.MessageId).Order());
        Assert.Equal(
            Enumerable.Range(0, 50).Select(i => $"parallel-{i}").Order(),
            stored.Select(m => System.Text.Encoding.UTF8.GetString(m.Body.Span)).Order());
        Assert.All(stored, m => Assert.Equal(MessageType.Normal, m.MessageType));
    }

    [Fact]
    public async Task Should_keep_each_message_group_in_one_queue_in_send_order()
    {
        var topic = fixture.NewTopic(TopicMessageType.Fifo);
        string[] groups = ["group-1", "order-123", "a"];

        var run = (await fixture.Node.RunAsync("send-fifo", topic,
            ["--prebind", "--groups", string.Join(',', groups), "--per-group", "5"])).ShouldHaveSucceeded();

        Assert.Equal(15, run.Required("sent").AsArray().Count);
        var stored = Broker.Inspect.Messages(topic);
        Assert.Equal(15, stored.Count);
        foreach (var group in groups)
        {
            var ofGroup = stored.Where(m => m.MessageGroup == group).ToList();
            Assert.Single(ofGroup.Select(m => (m.BrokerName, m.QueueId)).Distinct());
            // Messages() lists each queue in offset order.
            Assert.Equal(Enumerable.Range(0, 5).Select(seq => $"{group}:{seq}"), ofGroup.Select(m => System.Text.Encoding.UTF8.GetString(m.Body.Span)));
            Assert.All(ofGroup, m => Assert.Equal(MessageType.Fifo, m.MessageType));
            var offsets = ofGroup.Select(m => m.Offset).ToList();
            Assert.Equal(offsets.Order(), offsets);
        }
    }

    [Fact]
    public async Task Should_store_a_delay_message_with_its_delivery_time_and_not_deliver_it_yet()
    {
        var topic = fixture.NewTopic(TopicMessageType.Delay);

        var run = (await fixture.Node.RunAsync("send", topic, ["--prebind", "--delay-ms", "600000", "--body", "later"]))
            .ShouldHaveSucceeded();

        var messageId = run.Required("messageId").GetValue<string>();
        var deliveryTimestamp = run.Required("deliveryTimestamp").GetValue<long>();
        var stored = Assert.Single(Broker.Inspect.Messages(topic));
        Assert.Equal(messageId, stored.MessageId);
        Assert.Equal(MessageType.Delay, stored.MessageType);
        Assert.NotNull(stored.DeliveryTimestamp);
        Assert.Equal(deliveryTimestamp, stored.DeliveryTimestamp.Value.ToUnixTimeMilliseconds());
        Assert.DoesNotContain(Broker.Inspect.DeliverableMessages(topic), m => m.MessageId == messageId);
    }

    [Fact]
    public async Task Should_recall_a_delay_message_through_the_receipts_recall_handle()
    {
        var topic = fixture.NewTopic(TopicMessageType.Delay);

        var run = (await fixture.Node.RunAsync("recall", topic, ["--prebind", "--delay-ms", "600000"])).ShouldHaveSucceeded();

        var messageId = run.Required("messageId").GetValue<string>();
        Assert.False(string.IsNullOrEmpty(run.Required("receipt")["recallHandle"]!.GetValue<string>()), $"a DELAY receipt carries a recall handle.\n{run.Diagnostics}");
        Assert.Equal(messageId, run.Required("recalledMessageId").GetValue<string>());
        Assert.Contains(Broker.Inspect.Requests(), r => r.ClientId == run.ClientId && r.Rpc == nameof(BrokerRpc.RecallMessage) && r.Code == Code.Ok);
        Assert.DoesNotContain(Broker.Inspect.Messages(topic), m => m.MessageId == messageId);
        Assert.DoesNotContain(Broker.Inspect.DeliverableMessages(topic), m => m.MessageId == messageId);
    }

    [Fact]
    public async Task Should_fail_with_TOPIC_NOT_FOUND_for_an_unknown_topic_and_store_nothing()
    {
        var topic = $"node-missing-{Guid.NewGuid():N}";

        var run = (await fixture.Node.RunAsync("send", topic, ["--expect", "failure"])).ShouldHaveFailed();

        Assert.True(run.ErrorCode == (int)Code.TopicNotFound, $"expected code 40402, got {run.ErrorCode}.\n{run.Diagnostics}");
        Assert.Equal("NotFoundException", run.ErrorName);
        Assert.Contains(Broker.Inspect.Requests(), r => r.ClientId == run.ClientId && r.Rpc == nameof(BrokerRpc.QueryRoute) && r.Code == Code.TopicNotFound);
        Assert.DoesNotContain(Broker.Inspect.Requests(), r => r.ClientId == run.ClientId && r.Rpc == nameof(BrokerRpc.SendMessage));
        Assert.Empty(Broker.Inspect.Messages(topic));
    }
}
