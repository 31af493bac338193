using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Google.Protobuf.WellKnownTypes;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>The inspection API reports exactly what producers sent and how it was stored.</summary>
public sealed class InspectionTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private BrokerInspector Inspect => fixture.Broker.Inspect;

    [Fact]
    public async Task Stored_message_has_every_field_and_property_the_producer_sent()
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic();
        var born = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
        Message sent = TestMessage.To(topic)
            .WithBody([1, 2, 3, 255])
            .WithTag("TagA")
            .WithKeys("k1", "k2")
            .WithProperty("a", "1")
            .WithProperty("b", "two")
            .Mutate(m =>
            {
                m.SystemProperties.BornHost = "producer-host";
                m.SystemProperties.BornTimestamp = Timestamp.FromDateTimeOffset(born);
            });
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var entry = RocketMqAssert.Accepted(await client.SendAsync(sent));

        var stored = Assert.Single(Inspect.Messages(topic));
        Assert.Equal(topic, stored.Topic);
        Assert.Equal(sent.SystemProperties.MessageId, stored.MessageId);
        Assert.Equal(MessageType.Normal, stored.MessageType);
        Assert.Equal(new byte[] { 1, 2, 3, 255 }, stored.Body.ToArray());
        Assert.Equal("TagA", stored.Tag);
        Assert.Equal(["k1", "k2"], stored.Keys);
        Assert.Null(stored.MessageGroup);
        Assert.Null(stored.DeliveryTimestamp);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "two" }, stored.UserProperties);
        Assert.Equal("producer-host", stored.BornHost);
        Assert.Equal(born, stored.BornTimestamp);
        Assert.InRange(stored.StoreTimestamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(client.Headers.ClientId, stored.ProducerClientId);
        Assert.Null(stored.TransactionId);
        Assert.Equal(entry.Offset, stored.Offset);
        Assert.Equal(sent, stored.Raw);
    }

    [Fact]
    public async Task Stored_FIFO_and_DELAY_messages_carry_group_and_delivery_time()
    {
        var client = fixture.NewClient();
        var fifoTopic = fixture.CreateTopic(TopicMessageType.Fifo);
        var delayTopic = fixture.CreateTopic(TopicMessageType.Delay);
        var deliverAt = new DateTimeOffset(DateTime.UtcNow.AddMinutes(30).Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fifoTopic).WithGroup("order-123")));
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(delayTopic).DeliverAt(deliverAt)));

        var fifo = Assert.Single(Inspect.Messages(fifoTopic));
        Assert.Equal(MessageType.Fifo, fifo.MessageType);
        Assert.Equal("order-123", fifo.MessageGroup);
        var delay = Assert.Single(Inspect.Messages(delayTopic));
        Assert.Equal(MessageType.Delay, delay.MessageType);
        Assert.Equal(deliverAt, delay.DeliveryTimestamp);
        Assert.Empty(Inspect.DeliverableMessages(delayTopic));
    }

    [Fact]
    public async Task Messages_of_one_group_stay_in_one_queue_in_send_order_with_consecutive_offsets_from_0()
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic(TopicMessageType.Fifo);
        var sent = new List<(string Id, long Offset)>();

        for (var i = 0; i < 10; i++)
        {
            var message = TestMessage.To(topic).WithGroup("group-1").WithBody($"m{i}");
            var entry = RocketMqAssert.Accepted(await client.SendAsync(message));
            sent.Add((message.MessageId, entry.Offset));
        }

        var stored = Inspect.Messages(topic);
        var queue = Assert.Single(stored.Select(m => (m.BrokerName, m.QueueId)).Distinct());
        Assert.Equal(sent.Select(s => s.Id), stored.Select(m => m.MessageId));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), stored.Select(m => m.Offset));
        Assert.Equal(sent.Select(s => s.Offset), stored.Select(m => m.Offset));
        Assert.Equal(stored.Select(m => m.MessageId), Inspect.Queue(topic, queue.BrokerName, queue.QueueId).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Messages_are_listed_per_queue_in_offset_order_and_each_queue_numbers_from_0()
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic(TopicMessageType.Fifo, queueCount: 4);

        for (var i = 0; i < 24; i++)
        {
            // As a client does: every message of a group goes to the queue its group maps to.
            var group = i % 6;
            RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithGroup($"g{group}").WithQueueId(group % 4).WithBody($"{i}")));
        }

        var stored = Inspect.Messages(topic);
        Assert.Equal(24, stored.Count);
        Assert.True(stored.Select(m => m.QueueId).Distinct().Count() > 1, "the messages should spread over several queues");
        Assert.Equal(
            stored.OrderBy(m => m.BrokerName, StringComparer.Ordinal).ThenBy(m => m.QueueId).ThenBy(m => m.Offset).Select(m => m.MessageId),
            stored.Select(m => m.MessageId));
        foreach (var queue in stored.GroupBy(m => m.QueueId))
        {
            Assert.Equal(Enumerable.Range(0, queue.Count()).Select(i => (long)i), queue.Select(m => m.Offset));
        }

        foreach (var group in stored.GroupBy(m => m.MessageGroup))
        {
            Assert.Single(group.Select(m => m.QueueId).Distinct());
            var bodies = group.Select(m => int.Parse(System.Text.Encoding.UTF8.GetString(m.Body.Span), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(bodies.Order(), bodies);
        }
    }

    [Fact]
    public async Task Concurrent_sends_all_get_stored_with_unique_offsets_per_queue()
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic(queueCount: 2);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.SendAsync(TestMessage.To(topic).WithQueueId(i % 2))));

        Assert.All(responses, r => RocketMqAssert.Accepted(r));
        var stored = Inspect.Messages(topic);
        Assert.Equal(200, stored.Count);
        foreach (var queue in stored.GroupBy(m => (m.BrokerName, m.QueueId)))
        {
            Assert.Equal(Enumerable.Range(0, queue.Count()).Select(i => (long)i), queue.Select(m => m.Offset));
        }
    }

    [Fact]
    public async Task Inspection_results_are_snapshots()
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic();
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
        var snapshot = Inspect.Messages(topic);

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));

        Assert.Single(snapshot);
        Assert.Equal(2, Inspect.Messages(topic).Count);
    }

    [Fact]
    public async Task Request_log_records_each_answered_rpc_with_client_code_and_headers()
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic();

        await client.QueryRouteAsync(topic);
        await client.SendAsync(TestMessage.To(topic));
        await client.QueryRouteAsync(TopicNames.Unique("missing"));

        var mine = Inspect.Requests().Where(r => r.ClientId == client.Headers.ClientId).ToList();
        Assert.Equal(["QueryRoute", "SendMessage", "QueryRoute"], mine.Select(r => r.Rpc));
        Assert.Equal([Code.Ok, Code.Ok, Code.TopicNotFound], mine.Select(r => r.Code));
        Assert.Equal("OK", mine[0].StatusMessage);
        Assert.All(mine, r =>
        {
            Assert.Equal("broker-0", r.BrokerName);
            Assert.Equal("DOTNET", r.Headers["x-mq-language"]);
            Assert.Equal("v2", r.Headers["x-mq-protocol"]);
            Assert.Equal(client.Headers.ClientId, r.Headers["x-mq-client-id"]);
            Assert.True(Guid.TryParse(r.Headers["x-mq-request-id"], out _));
        });
        Assert.True(mine[0].At <= mine[1].At && mine[1].At <= mine[2].At);
    }

    [Fact]
    public async Task Clients_lists_clients_in_order_of_first_appearance_with_their_lifecycle()
    {
        var first = fixture.NewClient();
        var second = fixture.NewClient(h => h with { Language = "JAVA", ClientVersion = "5.0.8" });
        var topic = fixture.CreateTopic();

        await using var session = await first.ConnectProducerAsync(topic);
        await second.QueryRouteAsync(topic);
        await first.HeartbeatAsync();
        await first.NotifyClientTerminationAsync();

        var clients = Inspect.Clients().Where(c => c.ClientId == first.Headers.ClientId || c.ClientId == second.Headers.ClientId).ToList();
        Assert.Equal([first.Headers.ClientId, second.Headers.ClientId], clients.Select(c => c.ClientId));
        Assert.NotNull(clients[0].LastHeartbeat);
        Assert.True(clients[0].Terminated);
        Assert.Equal(topic, Assert.Single(clients[0].SettingsReceived!.Publishing.Topics).Name);
        Assert.Equal("JAVA", clients[1].Language);
        Assert.Equal("5.0.8", clients[1].ClientVersion);
        Assert.Null(clients[1].SettingsReceived);
        Assert.False(clients[1].HasTelemetryStream);
        Assert.False(clients[1].Terminated);
    }

    [Fact]
    public async Task WaitUntilAsync_returns_once_the_condition_holds_and_throws_TimeoutException_when_it_never_does()
    {
        var client = fixture.NewClient();
        var topic = fixture.CreateTopic();
        var send = client.SendAsync(TestMessage.To(topic));

        await Inspect.WaitUntilAsync(b => b.Messages(topic).Count == 1, TimeSpan.FromSeconds(5));
        await send;

        await Assert.ThrowsAsync<TimeoutException>(() => Inspect.WaitUntilAsync(_ => false, TimeSpan.FromMilliseconds(100)));
    }
}
