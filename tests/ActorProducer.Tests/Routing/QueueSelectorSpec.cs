using ActorProducer.Routing;
using ActorProducer.Settings;
using static ActorProducer.Tests.Routing.Queues;

namespace ActorProducer.Tests.Routing;

public sealed class QueueSelectorSpec
{
    // ---- FIFO: one queue per group, SipHash-2-4 ----

    [Theory]
    [InlineData("group-1", 4, 2)]
    [InlineData("group-1", 8, 2)]
    [InlineData("group-1", 16, 10)]
    [InlineData("order-123", 4, 0)]
    [InlineData("order-123", 8, 0)]
    [InlineData("order-123", 16, 0)]
    [InlineData("a", 4, 2)]
    [InlineData("a", 8, 2)]
    [InlineData("a", 16, 10)]
    [InlineData("a", 1, 0)]
    public void Group_maps_to_the_queue_of_section_5_4(string group, int queueCount, int expectedIndex)
    {
        var writable = Enumerable.Range(0, queueCount).Select(i => Queue("a", i)).ToArray();
        Assert.Equal(expectedIndex, QueueSelector.GroupIndex(group, queueCount));
        Assert.Same(writable[expectedIndex], QueueSelector.ForGroup(writable, group));
    }

    [Fact]
    public void Group_order_123_maps_to_queue_0_of_4() =>
        Assert.Equal("a0", Name(QueueSelector.ForGroup(Layout("a0 a1 a2 a3"), "order-123")));

    [Fact]
    public void Long_groups_hash_their_UTF_8_bytes()
    {
        var group = new string('€', 500);
        var index = QueueSelector.GroupIndex(group, 16);
        Assert.InRange(index, 0, 15);
        Assert.Equal(index, QueueSelector.GroupIndex(new string('€', 500), 16));
    }

    [Fact]
    public void Group_selection_needs_a_writable_queue() =>
        Assert.Throws<ArgumentException>(() => QueueSelector.ForGroup([], "g"));

    // ---- non-FIFO: distinct brokers from a cursor, isolation skipped ----

    public static TheoryData<string, int, int, string, string> CandidateCases => new()
    {
        // layout, start, max attempts, isolated brokers, expected candidates
        { "a0 a1 a2 a3", 0, 3, "", "a0" },                     // one broker: one candidate, every retry hits it
        { "a0 a1 a2 a3", 2, 3, "", "a2" },
        { "a0 b0 c0 a1 b1 c1", 0, 3, "", "a0 b0 c0" },
        { "a0 b0 c0 a1 b1 c1", 4, 3, "", "b1 c1 a0" },
        { "a0 b0 c0 a1 b1 c1", 0, 2, "", "a0 b0" },            // stops at max attempts
        { "a0 b0 c0 a1 b1 c1", 0, 10, "", "a0 b0 c0" },        // at most one queue per broker name
        { "a0 b0 c0 a1 b1 c1", 7, 3, "", "b0 c0 a1" },         // start wraps mod |Q|
        { "a0 b0 c0 a1 b1 c1", -1, 3, "", "c1 a0 b0" },        // negative cursor: floor mod
        { "a0 b0 c0 a1 b1 c1", int.MinValue, 1, "", "b1" },    // floorMod(int.MinValue, 6) = 4
        { "a0 b0 c0 a1 b1 c1", 0, 3, "b", "a0 c0" },           // isolated broker skipped
        { "a0 b0 c0 a1 b1 c1", 1, 3, "a c", "b0" },
        { "a0 b0 c0 a1 b1 c1", 1, 3, "a b c", "b0 c0 a1" },    // all isolated: walk again ignoring isolation
        { "a0 a1 b0 b1", 1, 3, "", "a1 b0" },
    };

    [Theory]
    [MemberData(nameof(CandidateCases))]
    public void Candidates_follow_section_5_4(string layout, int start, int maxAttempts, string isolated, string expected)
    {
        var isolatedHosts = isolated.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(HostOf).ToHashSet();
        var candidates = QueueSelector.Candidates(Layout(layout), start, maxAttempts,
            ap => isolatedHosts.Contains(ap.Addresses[0].Host));
        Assert.Equal(expected, string.Join(' ', candidates.Select(Name)));
    }

    [Fact]
    public void Isolation_is_checked_against_the_queue_broker_endpoints()
    {
        var isolated = new HashSet<AccessPoint> { AccessPoint.Parse($"{HostOf("b")}:8081") };
        var candidates = QueueSelector.Candidates(Layout("a0 b0 c0"), 0, 3, isolated.Contains);
        Assert.Equal("a0 c0", string.Join(' ', candidates.Select(Name)));
    }

    [Fact]
    public void No_writable_queue_gives_no_candidate() =>
        Assert.Empty(QueueSelector.Candidates([], 0, 3, _ => false));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Max_attempts_must_be_positive(int maxAttempts) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueSelector.Candidates(Layout("a0"), 0, maxAttempts, _ => false));
}
