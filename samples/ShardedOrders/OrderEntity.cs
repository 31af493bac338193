using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using ActorProducer.Messages;

namespace ActorProducer.Samples.ShardedOrders;

/// <summary>
/// One order, as a sharded entity. It publishes each event through the node-local producer it was given (never
/// one of its own, never another node's), with the order id as FIFO message group: the producer keeps the
/// group's order even with many sends in flight. Sends are Told with a correlation id; the one reply per send
/// (<see cref="SendResult"/> / <see cref="SendFailed"/>) comes back to this entity's mailbox, where it is matched
/// to the command and answered. On hand-off it finishes its in-flight sends before stopping, so the next
/// incarnation (maybe on another node) cannot overtake them.
/// </summary>
public sealed class OrderEntity : ReceiveActor
{
    /// <summary>The hand-off stop message (<c>ShardOptions.HandOffStopMessage</c>).</summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }

    private sealed record Pending(IActorRef ReplyTo, RecordOrderEvent Command);

    private readonly string _orderId;
    private readonly IActorRef _producer;
    private readonly string _topic;
    private readonly string _node;
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public OrderEntity(string orderId, IActorRef producer, string topic, string node)
    {
        _orderId = orderId;
        _producer = producer;
        _topic = topic;
        _node = node;
        Active();
    }

    /// <summary>Props for one order entity; <paramref name="producer"/> is the node-local producer actor.</summary>
    public static Props Props(string orderId, IActorRef producer, string topic, string node) =>
        Akka.Actor.Props.Create(() => new OrderEntity(orderId, producer, topic, node));

    private void Active()
    {
        Receive<RecordOrderEvent>(Publish);
        Receive<SendResult>(Published);
        Receive<SendFailed>(Failed);
        Receive<Stop>(_ =>
        {
            if (_pending.Count == 0)
            {
                Context.Stop(Self);
                return;
            }
            _log.Info("order {0} handing off with {1} event(s) in flight; stopping once they are answered", _orderId, _pending.Count);
            Context.System.EventStream.Publish(new OrderHandOffDeferred(_orderId, _pending.Count));
            Become(Stopping);
        });
    }

    private void Stopping()
    {
        Receive<SendResult>(r =>
        {
            Published(r);
            StopWhenDrained();
        });
        Receive<SendFailed>(f =>
        {
            Failed(f);
            StopWhenDrained();
        });
        // Sharding buffers commands during a hand-off; one reaching us now was routed before it began.
        Receive<RecordOrderEvent>(c => Sender.Tell(new OrderEventRejected(c.OrderId, c.Sequence, "the order is moving to another node; send it again")));
        Receive<Stop>(_ => { });
    }

    private void Publish(RecordOrderEvent command)
    {
        var correlation = $"{_orderId}/{command.Sequence}";
        _pending[correlation] = new Pending(Sender, command);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { orderId = _orderId, sequence = command.Sequence, kind = command.Kind });
        var message = new ProducerMessage(_topic, body)
        {
            MessageGroup = _orderId,
            Tag = command.Kind,
            Keys = [_orderId],
            Properties = new Dictionary<string, string>
            {
                ["sequence"] = command.Sequence.ToString(CultureInfo.InvariantCulture),
                ["node"] = _node,
            },
        };
        _producer.Tell(new Send(message, correlation)); // the reply comes back to Self
    }

    private void Published(SendResult result)
    {
        if (Take(result.Correlation) is not { } pending) return;
        pending.ReplyTo.Tell(new OrderEventPublished(_orderId, pending.Command.Sequence, result.MessageId, result.BrokerName,
            result.QueueId, result.Offset, _node));
    }

    private void Failed(SendFailed failed)
    {
        if (Take(failed.Correlation) is not { } pending) return;
        _log.Warning("order {0} event {1} was not published: {2}", _orderId, pending.Command.Sequence, failed.Error);
        pending.ReplyTo.Tell(new OrderEventRejected(_orderId, pending.Command.Sequence, failed.Error.ToString()));
    }

    private Pending? Take(object? correlation) =>
        correlation is string id && _pending.Remove(id, out var pending) ? pending : null;

    private void StopWhenDrained()
    {
        if (_pending.Count == 0) Context.Stop(Self);
    }
}
