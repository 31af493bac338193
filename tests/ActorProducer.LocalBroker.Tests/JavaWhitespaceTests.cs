using ActorProducer.Testing;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>
/// "Blank" in the proxy is commons-lang <c>StringUtils.isBlank</c>, i.e. Java's <c>Character.isWhitespace</c>:
/// unlike .NET's <c>char.IsWhiteSpace</c> it does not count the no-break spaces U+00A0, U+2007, U+202F (nor U+0085),
/// and it does count U+001C–U+001F. These cases tell the two apart (behavior.md §5.1, §6.3, §7.3).
/// </summary>
public sealed class JavaWhitespaceTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>
{
    private readonly RocketMqTestClient client = fixture.NewClient();

    public static TheoryData<string> NoBreakSpaces => new() { "\u00a0", "\u2007", "\u202f" };

    public static TheoryData<string> JavaWhitespace => new() { "\u3000", "\u2003", "\u2028", " \t " };

    [Theory]
    [MemberData(nameof(NoBreakSpaces))]
    public async Task SendMessage_with_a_tag_of_no_break_spaces_is_accepted(string space)
    {
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithTag(space + space)));
    }

    [Theory]
    [MemberData(nameof(JavaWhitespace))]
    public async Task SendMessage_with_a_tag_of_Java_whitespace_answers_ILLEGAL_MESSAGE_TAG(string space)
    {
        RocketMqAssert.Rejected(Code.IllegalMessageTag, await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithTag(space)));
    }

    [Theory]
    [MemberData(nameof(NoBreakSpaces))]
    public async Task SendMessage_with_a_key_of_a_no_break_space_is_accepted(string space)
    {
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithKeys(space)));
    }

    [Theory]
    [MemberData(nameof(NoBreakSpaces))]
    public async Task SendMessage_with_a_message_group_of_a_no_break_space_is_accepted(string space)
    {
        var topic = fixture.CreateTopic(TopicMessageType.Fifo);

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithGroup(space)));
    }

    [Fact]
    public async Task SendMessage_with_a_message_id_of_a_no_break_space_is_accepted_and_kept()
    {
        var topic = fixture.CreateTopic();

        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithMessageId("\u00a0")));

        Assert.Equal("\u00a0", entry.MessageId);
    }

    [Theory]
    [InlineData("\u001c")]
    [InlineData("\u001f")]
    public async Task SendMessage_with_a_message_id_of_an_information_separator_answers_ILLEGAL_MESSAGE_ID(string separator)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithMessageId(separator));

        RocketMqAssert.Rejected(Code.IllegalMessageId, response);
    }

    [Fact]
    public async Task EndTransaction_with_a_no_break_space_transaction_id_is_not_blank_and_answers_INTERNAL_SERVER_ERROR()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var response = await client.EndTransactionAsync(topic, MessageIds.New(), "\u00a0", TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.InternalServerError, response.Status);
    }

    [Fact]
    public async Task EndTransaction_with_an_information_separator_transaction_id_answers_INVALID_TRANSACTION_ID()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var response = await client.EndTransactionAsync(topic, MessageIds.New(), "\u001e", TransactionResolution.Commit);

        RocketMqAssert.HasCode(Code.InvalidTransactionId, response.Status);
    }
}
