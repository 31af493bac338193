using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Routes of a cluster of several simulated brokers, each behind its own endpoint (behavior.md §7.2).</summary>
public sealed class MultiBrokerRouteTests(ThreeBrokersFixture fixture) : IClassFixture<ThreeBrokersFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    [Fact]
    public void Broker_0_listens_on_the_access_point_and_every_broker_has_its_own_port()
    {
        var endpoints = fixture.Broker.BrokerEndpoints;

        Assert.Equal(["broker-0", "broker-1", "broker-2"], endpoints.Keys.Order());
        Assert.Equal(fixture.Broker.Endpoint, endpoints["broker-0"]);
        Assert.Equal($"127.0.0.1:{fixture.Broker.Port}", fixture.Broker.Endpoint);
        Assert.Equal(3, endpoints.Values.Select(e => AccessPoints.Split(e).Port).Distinct().Count());
    }

    [Fact]
    public async Task QueryRoute_lists_every_queue_of_every_broker_with_queue_ids_restarting_at_0()
    {
        var topic = fixture.CreateTopic(queueCount: 4);

        var response = await client.QueryRouteAsync(topic);

        RocketMqAssert.HasCode(Code.Ok, response.Status);
        Assert.Equal(12, response.MessageQueues.Count);
        foreach (var perBroker in response.MessageQueues.GroupBy(q => q.Broker.Name))
        {
            Assert.Equal([0, 1, 2, 3], perBroker.Select(q => q.Id).Order());
            Assert.All(perBroker, q => Assert.Equal(0, q.Broker.Id));
        }

        Assert.Equal(["broker-0", "broker-1", "broker-2"], response.MessageQueues.Select(q => q.Broker.Name).Distinct().Order());
    }

    [Fact]
    public async Task QueryRoute_gives_each_broker_its_own_port_on_the_requested_host_and_scheme()
    {
        var topic = fixture.CreateTopic();

        var response = await client.QueryRouteAsync(topic);

        Assert.All(response.MessageQueues, q =>
        {
            Assert.Equal(AddressScheme.Ipv4, q.Broker.Endpoints.Scheme);
            var address = Assert.Single(q.Broker.Endpoints.Addresses);
            Assert.Equal("127.0.0.1", address.Host);
            Assert.Equal(AccessPoints.Split(fixture.Broker.BrokerEndpoints[q.Broker.Name]).Port, address.Port);
        });
    }

    [Fact]
    public async Task QueryRoute_asked_through_another_broker_names_the_same_broker_endpoints()
    {
        var topic = fixture.CreateTopic();
        using var viaBroker1 = fixture.Broker.ConnectTo("broker-1");

        var direct = await client.QueryRouteAsync(topic);
        var indirect = await viaBroker1.QueryRouteAsync(topic, client.AccessPoint);

        RocketMqAssert.HasCode(Code.Ok, indirect.Status);
        Assert.Equal(
            direct.MessageQueues.Select(q => (q.Broker.Name, q.Id, q.Broker.Endpoints.Addresses[0].Port)).Order(),
            indirect.MessageQueues.Select(q => (q.Broker.Name, q.Id, q.Broker.Endpoints.Addresses[0].Port)).Order());
    }

    [Fact]
    public async Task SendMessage_to_a_broker_endpoint_stores_the_message_on_that_broker()
    {
        var topic = fixture.CreateTopic();
        using var toBroker2 = fixture.Broker.ConnectTo("broker-2");

        var message = TestMessage.To(topic);
        RocketMqAssert.Accepted(await toBroker2.SendAsync(message));

        var stored = Assert.Single(fixture.Broker.Inspect.Messages(topic));
        Assert.Equal("broker-2", stored.BrokerName);
        Assert.Contains(
            fixture.Broker.Inspect.Requests(),
            r => r.Rpc == "SendMessage" && r.BrokerName == "broker-2" && r.ClientId == toBroker2.Headers.ClientId);
    }

    [Fact]
    public async Task Messages_lists_queues_in_broker_then_queue_id_order()
    {
        var topic = fixture.CreateTopic(queueCount: 2);
        foreach (var name in new[] { "broker-2", "broker-0", "broker-1" })
        {
            using var to = fixture.Broker.ConnectTo(name);
            for (var i = 0; i < 4; i++)
            {
                RocketMqAssert.Accepted(await to.SendAsync(TestMessage.To(topic).WithQueueId(i % 2)));
            }
        }

        var stored = fixture.Broker.Inspect.Messages(topic);

        Assert.Equal(12, stored.Count);
        Assert.Equal(
            stored.OrderBy(m => m.BrokerName, StringComparer.Ordinal).ThenBy(m => m.QueueId).ThenBy(m => m.Offset).Select(m => m.MessageId),
            stored.Select(m => m.MessageId));
    }
}
