using Akka.Actor;
using ActorProducer.Transport;

namespace ActorProducer.Actors;

/// <summary>
/// A connection actor and the transport it publishes while its stream is Ready. Senders call a published transport
/// directly — one actor hop fewer on every send — and hand calls to the actor when nothing is published (handshake or
/// reconnect in progress), where they wait until the stream is back. Only the connection actor publishes; a call that
/// races with a withdrawal simply runs on the old channel, like a call already in flight when a stream drops.
/// </summary>
internal sealed record ConnectionHandle(IActorRef Actor, ReadyTransport Ready);

/// <summary>The slot a connection actor publishes its transport in while Ready (see <see cref="ConnectionHandle"/>).</summary>
internal sealed class ReadyTransport
{
    private volatile IRocketMqTransport? _transport;

    /// <summary>The transport to call directly, or null while the connection is not Ready.</summary>
    public IRocketMqTransport? Transport => _transport;

    public void Publish(IRocketMqTransport transport) => _transport = transport;

    public void Withdraw() => _transport = null;
}
