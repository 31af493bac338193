using System.Collections.Concurrent;
using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Topics;

/// <summary>
/// The topics LocalBroker serves, keyed by name only: the open-source proxy ignores the Resource namespace and
/// x-mq-namespace for topic lookup (behavior.md §5.1), so does LocalBroker.
/// </summary>
internal sealed class TopicRegistry(IReadOnlyList<SimulatedBroker> brokers, LocalBrokerOptions options)
{
    private readonly ConcurrentDictionary<string, TopicState> topics = new(StringComparer.Ordinal);

    public void Add(TopicDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problem = TopicNameRules.Check(definition.Name);
        if (problem is not null)
        {
            throw new ArgumentException($"topic '{definition.Name}': {problem}", nameof(definition));
        }

        if (definition.QueueCount <= 0)
        {
            throw new ArgumentException($"topic '{definition.Name}': QueueCount must be positive", nameof(definition));
        }

        if (definition.Permission == Permission.Unspecified || !Enum.IsDefined(definition.Permission)
            || !Enum.IsDefined(definition.Type))
        {
            throw new ArgumentException($"topic '{definition.Name}': permission and type must be concrete values", nameof(definition));
        }

        if (!topics.TryAdd(definition.Name, Create(definition)))
        {
            throw new InvalidOperationException($"topic '{definition.Name}' already exists");
        }
    }

    public TopicState? Find(string name) => topics.GetValueOrDefault(name);

    /// <summary>The topic, created as NORMAL if unknown and <see cref="LocalBrokerOptions.AutoCreateTopics"/> is on.</summary>
    public TopicState? FindOrAutoCreate(string name) =>
        Find(name) ?? (options.AutoCreateTopics ? topics.GetOrAdd(name, n => Create(new TopicDefinition(n))) : null);

    private TopicState Create(TopicDefinition definition) => new(definition, brokers, options.MaxMessagesPerQueue);
}
