using Akka.Actor;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>The "business actor" of a run: the producer's replies land in its mailbox and are handed to the run's callback.</summary>
public sealed class ReplyCollector : ReceiveActor
{
    public ReplyCollector(Action<object, IActorRef> onReply) => ReceiveAny(message => onReply(message, Self));

    public static Props Props(Action<object, IActorRef> onReply) => Akka.Actor.Props.Create(() => new ReplyCollector(onReply));
}
