using ActorProducer.Errors;

namespace ActorProducer.Samples.QuickStart;

/// <summary>Per-message latencies and failures across all phases.</summary>
internal sealed class QuickStartStats
{
    private readonly object _gate = new();
    private readonly List<double> _latenciesMs = [];
    private readonly Dictionary<string, int> _failures = [];

    public int Succeeded { get; private set; }
    public int Failed { get; private set; }
    public IReadOnlyDictionary<string, int> FailuresByKind => _failures;

    public void Record(TimeSpan latency, ProducerError? error)
    {
        lock (_gate)
        {
            _latenciesMs.Add(latency.TotalMilliseconds);
            if (error is null) { Succeeded++; return; }
            Failed++;
            var key = error.StatusCode is { } code ? $"{error.Kind} {code}" : error.Kind.ToString();
            _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }
    }

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_latenciesMs.Count == 0) return 0;
            var sorted = _latenciesMs.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }
}
