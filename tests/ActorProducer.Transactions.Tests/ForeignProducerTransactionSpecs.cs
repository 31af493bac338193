using System.IO.Compression;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Testing;
using ActorProducer.Transactions.Tests.Infrastructure;
using Apache.Rocketmq.V2;
using Google.Protobuf;
using Xunit.Abstractions;
using Resolution = ActorProducer.Transactions.TransactionResolution;

namespace ActorProducer.Transactions.Tests;

/// <summary>
/// Half messages that another client sent (here a raw gRPC client from ActorProducer.Testing): with gRPC the producer
/// group is the topic, so our checker is asked about them and must be shown the message as that client sent it
/// (behavior.md §6.4, §9 #14).
/// </summary>
public sealed class ForeignProducerTransactionSpecs(ITestOutputHelper output) : TransactionSpec(output)
{
    [Fact]
    public async Task Should_resolve_a_half_message_another_client_sent_with_our_checker()
    {
        var topic = NewTopic();
        var checker = RecordingChecker.FromStore(new Dictionary<string, Resolution> { ["foreign-1"] = Resolution.Commit });
        await using var producer = await StartProducerAsync([topic], checker);
        using var foreign = Broker.Connect();
        var message = TestMessage.To(topic).AsTransaction().WithKeys("foreign-1").WithTag("created").WithProperty("origin", "raw").WithBody("from elsewhere");

        var entry = RocketMqAssert.Accepted(await foreign.SendAsync(message));
        var record = await WaitUntilResolvedAsync(entry.TransactionId);

        Assert.Equal((TransactionState.Committed, TransactionSource.SourceServerCheck), (record.State, record.ResolvedBy!.Value));
        var view = Assert.Single(checker.Checks);
        Assert.Equal((message.MessageId, entry.TransactionId, topic, "created", "raw"),
            (view.MessageId, view.TransactionId, view.Topic, view.Tag, view.Properties["origin"]));
        Assert.Equal("from elsewhere", System.Text.Encoding.UTF8.GetString(view.Body.Span));
        Assert.Equal(producer.ClientId, Assert.Single(Requests("EndTransaction")).ClientId);
    }

    [Fact]
    public async Task Should_show_the_checker_the_decompressed_body_of_a_GZIP_encoded_half_message()
    {
        var topic = NewTopic();
        var checker = RecordingChecker.Answering(Resolution.Commit);
        await using var producer = await StartProducerAsync([topic], checker);
        using var foreign = Broker.Connect();
        var body = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("order 42 created; ", 400)));
        var message = TestMessage.To(topic).AsTransaction().WithKeys("foreign-2")
            .Mutate(m =>
            {
                m.Body = ByteString.CopyFrom(Gzip(body));
                m.SystemProperties.BodyEncoding = Apache.Rocketmq.V2.Encoding.Gzip;
            });

        var entry = RocketMqAssert.Accepted(await foreign.SendAsync(message));
        await WaitUntilResolvedAsync(entry.TransactionId);

        // As the official clients' MessageView does (Java MessageViewImpl): the checker reads the body, not its encoding.
        Assert.Equal(body, Assert.Single(checker.Checks).Body.ToArray());
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(data);
        return buffer.ToArray();
    }
}
