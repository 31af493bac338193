using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorProducer.Diagnostics;
using ActorProducer.Errors;

namespace ActorProducer.Hosting;

/// <summary>
/// Listens to the producer's own metrics (meter <see cref="ProducerDiagnostics.Name"/>) and keeps, per client id,
/// when a send last succeeded and when one last failed because the cluster could not be reached
/// (<see cref="ProducerErrorKind.Unavailable"/> / <see cref="ProducerErrorKind.Timeout"/>). The readiness check
/// reads it: the producer runtime exposes no connection state of its own, and what sends experience is what
/// readiness is about. One listener per process; recording costs a dictionary lookup on the sending thread.
/// </summary>
internal sealed class ProducerActivityMonitor : IDisposable
{
    private static readonly Lazy<ProducerActivityMonitor> Shared = new(() => new ProducerActivityMonitor());

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, ClientActivity> _clients = new(StringComparer.Ordinal);

    private ProducerActivityMonitor()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ProducerDiagnostics.Name && instrument.Name is ProducerDiagnostics.SendsInstrument or ProducerDiagnostics.FailuresInstrument)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public static ProducerActivityMonitor Instance => Shared.Value;

    /// <summary>What sends of <paramref name="clientId"/> experienced so far (all null before the first send).</summary>
    public ClientActivity For(string clientId) => _clients.GetOrAdd(clientId, _ => new ClientActivity());

    /// <summary>Drops the record of a stopped producer.</summary>
    public void Forget(string clientId) => _clients.TryRemove(clientId, out _);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? clientId = null, kind = null, code = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "client_id": clientId = tag.Value as string; break;
                case "kind": kind = tag.Value as string; break;
                case "code": code = tag.Value as string; break;
            }
        }
        if (clientId is null || !_clients.TryGetValue(clientId, out var activity)) return; // not a hosted producer
        if (instrument.Name == ProducerDiagnostics.SendsInstrument) activity.Succeeded();
        else if (kind is nameof(ProducerErrorKind.Unavailable) or nameof(ProducerErrorKind.Timeout)) activity.Unreachable(kind, code);
    }
}

/// <summary>Last success and last connectivity failure of one producer's sends.</summary>
internal sealed class ClientActivity
{
    private readonly object _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastUnreachable;
    private string? _lastUnreachableKind;

    public (DateTimeOffset? LastSuccess, DateTimeOffset? LastUnreachable, string? Kind) Snapshot()
    {
        lock (_gate) return (_lastSuccess, _lastUnreachable, _lastUnreachableKind);
    }

    internal void Succeeded()
    {
        lock (_gate) _lastSuccess = DateTimeOffset.UtcNow;
    }

    internal void Unreachable(string kind, string? code)
    {
        lock (_gate)
        {
            _lastUnreachable = DateTimeOffset.UtcNow;
            _lastUnreachableKind = code is null or "none" ? kind : $"{kind} ({code})";
        }
    }
}
