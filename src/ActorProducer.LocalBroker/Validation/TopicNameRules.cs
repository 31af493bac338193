using System.Collections.Frozen;
using ActorProducer.LocalBroker.Server;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Validation;

/// <summary>
/// The proxy's topic check (Validators.checkTopic + TopicValidator.isSystemTopic, behavior.md §5.1):
/// failures are ILLEGAL_TOPIC. Only the name is checked; the namespace is ignored, as the open-source proxy does.
/// </summary>
internal static class TopicNameRules
{
    public const int MaxLength = 127;

    private static readonly FrozenSet<string> SystemTopics = new[]
    {
        "TBW102", "SCHEDULE_TOPIC_XXXX", "BenchmarkTest", "RMQ_SYS_TRANS_HALF_TOPIC", "RMQ_SYS_TRACE_TOPIC",
        "RMQ_SYS_TRANS_OP_HALF_TOPIC", "TRANS_CHECK_MAX_TIME_TOPIC", "SELF_TEST_TOPIC", "OFFSET_MOVED_EVENT",
        "CHECKPOINT_TOPIC",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Throws ILLEGAL_TOPIC with the proxy's message when <paramref name="topic"/> is not usable.</summary>
    public static void Validate(string topic)
    {
        var problem = Check(topic);
        if (problem is not null)
        {
            throw new ProxyException(Code.IllegalTopic, problem);
        }
    }

    /// <summary>The proxy's complaint about <paramref name="topic"/>, or null when it is fine.</summary>
    public static string? Check(string topic)
    {
        if (TextRules.IsBlank(topic))
        {
            return "The specified topic is blank.";
        }

        if (topic.Length > MaxLength)
        {
            return "The specified topic is longer than topic max length.";
        }

        foreach (var c in topic)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '%' or '|' or '_' or '-'))
            {
                return $"The specified topic[{topic}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$";
            }
        }

        return IsSystemTopic(topic) ? "cannot access system topic" : null;
    }

    public static bool IsSystemTopic(string topic) =>
        SystemTopics.Contains(topic) || topic.StartsWith("rmq_sys_", StringComparison.Ordinal);
}
