using ActorProducer.Testing;
using Apache.Rocketmq.V2;
using Google.Protobuf;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>SendMessage validation rules and codes, one rule at a time (behavior.md §5.1, §7.3).</summary>
public sealed class SendMessageValidationTests(LocalBrokerFixture fixture) : IClassFixture<LocalBrokerFixture>, IDisposable
{
    private const int FourMiB = 4 * 1024 * 1024;

    private readonly RocketMqTestClient client = fixture.NewClient();

    public static TheoryData<string> IllegalTopicNames => new()
    {
        "",
        " ",
        "has space",
        "slash/topic",
        "dot.topic",
        "colon:topic",
        "caf\u00e9",
        "tab\ttopic",
        new string('a', 128),
    };

    public static TheoryData<string> SystemTopics => new()
    {
        "TBW102",
        "SCHEDULE_TOPIC_XXXX",
        "BenchmarkTest",
        "RMQ_SYS_TRANS_HALF_TOPIC",
        "RMQ_SYS_TRACE_TOPIC",
        "RMQ_SYS_TRANS_OP_HALF_TOPIC",
        "TRANS_CHECK_MAX_TIME_TOPIC",
        "SELF_TEST_TOPIC",
        "OFFSET_MOVED_EVENT",
        "CHECKPOINT_TOPIC",
        "rmq_sys_anything",
    };

    public static TheoryData<string> ReservedPropertyKeys => new()
    {
        "TRACE_ON", "MSG_REGION", "KEYS", "TAGS", "WAIT", "DELAY", "RETRY_TOPIC", "REAL_TOPIC", "REAL_QID",
        "TRAN_MSG", "PGROUP", "MIN_OFFSET", "MAX_OFFSET", "BUYER_ID", "ORIGIN_MESSAGE_ID", "TRANSFER_FLAG",
        "CORRECTION_FLAG", "RECONSUME_TIME", "UNIQ_KEY", "MAX_RECONSUME_TIMES", "CONSUME_START_TIME",
        "POP_CK", "POP_CK_OFFSET", "1ST_POP_TIME", "TRAN_PREPARED_QUEUE_OFFSET", "DUP_INFO",
        "EXTEND_UNIQ_INFO", "INSTANCE_ID", "CORRELATION_ID", "REPLY_TO_CLIENT", "TTL", "ARRIVE_TIME",
        "PUSH_REPLY_TIME", "CLUSTER", "MSG_TYPE", "INNER_MULTI_QUEUE_OFFSET", "TIMER_DELAY_MS",
        "TIMER_DELAY_SEC", "TIMER_DELIVER_MS", "TIMER_ENQUEUE_MS", "TIMER_DEQUEUE_MS", "TIMER_ROLL_TIMES",
        "TIMER_OUT_MS", "TIMER_DEL_UNIQKEY", "TIMER_DELAY_LEVEL", "__BORNHOST", "BORN_TIMESTAMP",
        "DLQ_ORIGIN_TOPIC", "DLQ_ORIGIN_MESSAGE_ID",
    };

    /// <summary>Java's <c>CharMatcher.javaIsoControl()</c>: U+0000–U+001F and U+007F–U+009F.</summary>
    public static TheoryData<string> ControlCharacters => new() { "\u0000", "\u0001", "\t", "\n", "\u001f", "\u007f", "\u0085", "\u009f" };

    // --- 1: no messages -------------------------------------------------------------------------------

    [Fact]
    public async Task SendMessage_without_messages_answers_MESSAGE_CORRUPTED()
    {
        var response = await client.SendAsync(new SendMessageRequest());

        RocketMqAssert.Rejected(Code.MessageCorrupted, response);
    }

    // --- 2: topic ---------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(IllegalTopicNames))]
    public async Task SendMessage_to_illegal_topic_name_answers_ILLEGAL_TOPIC(string topic)
    {
        var response = await client.SendAsync(TestMessage.To(topic));

        RocketMqAssert.Rejected(Code.IllegalTopic, response);
    }

    [Theory]
    [MemberData(nameof(SystemTopics))]
    public async Task SendMessage_to_system_topic_answers_ILLEGAL_TOPIC(string topic)
    {
        var response = await client.SendAsync(TestMessage.To(topic));

        RocketMqAssert.Rejected(Code.IllegalTopic, response);
    }

    [Fact]
    public async Task SendMessage_to_existing_topic_of_127_characters_is_accepted()
    {
        var topic = TopicNames.Unique("long");
        topic += new string('x', 127 - topic.Length);
        fixture.Broker.AddTopic(new TopicDefinition(topic));

        var entry = RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));

        Assert.Equal(127, topic.Length);
        Assert.NotEmpty(entry.MessageId);
    }

    [Fact]
    public async Task SendMessage_to_topic_with_percent_and_pipe_characters_is_accepted()
    {
        var topic = "ns%" + TopicNames.Unique("pipe") + "|x";
        fixture.Broker.AddTopic(new TopicDefinition(topic));

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic)));
    }

    [Fact]
    public async Task SendMessage_to_unknown_topic_answers_MESSAGE_PROPERTY_CONFLICT_WITH_TYPE_not_TOPIC_NOT_FOUND()
    {
        var response = await client.SendAsync(TestMessage.To(TopicNames.Unique("missing")));

        RocketMqAssert.Rejected(Code.MessagePropertyConflictWithType, response);
    }

    // --- 4, 5: body -------------------------------------------------------------------------------------

    [Fact]
    public async Task SendMessage_with_empty_body_answers_MESSAGE_BODY_EMPTY()
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithBody([]));

        RocketMqAssert.Rejected(Code.MessageBodyEmpty, response);
    }

    [Fact]
    public async Task SendMessage_with_body_of_exactly_4_MiB_is_accepted_with_default_limit()
    {
        var topic = fixture.CreateTopic();

        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithBodySize(FourMiB)));

        Assert.Equal(FourMiB, Assert.Single(fixture.Broker.Inspect.Messages(topic)).Body.Length);
    }

    [Fact]
    public async Task SendMessage_with_body_over_max_size_answers_MESSAGE_BODY_TOO_LARGE()
    {
        var topic = fixture.CreateTopic();

        var response = await client.SendAsync(TestMessage.To(topic).WithBodySize(FourMiB + 1));

        RocketMqAssert.Rejected(Code.MessageBodyTooLarge, response);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task SendMessage_body_limit_follows_configured_MaxBodySize()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.MaxBodySize = 1024);
        using var small = broker.Connect();
        var topic = broker.CreateTopic();

        RocketMqAssert.Accepted(await small.SendAsync(TestMessage.To(topic).WithBodySize(1024)));
        RocketMqAssert.Rejected(Code.MessageBodyTooLarge, await small.SendAsync(TestMessage.To(topic).WithBodySize(1025)));
    }

    // --- 6, 7: user properties --------------------------------------------------------------------------

    [Fact]
    public async Task SendMessage_with_128_user_properties_is_accepted()
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperties(Properties(128)));

        RocketMqAssert.Accepted(response);
    }

    [Fact]
    public async Task SendMessage_with_129_user_properties_answers_MESSAGE_PROPERTIES_TOO_LARGE()
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperties(Properties(129)));

        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, response);
    }

    [Theory]
    [MemberData(nameof(ReservedPropertyKeys))]
    public async Task SendMessage_with_reserved_property_key_answers_ILLEGAL_MESSAGE_PROPERTY_KEY(string key)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperty(key, "v"));

        RocketMqAssert.Rejected(Code.IllegalMessagePropertyKey, response);
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task SendMessage_with_control_character_in_property_key_answers_ILLEGAL_MESSAGE_PROPERTY_KEY(string control)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperty("key" + control, "v"));

        RocketMqAssert.Rejected(Code.IllegalMessagePropertyKey, response);
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task SendMessage_with_control_character_in_property_value_answers_ILLEGAL_MESSAGE_PROPERTY_KEY(string control)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithProperty("key", "va" + control + "lue"));

        RocketMqAssert.Rejected(Code.IllegalMessagePropertyKey, response);
    }

    [Fact]
    public async Task SendMessage_with_non_control_unicode_in_properties_is_accepted()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic()).WithProperty("cl\u00e9", "\u00a0non-breaking \u4e2d\u6587"));

        RocketMqAssert.Accepted(response);
    }

    // --- 8: tag -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("a|b")]
    [InlineData("|")]
    [InlineData("tag\u0001")]
    [InlineData("tag\n")]
    [InlineData("tag\u0085")]
    public async Task SendMessage_with_illegal_tag_answers_ILLEGAL_MESSAGE_TAG(string tag)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithTag(tag));

        RocketMqAssert.Rejected(Code.IllegalMessageTag, response);
    }

    [Fact]
    public async Task SendMessage_with_ordinary_tag_is_accepted()
    {
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithTag("TagA-1 with space")));
    }

    // --- 9: keys ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(" ")]
    [InlineData("key\u0007")]
    [InlineData("\u007f")]
    public async Task SendMessage_with_illegal_key_answers_ILLEGAL_MESSAGE_KEY(string key)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithKeys("good-key", key));

        RocketMqAssert.Rejected(Code.IllegalMessageKey, response);
    }

    [Fact]
    public async Task SendMessage_with_several_keys_is_accepted()
    {
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithKeys("k1", "k2", "order 42")));
    }

    // --- 10: total property size ------------------------------------------------------------------------

    [Fact]
    public async Task SendMessage_with_properties_of_exactly_16384_bytes_is_accepted()
    {
        var message = TestMessage.To(fixture.CreateTopic()).WithProperty("k", TestStrings.Ascii(16383));

        RocketMqAssert.Accepted(await client.SendAsync(message));
    }

    [Fact]
    public async Task SendMessage_with_properties_of_16385_bytes_answers_MESSAGE_PROPERTIES_TOO_LARGE()
    {
        var message = TestMessage.To(fixture.CreateTopic()).WithProperty("k", TestStrings.Ascii(16384));

        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, await client.SendAsync(message));
    }

    [Fact]
    public async Task SendMessage_property_size_is_counted_in_UTF8_bytes_not_characters()
    {
        var topic = fixture.CreateTopic();

        // 1 + 8191 × 2 + 1 = 16384 bytes in 8193 characters: accepted.
        var atLimit = TestMessage.To(topic).WithProperty("k", TestStrings.TwoByteChars(8191) + "a");
        // 1 + 8192 × 2 = 16385 bytes in only 8193 characters: refused.
        var overLimit = TestMessage.To(topic).WithProperty("k", TestStrings.TwoByteChars(8192));

        RocketMqAssert.Accepted(await client.SendAsync(atLimit));
        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, await client.SendAsync(overLimit));
    }

    [Fact]
    public async Task SendMessage_property_size_includes_tag_and_keys()
    {
        var topic = fixture.CreateTopic();

        // properties 1 + 16283 = 16284, tag 60, keys 40 + 1 → 16385 bytes.
        var overLimit = TestMessage.To(topic)
            .WithProperty("k", TestStrings.Ascii(16283))
            .WithTag(TestStrings.Ascii(60, 't'))
            .WithKeys(TestStrings.Ascii(40, 'a'), "b");
        var atLimit = TestMessage.To(topic)
            .WithProperty("k", TestStrings.Ascii(16283))
            .WithTag(TestStrings.Ascii(60, 't'))
            .WithKeys(TestStrings.Ascii(40, 'a'));

        RocketMqAssert.Rejected(Code.MessagePropertiesTooLarge, await client.SendAsync(overLimit));
        RocketMqAssert.Accepted(await client.SendAsync(atLimit));
    }

    // --- 11: message id ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task SendMessage_with_blank_message_id_answers_ILLEGAL_MESSAGE_ID(string messageId)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithMessageId(messageId));

        RocketMqAssert.Rejected(Code.IllegalMessageId, response);
    }

    [Fact]
    public async Task SendMessage_without_system_properties_answers_ILLEGAL_MESSAGE_ID()
    {
        var message = new Message
        {
            Topic = new Resource { Name = fixture.CreateTopic() },
            Body = ByteString.CopyFromUtf8("body"),
        };

        RocketMqAssert.Rejected(Code.IllegalMessageId, await client.SendAsync(message));
    }

    [Fact]
    public async Task SendMessage_keeps_a_legacy_message_id_of_any_length()
    {
        var entry = RocketMqAssert.Accepted(
            await client.SendAsync(TestMessage.To(fixture.CreateTopic()).WithMessageId("legacy-id-42")));

        Assert.Equal("legacy-id-42", entry.MessageId);
    }

    // --- 12: transaction recovery duration --------------------------------------------------------------

    [Fact]
    public async Task SendMessage_transaction_with_recovery_duration_over_3600_seconds_answers_BAD_REQUEST()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var response = await client.SendAsync(TestMessage.To(topic).AsTransaction(TimeSpan.FromSeconds(3601)));

        RocketMqAssert.Rejected(Code.BadRequest, response);
        Assert.Empty(fixture.Broker.Inspect.HalfMessages(topic));
    }

    [Fact]
    public async Task SendMessage_transaction_with_recovery_duration_of_3600_seconds_is_accepted()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Transaction);

        var entry = RocketMqAssert.Accepted(
            await client.SendAsync(TestMessage.To(topic).AsTransaction(TimeSpan.FromSeconds(3600))));

        Assert.NotEmpty(entry.TransactionId);
    }

    // --- 13: delivery time ------------------------------------------------------------------------------

    [Fact]
    public async Task SendMessage_with_delivery_time_over_one_day_ahead_answers_ILLEGAL_DELIVERY_TIME()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Delay);

        var response = await client.SendAsync(
            TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(1) + TimeSpan.FromSeconds(30)));

        RocketMqAssert.Rejected(Code.IllegalDeliveryTime, response);
    }

    [Fact]
    public async Task SendMessage_with_delivery_time_just_under_one_day_ahead_is_accepted()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Delay);

        var response = await client.SendAsync(
            TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(1) - TimeSpan.FromSeconds(30)));

        RocketMqAssert.Accepted(response);
        Assert.Empty(fixture.Broker.Inspect.DeliverableMessages(topic));
    }

    [Fact]
    public async Task SendMessage_delivery_limit_follows_configured_MaxDelay()
    {
        await using var broker = await TestBrokers.StartAsync(o => o.MaxDelay = TimeSpan.FromHours(1));
        using var shortDelay = broker.Connect();
        var topic = broker.CreateTopic(TopicMessageType.Delay);

        RocketMqAssert.Accepted(await shortDelay.SendAsync(TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow.AddMinutes(59))));
        RocketMqAssert.Rejected(
            Code.IllegalDeliveryTime,
            await shortDelay.SendAsync(TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow.AddMinutes(61))));
    }

    [Fact]
    public async Task SendMessage_with_delivery_time_in_the_past_is_accepted_and_deliverable_now()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Delay);
        var message = TestMessage.To(topic).DeliverAt(DateTimeOffset.UtcNow.AddHours(-1));

        RocketMqAssert.Accepted(await client.SendAsync(message));

        Assert.Equal(message.MessageId, Assert.Single(fixture.Broker.Inspect.DeliverableMessages(topic)).MessageId);
    }

    // --- 14: message group ------------------------------------------------------------------------------

    [Theory]
    [InlineData(" ")]
    [InlineData("group\u0001")]
    [InlineData("group\u009f")]
    public async Task SendMessage_with_illegal_message_group_answers_ILLEGAL_MESSAGE_GROUP(string group)
    {
        var response = await client.SendAsync(TestMessage.To(fixture.CreateTopic(TopicMessageType.Fifo)).WithGroup(group));

        RocketMqAssert.Rejected(Code.IllegalMessageGroup, response);
    }

    [Fact]
    public async Task SendMessage_with_message_group_of_63_bytes_is_accepted()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic(TopicMessageType.Fifo)).WithGroup(TestStrings.Ascii(63, 'g')));

        RocketMqAssert.Accepted(response);
    }

    [Fact]
    public async Task SendMessage_with_message_group_of_64_bytes_answers_ILLEGAL_MESSAGE_GROUP()
    {
        var response = await client.SendAsync(
            TestMessage.To(fixture.CreateTopic(TopicMessageType.Fifo)).WithGroup(TestStrings.Ascii(64, 'g')));

        RocketMqAssert.Rejected(Code.IllegalMessageGroup, response);
    }

    [Fact]
    public async Task SendMessage_message_group_length_is_counted_in_UTF8_bytes()
    {
        var topic = fixture.CreateTopic(TopicMessageType.Fifo);

        // 31 × 2 + 1 = 63 bytes (32 chars) is fine; 32 × 2 = 64 bytes (32 chars) is not.
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(topic).WithGroup(TestStrings.TwoByteChars(31) + "a")));
        RocketMqAssert.Rejected(
            Code.IllegalMessageGroup,
            await client.SendAsync(TestMessage.To(topic).WithGroup(TestStrings.TwoByteChars(32))));
    }

    // --- 16: permissions --------------------------------------------------------------------------------

    [Theory]
    [InlineData(Permission.Read)]
    [InlineData(Permission.None)]
    public async Task SendMessage_to_topic_without_writable_queue_answers_FORBIDDEN(Permission permission)
    {
        var topic = fixture.CreateTopic(permission: permission);

        var response = await client.SendAsync(TestMessage.To(topic));

        RocketMqAssert.Rejected(Code.Forbidden, response);
        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    [Fact]
    public async Task SendMessage_to_write_only_topic_is_accepted()
    {
        RocketMqAssert.Accepted(await client.SendAsync(TestMessage.To(fixture.CreateTopic(permission: Permission.Write))));
    }

    // --- success shape ----------------------------------------------------------------------------------

    [Fact]
    public async Task SendMessage_success_echoes_the_client_message_id_and_answers_status_message_OK()
    {
        var message = TestMessage.To(fixture.CreateTopic());

        var response = await client.SendAsync(message);

        var entry = RocketMqAssert.Accepted(response);
        Assert.Equal(message.MessageId, entry.MessageId);
        Assert.Equal("OK", response.Status.Message);
        Assert.Empty(entry.TransactionId);
        Assert.Empty(entry.RecallHandle);
    }

    [Fact]
    public async Task SendMessage_refusal_stores_nothing()
    {
        var topic = fixture.CreateTopic();

        RocketMqAssert.Rejected(Code.IllegalMessageTag, await client.SendAsync(TestMessage.To(topic).WithTag("a|b")));

        Assert.Empty(fixture.Broker.Inspect.Messages(topic));
    }

    private static IEnumerable<KeyValuePair<string, string>> Properties(int count)
        => Enumerable.Range(0, count).Select(i => KeyValuePair.Create($"p{i}", $"v{i}"));

    public void Dispose() => client.Dispose();
}
