namespace ActorProducer.Validation;

/// <summary>
/// Topic name rules (behavior.md §5.1): the official clients' character set <c>[%a-zA-Z0-9_-]</c>, the proxy's
/// 127-character limit, and no system topic. Shared by message validation and prebound-topic settings.
/// </summary>
internal static class TopicName
{
    public const int MaxLength = 127;

    private const string SystemTopicPrefix = "rmq_sys_";

    private static readonly HashSet<string> SystemTopics = new(StringComparer.Ordinal)
    {
        "TBW102", "SCHEDULE_TOPIC_XXXX", "BenchmarkTest", "RMQ_SYS_TRANS_HALF_TOPIC", "RMQ_SYS_TRACE_TOPIC",
        "RMQ_SYS_TRANS_OP_HALF_TOPIC", "TRANS_CHECK_MAX_TIME_TOPIC", "SELF_TEST_TOPIC", "OFFSET_MOVED_EVENT",
        "CHECKPOINT_TOPIC",
    };

    /// <summary>Null when <paramref name="topic"/> is a usable topic name; otherwise what is wrong with it and what is allowed.</summary>
    public static string? Problem(string? topic)
    {
        if (string.IsNullOrEmpty(topic)) return "Topic is empty; give the name of an existing topic";
        if (topic.Length > MaxLength)
            return $"Topic {Text.Quote(topic)} is {topic.Length} characters; the limit is {MaxLength}";
        for (var i = 0; i < topic.Length; i++)
        {
            if (!IsAllowed(topic[i]))
                return $"Topic {Text.Quote(topic)} contains {Text.Quote(topic[i].ToString())} at index {i}; allowed characters are [%a-zA-Z0-9_-]";
        }
        if (IsSystemTopic(topic))
            return $"Topic {Text.Quote(topic)} is a RocketMQ system topic; clients cannot send to it";
        return null;
    }

    /// <summary>True for the server's reserved topics (fixed names and the <c>rmq_sys_</c> prefix).</summary>
    public static bool IsSystemTopic(string topic) =>
        SystemTopics.Contains(topic) || topic.StartsWith(SystemTopicPrefix, StringComparison.Ordinal);

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '%' or '_' or '-';
}
