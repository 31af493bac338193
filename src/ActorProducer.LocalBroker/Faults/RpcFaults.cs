namespace ActorProducer.LocalBroker.Faults;

/// <summary>The faults planned for one RPC. The hot path reads two volatile fields and takes no lock when nothing is planned.</summary>
internal sealed class RpcFaults
{
    private readonly Lock gate = new();
    private readonly Queue<Plan> plans = new();
    private volatile int planCount;
    private long latencyTicks;

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref latencyTicks));
        set => Volatile.Write(ref latencyTicks, value.Ticks);
    }

    /// <summary>The next <paramref name="count"/> calls fail with <paramref name="failure"/> (after earlier plans are used up).</summary>
    public void Add(PlannedFailure failure, int count)
    {
        lock (gate)
        {
            plans.Enqueue(new Plan(failure, count));
            planCount = plans.Count;
        }
    }

    /// <summary>Takes the failure planned for this call, if any.</summary>
    public PlannedFailure? TryTake()
    {
        if (planCount == 0)
        {
            return null;
        }

        lock (gate)
        {
            if (!plans.TryPeek(out var head))
            {
                return null;
            }

            if (--head.Remaining == 0)
            {
                plans.Dequeue();
                planCount = plans.Count;
            }

            return head.Failure;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            plans.Clear();
            planCount = 0;
        }

        Latency = TimeSpan.Zero;
    }

    private sealed class Plan(PlannedFailure failure, int remaining)
    {
        public PlannedFailure Failure { get; } = failure;

        public int Remaining { get; set; } = remaining;
    }
}
