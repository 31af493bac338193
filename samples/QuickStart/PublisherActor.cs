using System.Diagnostics;
using Akka.Actor;
using ActorProducer.Messages;

namespace ActorProducer.Samples.QuickStart;

/// <summary>
/// How a business actor publishes asynchronously: Tell <see cref="Send"/> with a correlation value and handle
/// the one reply (<see cref="SendResult"/> or <see cref="SendFailed"/>) in its own mailbox, keeping a window of
/// sends in flight instead of blocking on each.
/// </summary>
internal sealed class PublisherActor : ReceiveActor
{
    public sealed record Publish(int Count, int Window, Func<int, ProducerMessage> MessageFor, TaskCompletionSource Done);

    private readonly IActorRef _producer;
    private readonly QuickStartStats _stats;
    private readonly Action<int> _advance;
    private Publish? _job;
    private int _sent;
    private int _answered;

    public PublisherActor(IActorRef producer, QuickStartStats stats, Action<int> advance)
    {
        _producer = producer;
        _stats = stats;
        _advance = advance;
        Receive<Publish>(job =>
        {
            _job = job;
            while (_sent < job.Count && _sent - _answered < job.Window) SendNext();
        });
        Receive<SendResult>(r => Answered((long)r.Correlation!, failed: null));
        Receive<SendFailed>(f => Answered((long)f.Correlation!, f));
    }

    private void SendNext()
    {
        // The correlation travels with the send and comes back unchanged: here, when it was sent.
        _producer.Tell(new Send(_job!.MessageFor(_sent), Correlation: Stopwatch.GetTimestamp()));
        _sent++;
    }

    private void Answered(long sentAt, SendFailed? failed)
    {
        _answered++;
        _stats.Record(Stopwatch.GetElapsedTime(sentAt), failed?.Error);
        _advance(1);
        if (_sent < _job!.Count) SendNext();
        else if (_answered == _job.Count) _job.Done.TrySetResult();
    }
}
