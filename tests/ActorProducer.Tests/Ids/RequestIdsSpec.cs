using ActorProducer.Ids;

namespace ActorProducer.Tests.Ids;

public sealed class RequestIdsSpec
{
    [Fact]
    public void Request_ids_are_lower_case_hyphenated_version_4_uuids()
    {
        for (var i = 0; i < 1_000; i++)
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", RequestIds.Next());
    }

    [Fact]
    public void Request_ids_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => RequestIds.Next()).ToHashSet();
        Assert.Equal(100_000, ids.Count);
    }
}
