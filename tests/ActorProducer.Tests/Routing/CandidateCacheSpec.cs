using ActorProducer.Routing;
using ActorProducer.Settings;
using static ActorProducer.Tests.Routing.Queues;

namespace ActorProducer.Tests.Routing;

public sealed class CandidateCacheSpec
{
    private static readonly TopicRoute Route = new(Layout("a0 b0 c0 a1 b1 c1 a2"));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Gives_the_candidates_the_route_computes_for_the_cursor_modulo_the_queue_count(int cursor)
    {
        var isolated = new HashSet<AccessPoint> { Route.Endpoints[1] };
        var cache = new CandidateCache(Route, 3, isolated.Contains);
        var start = ((cursor % 7) + 7) % 7;

        Assert.Equal(
            Route.Candidates(start, 3, isolated.Contains).Select(Name),
            cache.For(cursor).Select(Name));
    }

    [Fact]
    public void Computes_each_start_position_once()
    {
        var asked = 0;
        var cache = new CandidateCache(Route, 3, _ =>
        {
            asked++;
            return false;
        });

        var first = cache.For(2);
        var askedOnce = asked;
        Assert.Same(first, cache.For(2));
        Assert.Same(first, cache.For(2 + 7));
        Assert.Equal(askedOnce, asked);
    }

    [Fact]
    public void A_route_without_writable_queues_has_no_candidates() =>
        Assert.Empty(new CandidateCache(new TopicRoute("orders", []), 3, _ => false).For(5));
}
