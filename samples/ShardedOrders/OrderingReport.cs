using System.Globalization;
using ActorProducer.LocalBroker.Inspection;

namespace ActorProducer.Samples.ShardedOrders;

/// <summary>One stored (or acknowledged) order event, wherever it was observed.</summary>
public sealed record ObservedEvent(string Group, long Sequence, string BrokerName, int QueueId, long Offset, string? ProducerClientId, string? Node)
{
    /// <summary>From what LocalBroker stored.</summary>
    public static ObservedEvent From(StoredMessage m) => new(
        m.MessageGroup ?? "",
        m.UserProperties.TryGetValue("sequence", out var s) ? long.Parse(s, CultureInfo.InvariantCulture) : -1,
        m.BrokerName, m.QueueId, m.Offset, m.ProducerClientId,
        m.UserProperties.GetValueOrDefault("node"));

    /// <summary>From the receipt an entity replied with (when the broker cannot be inspected).</summary>
    public static ObservedEvent From(OrderEventPublished p) => new(p.OrderId, p.Sequence, p.BrokerName, p.QueueId, p.Offset, null, p.Node);
}

/// <summary>The verdict on one message group (one order).</summary>
public sealed record GroupVerdict(string Group, int Count, string Queues, long FirstOffset, long LastOffset, int Producers, string? Problem)
{
    /// <summary>True when the group holds exactly sequence 1..expected, in storage order.</summary>
    public bool InOrder => Problem is null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Group,-10} {Count,3} events  {Queues,-12} offsets {FirstOffset,4}..{LastOffset,-4}  " +
        $"{(Producers > 1 ? $"{Producers} producers" : "1 producer ")}  {(InOrder ? "in order ✓" : $"✗ {Problem}")}";
}

/// <summary>Checks per-group ordering: each group in one queue, its sequence 1..N in offset order, nothing lost or duplicated.</summary>
public static class OrderingReport
{
    /// <summary>One verdict per expected group, in group order.</summary>
    public static IReadOnlyList<GroupVerdict> Verify(IEnumerable<ObservedEvent> observed, IReadOnlyCollection<string> groups, long eventsPerGroup)
    {
        var byGroup = observed.GroupBy(e => e.Group).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return groups.Order(StringComparer.Ordinal).Select(group =>
        {
            var events = byGroup.GetValueOrDefault(group) ?? [];
            var queues = events.Select(e => $"{e.BrokerName}/q{e.QueueId}").Distinct().ToArray();
            var inStorageOrder = events.OrderBy(e => e.Offset).Select(e => e.Sequence).ToArray();
            var expected = Enumerable.Range(1, (int)eventsPerGroup).Select(i => (long)i).ToArray();
            string? problem = null;
            if (events.Count == 0) problem = "nothing stored";
            else if (queues.Length != 1) problem = $"spread over {queues.Length} queues: {string.Join(", ", queues)}";
            else if (!inStorageOrder.SequenceEqual(expected))
                problem = $"stored sequence {Describe(inStorageOrder)}, expected 1..{eventsPerGroup}";
            return new GroupVerdict(group, events.Count, string.Join(",", queues),
                events.Count == 0 ? -1 : events.Min(e => e.Offset), events.Count == 0 ? -1 : events.Max(e => e.Offset),
                events.Select(e => e.ProducerClientId ?? e.Node).Distinct().Count(), problem);
        }).ToArray();
    }

    private static string Describe(long[] sequence) =>
        sequence.Length <= 12 ? string.Join(",", sequence) : string.Join(",", sequence.Take(12)) + ",...";
}
