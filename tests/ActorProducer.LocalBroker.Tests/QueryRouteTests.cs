using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>QueryRoute answers and route shape on a single broker (behavior.md §5.3, §7.2).</summary>
public sealed class QueryRouteTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    public static TheoryData<string> IllegalTopicNames => new() { "", "  ", "has space", "a/b", "a.b", "caf\u00e9", new string('t', 128) };

    public static TheoryData<string> SystemTopics => new()
    {
        "TBW102", "SCHEDULE_TOPIC_XXXX", "BenchmarkTest", "RMQ_SYS_TRANS_HALF_TOPIC", "RMQ_SYS_TRACE_TOPIC",
        "RMQ_SYS_TRANS_OP_HALF_TOPIC", "TRANS_CHECK_MAX_TIME_TOPIC", "SELF_TEST_TOPIC", "OFFSET_MOVED_EVENT",
        "CHECKPOINT_TOPIC", "rmq_sys_custom",
    };

    public static TheoryData<TopicMessageType, MessageType[]> AcceptTypes => new()
    {
        { TopicMessageType.Normal, [MessageType.Normal] },
        { TopicMessageType.Fifo, [MessageType.Fifo] },
        { TopicMessageType.Delay, [MessageType.Delay] },
        { TopicMessageType.Transaction, [MessageType.Transaction] },
        { TopicMessageType.Mixed, [MessageType.Normal, MessageType.Fifo, MessageType.Delay, MessageType.Transaction] },
    };

    [Theory]
    [MemberData(nameof(IllegalTopicNames))]
    public async Task QueryRoute_for_illegal_topic_name_answers_ILLEGAL_TOPIC(string topic)
    {
        var response = await client.QueryRouteAsync(topic);

        RocketMqAssert.HasCode(Code.IllegalTopic, response.Status);
        Assert.Empty(response.MessageQueues);
    }

    [Theory]
    [MemberData(nameof(SystemTopics))]
    public async Task QueryRoute_for_system_topic_answers_ILLEGAL_TOPIC(string topic)
    {
        var response = await client.QueryRouteAsync(topic);

        RocketMqAssert.HasCode(Code.IllegalTopic, response.Status);
    }

    [Fact]
    public async Task QueryRoute_for_unknown_topic_answers_TOPIC_NOT_FOUND()
    {
        var response = await client.QueryRouteAsync(TopicNames.Unique("missing"));

        RocketMqAssert.HasCode(Code.TopicNotFound, response.Status);
        Assert.Empty(response.MessageQueues);
    }

    [Fact]
    public async Task QueryRoute_for_existing_topic_of_127_characters_answers_OK()
    {
        var topic = TopicNames.Unique("long");
        topic += new string('y', 127 - topic.Length);
        fixture.Broker.AddTopic(new TopicDefinition(topic));

        RocketMqAssert.HasCode(Code.Ok, (await client.QueryRouteAsync(topic)).Status);
    }

    [Fact]
    public async Task QueryRoute_answers_one_READ_WRITE_queue_per_configured_queue_on_broker_0_master()
    {
        var topic = fixture.CreateTopic(queueCount: 4);

        var response = await client.QueryRouteAsync(topic);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal("OK", response.Status.Message);
        Assert.Equal([0, 1, 2, 3], response.MessageQueues.Select(q => q.Id).Order());
        Assert.All(response.MessageQueues, q =>
        {
            Assert.Equal(Permission.ReadWrite, q.Permission);
            Assert.Equal("broker-0", q.Broker.Name);
            Assert.Equal(0, q.Broker.Id);
            Assert.Equal(topic, q.Topic.Name);
        });
    }

    [Fact]
    public async Task QueryRoute_answers_as_many_queues_as_the_topic_has()
    {
        var topic = fixture.CreateTopic(queueCount: 8);

        var response = await client.QueryRouteAsync(topic);

        Assert.Equal(Enumerable.Range(0, 8), response.MessageQueues.Select(q => q.Id).Order());
    }

    [Fact]
    public async Task QueryRoute_broker_endpoints_are_the_request_endpoints()
    {
        var topic = fixture.CreateTopic();

        var response = await client.QueryRouteAsync(topic);

        Assert.All(response.MessageQueues, q =>
        {
            Assert.Equal(AddressScheme.Ipv4, q.Broker.Endpoints.Scheme);
            var address = Assert.Single(q.Broker.Endpoints.Addresses);
            Assert.Equal("127.0.0.1", address.Host);
            Assert.Equal(fixture.Broker.Port, address.Port);
        });
    }

    [Fact]
    public async Task QueryRoute_echoes_a_domain_name_access_point_with_the_broker_port()
    {
        var topic = fixture.CreateTopic();
        var accessPoint = new Endpoints
        {
            Scheme = AddressScheme.DomainName,
            Addresses = { new Address { Host = "localhost", Port = 1 } },
        };

        var response = await client.QueryRouteAsync(topic, accessPoint);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.All(response.MessageQueues, q =>
        {
            Assert.Equal(AddressScheme.DomainName, q.Broker.Endpoints.Scheme);
            var address = Assert.Single(q.Broker.Endpoints.Addresses);
            Assert.Equal("localhost", address.Host);
            Assert.Equal(fixture.Broker.Port, address.Port);
        });
    }

    [Theory]
    [MemberData(nameof(AcceptTypes))]
    public async Task QueryRoute_queues_accept_the_message_types_of_the_topic_type(TopicMessageType type, MessageType[] expected)
    {
        var topic = fixture.CreateTopic(type);

        var response = await client.QueryRouteAsync(topic);

        Assert.NotEmpty(response.MessageQueues);
        Assert.All(response.MessageQueues, q => Assert.Equal(expected.Order(), q.AcceptMessageTypes.Order()));
    }

    [Theory]
    [InlineData(Permission.Read)]
    [InlineData(Permission.Write)]
    [InlineData(Permission.None)]
    public async Task QueryRoute_queues_carry_the_topic_permission(Permission permission)
    {
        var topic = fixture.CreateTopic(permission: permission);

        var response = await client.QueryRouteAsync(topic);

        Assert.NotEmpty(response.MessageQueues);
        Assert.All(response.MessageQueues, q => Assert.Equal(permission, q.Permission));
    }

    [Fact]
    public async Task QueryRoute_never_answers_unspecified_permission_or_message_type()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Mixed);

        var response = await client.QueryRouteAsync(topic);

        Assert.All(response.MessageQueues, q =>
        {
            Assert.NotEqual(Permission.Unspecified, q.Permission);
            Assert.DoesNotContain(MessageType.Unspecified, q.AcceptMessageTypes);
        });
    }

    [Fact]
    public async Task QueryRoute_serves_topics_configured_at_start_and_TopicDefinition_Parse_reads_the_CLI_form()
    {
        var parsed = TopicDefinition.Parse("orders:FIFO:8");
        Assert.Equal(new TopicDefinition("orders", TopicMessageType.Fifo, 8), parsed);
        Assert.Equal(new TopicDefinition("plain"), TopicDefinition.Parse("plain"));

        await using var broker = await TestBrokers.StartAsync(o => o.Topics.Add(parsed));
        using var own = broker.Connect();
        var response = await own.QueryRouteAsync("orders");

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(8, response.MessageQueues.Count);
        Assert.All(response.MessageQueues, q => Assert.Equal([MessageType.Fifo], q.AcceptMessageTypes));
    }

    [Fact]
    public async Task QueryRoute_with_AutoCreateTopics_creates_an_unknown_topic_as_NORMAL()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.AutoCreateTopics = true);
        using var own = broker.Connect();
        var topic = TopicNames.Unique("auto");

        var response = await own.QueryRouteAsync(topic);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.NotEmpty(response.MessageQueues);
        Assert.All(response.MessageQueues, q => Assert.Equal([MessageType.Normal], q.AcceptMessageTypes));
        RocketMqAssert.Accepted(await own.SendAsync(TestMessage.To(topic)));
        RocketMqAssert.HasCode(Code.IllegalTopic, (await own.QueryRouteAsync("TBW102")).Status);
    }
}
