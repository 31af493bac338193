using ActorProducer.Messages;
using ActorProducer.Validation;
using Apache.Rocketmq.V2;

namespace ActorProducer.Tests.Validation;

public sealed class MessageTypesSpec
{
    private static readonly DateTimeOffset At = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, false, false, MessageType.Normal)]
    [InlineData("g", false, false, MessageType.Fifo)]
    [InlineData(null, true, false, MessageType.Delay)]
    [InlineData(null, false, true, MessageType.Transaction)]
    [InlineData("g", false, true, MessageType.Transaction)]
    [InlineData(null, true, true, MessageType.Transaction)]
    public void Type_follows_group_delivery_time_and_transaction(string? group, bool delayed, bool inTransaction, MessageType expected)
    {
        var message = ProducerMessage.Text("t", "b") with { MessageGroup = group, DeliveryTime = delayed ? At : null };
        Assert.Equal(expected, MessageTypes.Of(message, inTransaction));
    }
}
