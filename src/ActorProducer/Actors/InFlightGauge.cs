using ActorProducer.Diagnostics;

namespace ActorProducer.Actors;

/// <summary>
/// Messages accepted and not yet answered, for the in-flight cap and the shutdown drain. The producer actor adds when
/// it accepts a send; senders subtract after they replied. Shared (atomically) instead of a message per reply to the
/// producer actor, which every send already passes through once. While draining, the sender whose reply empties the
/// gauge is told so, and tells the producer (<see cref="TopicSenderActor.InFlightDrained"/>).
/// </summary>
internal sealed class InFlightGauge(string clientId)
{
    private int _count;
    private int _draining;

    public int Count => Volatile.Read(ref _count);

    public void Add(int messages)
    {
        Interlocked.Add(ref _count, messages);
        ProducerDiagnostics.InFlightChanged(clientId, messages);
    }

    /// <summary>Subtracts answered messages; true when this emptied the gauge of a draining producer.</summary>
    public bool Remove(int messages)
    {
        var left = Interlocked.Add(ref _count, -messages);
        ProducerDiagnostics.InFlightChanged(clientId, -messages);
        // Interlocked.Add is a full fence: either StartDraining sees our decrement, or we see its flag.
        return left == 0 && Volatile.Read(ref _draining) == 1;
    }

    /// <summary>From now on the last reply reports the drain; true when nothing is in flight already.</summary>
    public bool StartDraining()
    {
        Interlocked.Exchange(ref _draining, 1);
        return Count == 0;
    }
}
