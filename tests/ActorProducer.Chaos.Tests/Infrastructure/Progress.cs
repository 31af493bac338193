namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>Counts started sends and releases fault steps waiting for a count; <see cref="Finish"/> releases the rest.</summary>
public sealed class Progress
{
    private readonly Lock _gate = new();
    private readonly List<(int Threshold, TaskCompletionSource<bool> Reached)> _waiters = [];
    private int _started;
    private bool _finished;

    public int Started => Volatile.Read(ref _started);

    public void SendStarted()
    {
        var started = Interlocked.Increment(ref _started);
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Threshold <= started)
                {
                    _waiters[i].Reached.TrySetResult(true);
                    _waiters.RemoveAt(i);
                }
        }
    }

    /// <summary>True once <paramref name="threshold"/> sends have started; false if the traffic ended first.</summary>
    public Task<bool> Reached(int threshold)
    {
        lock (_gate)
        {
            if (Started >= threshold) return Task.FromResult(true);
            if (_finished) return Task.FromResult(false);
            var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((threshold, waiter));
            return waiter.Task;
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            _finished = true;
            foreach (var (_, reached) in _waiters) reached.TrySetResult(false);
            _waiters.Clear();
        }
    }
}
