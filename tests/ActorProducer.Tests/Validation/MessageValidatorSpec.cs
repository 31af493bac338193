using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Validation;

namespace ActorProducer.Tests.Validation;

public sealed class MessageValidatorSpec
{
    private const int FourMiB = 4 * 1024 * 1024;
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ProducerMessage Valid => ProducerMessage.Text("orders", "hello");

    private static ProducerMessage WithBody(int bytes) => new("orders", new byte[bytes]);

    private static Dictionary<string, string> Properties(int count, string value = "v") =>
        Enumerable.Range(0, count).ToDictionary(i => $"k{i}", _ => value);

    private static ProducerError? Check(ProducerMessage message, int maxBodySize = FourMiB) =>
        MessageValidator.Validate(message, maxBodySize, Now);

    private static void AssertInvalid(ProducerError? error, string field, string fragment)
    {
        Assert.NotNull(error);
        Assert.Equal(ProducerErrorKind.InvalidMessage, error.Kind);
        Assert.False(error.IsRetryable);
        Assert.Null(error.StatusCode);
        Assert.Equal(field, error.Field);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    // ---- messages that pass: every limit at its boundary ----

    private static readonly Dictionary<string, ProducerMessage> AcceptedCases = new()
    {
        ["plain text"] = Valid,
        ["topic of 127 characters"] = Valid with { Topic = new string('t', 127) },
        ["body of 1 byte"] = WithBody(1),
        ["body of exactly max_body_size"] = WithBody(FourMiB),
        ["tag"] = Valid with { Tag = "TagA" },
        ["tag with a non-breaking space inside"] = Valid with { Tag = "a\u00A0b" },
        ["keys"] = Valid with { Keys = ["k1", "order-42"] },
        ["no keys"] = Valid with { Keys = [] },
        ["128 properties"] = Valid with { Properties = Properties(128) },
        ["lower-case spelling of a reserved key"] = Valid with { Properties = new Dictionary<string, string> { ["keys"] = "v" } },
        ["properties, tag and keys of exactly 16384 bytes"] = Valid with
        {
            Tag = "tt",
            Keys = ["kk"],
            Properties = new Dictionary<string, string> { ["p"] = new string('v', 16384 - 2 - 2 - 1) },
        },
        ["message group of 63 bytes"] = Valid with { MessageGroup = new string('g', 63) },
        ["message group of 21 three-byte characters (63 bytes)"] = Valid with { MessageGroup = new string('€', 21) },
        ["delivery time exactly one day ahead"] = Valid with { DeliveryTime = Now.AddDays(1) },
        ["delivery time in the past"] = Valid with { DeliveryTime = Now.AddYears(-1) },
    };

    public static TheoryData<string> Accepted => [.. AcceptedCases.Keys];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepts(string @case) => Assert.Null(Check(AcceptedCases[@case]));

    // ---- messages that fail: field and the words of the message ----

    private static readonly Dictionary<string, (ProducerMessage Message, string Field, string Fragment)> RejectedCases = new()
    {
        ["empty topic"] = (Valid with { Topic = "" }, "Topic", "Topic is empty"),
        ["topic of 128 characters"] = (Valid with { Topic = new string('t', 128) }, "Topic", "the limit is 127"),
        ["topic with a dot"] = (Valid with { Topic = "a.b" }, "Topic", "allowed characters are [%a-zA-Z0-9_-]"),
        ["topic with a bar"] = (Valid with { Topic = "a|b" }, "Topic", "'|'"),
        ["system topic"] = (Valid with { Topic = "RMQ_SYS_TRACE_TOPIC" }, "Topic", "system topic"),
        ["system topic prefix"] = (Valid with { Topic = "rmq_sys_x" }, "Topic", "system topic"),
        ["empty body"] = (WithBody(0), "Body", "Body is empty"),
        ["body one byte over max_body_size"] = (WithBody(FourMiB + 1), "Body",
            "Body is 4194305 bytes; the server's limit is 4194304 bytes (max_body_size from settings sync)"),
        ["empty tag"] = (Valid with { Tag = "" }, "Tag", "blank"),
        ["whitespace tag"] = (Valid with { Tag = " \t" }, "Tag", "blank"),
        ["tag with a bar"] = (Valid with { Tag = "a|b" }, "Tag", "contains '|'"),
        ["tag with U+0000"] = (Valid with { Tag = "a\u0000" }, "Tag", "control character at index 1"),
        ["tag with U+001F"] = (Valid with { Tag = "a\u001F" }, "Tag", "control character"),
        ["tag with U+007F"] = (Valid with { Tag = "\u007Fa" }, "Tag", "control character at index 0"),
        ["tag with U+009F"] = (Valid with { Tag = "a\u009F" }, "Tag", "control character"),
        ["empty key"] = (Valid with { Keys = ["ok", ""] }, "Keys", "Key at index 1"),
        ["whitespace key"] = (Valid with { Keys = ["  "] }, "Keys", "must not be blank"),
        ["null key"] = (Valid with { Keys = [null!] }, "Keys", "Key at index 0 is null"),
        ["key with a newline"] = (Valid with { Keys = ["a\nb"] }, "Keys", "control character at index 1"),
        ["129 properties"] = (Valid with { Properties = Properties(129) }, "Properties", "has 129 properties; the limit is 128"),
        ["blank property key"] = (Valid with { Properties = new Dictionary<string, string> { [" "] = "v" } }, "Properties", "blank"),
        ["blank property value"] = (Valid with { Properties = new Dictionary<string, string> { ["k"] = " " } }, "Properties", "blank value"),
        ["empty property value"] = (Valid with { Properties = new Dictionary<string, string> { ["k"] = "" } }, "Properties", "blank value"),
        ["control character in a property key"] = (Valid with { Properties = new Dictionary<string, string> { ["k\u0001"] = "v" } }, "Properties", "control character"),
        ["control character in a property value"] = (Valid with { Properties = new Dictionary<string, string> { ["k"] = "v\u0085" } }, "Properties", "control character"),
        ["properties, tag and keys of 16385 bytes"] = (Valid with
        {
            Tag = "tt",
            Keys = ["kk"],
            Properties = new Dictionary<string, string> { ["p"] = new string('v', 16384 - 2 - 2) },
        }, "Properties", "take 16385 UTF-8 bytes; the server's limit is 16384 bytes"),
        ["property bytes counted in UTF-8"] = (Valid with
        {
            Properties = new Dictionary<string, string> { ["p"] = new string('é', 8192) }, // 2 bytes each
        }, "Properties", "take 16385 UTF-8 bytes"),
        ["blank message group"] = (Valid with { MessageGroup = " " }, "MessageGroup", "blank"),
        ["empty message group"] = (Valid with { MessageGroup = "" }, "MessageGroup", "blank"),
        ["message group with a control character"] = (Valid with { MessageGroup = "g\u0007" }, "MessageGroup", "control character"),
        ["message group of 64 bytes"] = (Valid with { MessageGroup = new string('g', 64) }, "MessageGroup", "is 64 UTF-8 bytes; the limit is 63 bytes"),
        ["message group of 22 three-byte characters (66 bytes)"] = (Valid with { MessageGroup = new string('€', 22) }, "MessageGroup", "is 66 UTF-8 bytes"),
        ["delivery time one tick over a day ahead"] = (Valid with { DeliveryTime = Now.AddDays(1).AddTicks(1) }, "DeliveryTime", "the server's limit is 24 hours"),
        ["delivery time a week ahead"] = (Valid with { DeliveryTime = Now.AddDays(7) }, "DeliveryTime", "is 168 hours ahead"),
        ["message group and delivery time"] = (Valid with { MessageGroup = "g", DeliveryTime = Now.AddHours(1) }, "DeliveryTime", "either FIFO (group) or delayed"),
    };

    public static TheoryData<string> Rejected => [.. RejectedCases.Keys];

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Rejects(string @case)
    {
        var (message, field, fragment) = RejectedCases[@case];
        AssertInvalid(Check(message), field, fragment);
    }

    public static TheoryData<string> ReservedKeys => [.. MessageValidator.ReservedPropertyKeys];

    [Theory]
    [MemberData(nameof(ReservedKeys))]
    public void Rejects_reserved_property_key(string key) =>
        AssertInvalid(Check(Valid with { Properties = new Dictionary<string, string> { [key] = "v" } }), "Properties", $"'{key}' is reserved");

    [Theory]
    [InlineData(1000, 1000)]
    [InlineData(1000, 1001)]
    [InlineData(1, 2)]
    public void Body_limit_is_the_given_max_body_size(int limit, int bodySize)
    {
        var error = Check(WithBody(bodySize), limit);
        if (bodySize <= limit) Assert.Null(error);
        else AssertInvalid(error, "Body", $"the server's limit is {limit} bytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_missing_max_body_size_falls_back_to_4_MiB(int limit)
    {
        Assert.Null(Check(WithBody(FourMiB), limit));
        AssertInvalid(Check(WithBody(FourMiB + 1), limit), "Body", "the server's limit is 4194304 bytes");
    }

    [Fact]
    public void Long_values_are_cut_in_messages()
    {
        var error = Check(Valid with { Topic = new string('t', 1000) });
        Assert.NotNull(error);
        Assert.Contains("(1000 characters)", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Fact]
    public void Control_characters_are_shown_escaped_in_messages()
    {
        var error = Check(Valid with { Tag = "a\u0001" });
        Assert.NotNull(error);
        Assert.Contains("'a\\u0001'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_public_overload_uses_the_current_time()
    {
        Assert.Null(MessageValidator.Validate(Valid with { DeliveryTime = DateTimeOffset.UtcNow.AddHours(23) }, FourMiB));
        Assert.NotNull(MessageValidator.Validate(Valid with { DeliveryTime = DateTimeOffset.UtcNow.AddHours(25) }, FourMiB));
    }

    // ---- transactional messages ----

    [Fact]
    public void Transactional_message_without_group_or_delivery_time_is_accepted() =>
        Assert.Null(MessageValidator.ValidateTransactional(Valid with { Tag = "t", Keys = ["k"] }, FourMiB, Now));

    [Theory]
    [InlineData(true, false, "MessageGroup", "cannot be FIFO")]
    [InlineData(false, true, "DeliveryTime", "cannot be delayed")]
    [InlineData(true, true, "MessageGroup", "cannot be FIFO")]
    public void Transactional_message_must_not_set_group_or_delivery_time(bool group, bool delayed, string field, string fragment)
    {
        var message = Valid with { MessageGroup = group ? "g" : null, DeliveryTime = delayed ? Now.AddMinutes(1) : null };
        AssertInvalid(MessageValidator.ValidateTransactional(message, FourMiB, Now), field, fragment);
    }

    [Fact]
    public void Transactional_message_gets_the_normal_checks_too() =>
        AssertInvalid(MessageValidator.ValidateTransactional(WithBody(0), FourMiB, Now), "Body", "Body is empty");

    // ---- batches ----

    private static ProducerError? CheckBatch(params ProducerMessage[] messages) =>
        MessageValidator.ValidateBatch(messages, FourMiB, Now);

    [Fact]
    public void Batch_of_one_topic_and_type_is_accepted() =>
        Assert.Null(CheckBatch(Valid, Valid with { Tag = "b" }, Valid with { Keys = ["k"] }));

    [Fact]
    public void FIFO_batch_of_one_group_is_accepted() =>
        Assert.Null(CheckBatch(Valid with { MessageGroup = "g" }, Valid with { MessageGroup = "g" }));

    [Fact]
    public void Delay_batch_with_different_delivery_times_is_accepted() =>
        Assert.Null(CheckBatch(Valid with { DeliveryTime = Now.AddMinutes(1) }, Valid with { DeliveryTime = Now.AddMinutes(2) }));

    [Fact]
    public void Empty_batch_is_rejected()
    {
        AssertInvalid(MessageValidator.ValidateBatch([], FourMiB, Now), "Messages", "The batch is empty");
        AssertInvalid(MessageValidator.ValidateBatch(null!, FourMiB), "Messages", "The batch is empty");
    }

    [Fact]
    public void Batch_names_the_index_of_an_invalid_message() =>
        AssertInvalid(CheckBatch(Valid, Valid, WithBody(0)), "Body", "Message at index 2 of the batch of 3: Body is empty");

    [Fact]
    public void Batch_names_the_index_of_a_null_message() =>
        AssertInvalid(CheckBatch(Valid, null!), "Messages", "Message at index 1 of the batch of 2 is null");

    [Fact]
    public void Batch_to_two_topics_is_rejected() =>
        AssertInvalid(CheckBatch(Valid, Valid with { Topic = "other" }), "Topic",
            "Message at index 1 of the batch of 2 has topic 'other' but message 0 has 'orders'");

    [Theory]
    [InlineData("g", null, "is a NORMAL message but message 0 is FIFO")]
    [InlineData(null, "g", "is a FIFO message but message 0 is NORMAL")]
    public void Batch_of_two_message_types_is_rejected(string? firstGroup, string? secondGroup, string fragment)
    {
        var error = CheckBatch(Valid with { MessageGroup = firstGroup }, Valid with { MessageGroup = secondGroup });
        AssertInvalid(error, "Messages", "one message type");
        Assert.Contains(fragment, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_of_normal_and_delay_messages_is_rejected() =>
        AssertInvalid(CheckBatch(Valid, Valid with { DeliveryTime = Now.AddMinutes(1) }), "Messages", "index 1");

    [Fact]
    public void FIFO_batch_of_two_groups_is_rejected() =>
        AssertInvalid(CheckBatch(Valid with { MessageGroup = "a" }, Valid with { MessageGroup = "b" }), "MessageGroup",
            "has message group 'b' but message 0 has 'a'");
}
