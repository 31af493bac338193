using ActorProducer.Validation;

namespace ActorProducer.Tests.Validation;

public sealed class TopicNameSpec
{
    [Theory]
    [InlineData("orders")]
    [InlineData("a")]
    [InlineData("Orders_2024-eu")]
    [InlineData("ns%orders")]
    [InlineData("0")]
    [InlineData("TBW1020")]
    [InlineData("RMQ_SYS_x")] // the prefix rule is lower-case only
    public void Accepts_names_of_the_allowed_characters(string topic) =>
        Assert.Null(TopicName.Problem(topic));

    [Fact]
    public void Accepts_exactly_127_characters() =>
        Assert.Null(TopicName.Problem(new string('t', 127)));

    [Fact]
    public void Rejects_128_characters_naming_the_limit()
    {
        var problem = TopicName.Problem(new string('t', 128));
        Assert.NotNull(problem);
        Assert.Contains("128 characters", problem, StringComparison.Ordinal);
        Assert.Contains("127", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("a b", "' ' at index 1")]
    [InlineData("a|b", "'|' at index 1")] // the proxy allows '|', the official clients do not
    [InlineData("a.b", "'.' at index 1")]
    [InlineData("тема", "at index 0")]
    [InlineData("orders\n", "'\\u000A' at index 6")]
    public void Rejects_empty_names_and_other_characters(string? topic, string expected)
    {
        var problem = TopicName.Problem(topic);
        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TBW102")]
    [InlineData("SCHEDULE_TOPIC_XXXX")]
    [InlineData("BenchmarkTest")]
    [InlineData("RMQ_SYS_TRANS_HALF_TOPIC")]
    [InlineData("RMQ_SYS_TRACE_TOPIC")]
    [InlineData("RMQ_SYS_TRANS_OP_HALF_TOPIC")]
    [InlineData("TRANS_CHECK_MAX_TIME_TOPIC")]
    [InlineData("SELF_TEST_TOPIC")]
    [InlineData("OFFSET_MOVED_EVENT")]
    [InlineData("CHECKPOINT_TOPIC")]
    [InlineData("rmq_sys_anything")]
    public void Rejects_system_topics(string topic) =>
        Assert.Contains("system topic", TopicName.Problem(topic), StringComparison.Ordinal);
}
