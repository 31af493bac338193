using ActorProducer.Routing;
using ActorProducer.Settings;
using Apache.Rocketmq.V2;
using static ActorProducer.Tests.Routing.Queues;

namespace ActorProducer.Tests.Routing;

public sealed class TopicRouteSpec
{
    private static readonly MessageQueue[] Mixed =
    [
        Queue("a", 0, Permission.Read),
        Queue("a", 1, Permission.Write),
        Queue("a", 2, Permission.ReadWrite),
        Queue("a", 3, Permission.None),
        Queue("a", 4, Permission.Unspecified),
        Queue("b", 0, Permission.ReadWrite, brokerId: 1), // slave
        Queue("b", 1, Permission.ReadWrite),
        Queue("c", 0, Permission.ReadWrite),
        Queue("c", 1, Permission.ReadWrite),
    ];

    [Fact]
    public void Writable_queues_are_WRITE_or_READ_WRITE_on_a_master_in_server_order()
    {
        var route = new TopicRoute(Mixed);
        Assert.Equal("a1 a2 b1 c0 c1", string.Join(' ', route.WritableQueues.Select(Name)));
        Assert.Equal(Mixed.Length, route.AllQueues.Count);
        Assert.True(route.HasWritableQueue);
    }

    [Fact]
    public void Endpoints_are_the_distinct_brokers_of_the_writable_queues_in_order()
    {
        var route = new TopicRoute(Mixed);
        Assert.Equal(
            [AccessPoint.Parse("10.0.0.1:8081"), AccessPoint.Parse("10.0.0.2:8081"), AccessPoint.Parse("10.0.0.3:8081")],
            route.Endpoints);
    }

    [Fact]
    public void Queue_endpoints_are_those_of_its_broker()
    {
        var route = new TopicRoute(Mixed);
        Assert.Equal(AccessPoint.Parse("10.0.0.3:8081"), route.EndpointsOf(route.WritableQueues[^1]));
    }

    [Fact]
    public void Topic_comes_from_the_queues_or_is_given()
    {
        Assert.Equal("orders", new TopicRoute(Mixed).Topic);
        Assert.Equal("given", new TopicRoute("given", []).Topic);
        Assert.Throws<ArgumentException>(() => new TopicRoute([]));
    }

    [Fact]
    public void Route_without_writable_queue_has_no_endpoints()
    {
        var route = new TopicRoute("orders", [Queue("a", 0, Permission.Read), Queue("a", 1, Permission.ReadWrite, brokerId: 2)]);
        Assert.False(route.HasWritableQueue);
        Assert.Empty(route.WritableQueues);
        Assert.Empty(route.Endpoints);
        Assert.False(route.Accepts(MessageType.Normal));
    }

    [Fact]
    public void A_writable_queue_with_unusable_endpoints_fails_the_route_naming_topic_and_broker()
    {
        var broken = Queue("x", 3);
        broken.Broker.Endpoints.Addresses.Clear();
        var ex = Assert.Throws<ArgumentException>(() => new TopicRoute("orders", [broken]));
        Assert.Contains("topic 'orders'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("queue 3 on broker 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { MessageType.Normal }, MessageType.Normal, true)]
    [InlineData(new[] { MessageType.Normal }, MessageType.Fifo, false)]
    [InlineData(new[] { MessageType.Normal, MessageType.Fifo, MessageType.Delay, MessageType.Transaction }, MessageType.Delay, true)]
    [InlineData(new[] { MessageType.Unspecified }, MessageType.Normal, false)]
    public void A_queue_accepts_the_types_it_lists(MessageType[] accepts, MessageType type, bool expected)
    {
        Assert.Equal(expected, TopicRoute.QueueAccepts(Queue("a", 0, accepts: accepts), type));
        Assert.Equal(expected, new TopicRoute([Queue("a", 0, accepts: accepts), Queue("b", 0, accepts: accepts)]).Accepts(type));
    }

    [Fact]
    public void A_route_accepts_a_type_only_if_every_writable_queue_does()
    {
        var route = new TopicRoute(
        [
            Queue("a", 0, accepts: [MessageType.Fifo]),
            Queue("b", 0, accepts: [MessageType.Normal]),
            Queue("c", 0, Permission.Read, accepts: [MessageType.Delay]), // not writable: ignored
        ]);
        Assert.False(route.Accepts(MessageType.Fifo));
        Assert.False(route.Accepts(MessageType.Normal));
        Assert.False(route.Accepts(MessageType.Delay));
    }

    [Fact]
    public void Candidates_of_a_route_skip_isolated_endpoints()
    {
        var route = new TopicRoute(Layout("a0 b0 c0 a1 b1 c1"));
        var isolated = new HashSet<AccessPoint> { route.Endpoints[0] };
        Assert.Equal("b0 c0", string.Join(' ', route.Candidates(0, 3, isolated.Contains).Select(Name)));
    }

    [Fact]
    public void Group_of_a_route_picks_among_its_writable_queues()
    {
        var route = new TopicRoute(
        [
            Queue("a", 0, Permission.Read), Queue("a", 1), Queue("a", 2), Queue("a", 3), Queue("a", 4),
        ]);
        Assert.Equal("a1", Name(route.ForGroup("order-123"))); // index 0 of the 4 writable queues
    }
}
