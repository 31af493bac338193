using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorProducer.Diagnostics;
using ActorProducer.Errors;
using ActorProducer.LocalBroker.Faults;
using Apache.Rocketmq.V2;
using Xunit.Abstractions;
using static ActorProducer.Tests.Fakes.TestMessages;

namespace ActorProducer.Tests.Integration;

/// <summary>The meter and the activity source report what happened to each send, tagged with the producer's client id.</summary>
public sealed class DiagnosticsSpecs(ITestOutputHelper output) : LocalBrokerTestKit(output)
{
    /// <summary>Measurements of one producer (other tests run in parallel with their own client ids).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;
        private string? _clientId;

        public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();
        public ConcurrentQueue<Activity> Sends { get; } = new();

        public Recorder()
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ProducerDiagnostics.Name) listener.EnableMeasurementEvents(instrument);
            };
            _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _meters.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ProducerDiagnostics.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if (_clientId is not null && (string?)a.GetTagItem("messaging.rocketmq.client_id") == _clientId) Sends.Enqueue(a);
                },
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public void Follow(string clientId) => _clientId = clientId;

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var all = new Dictionary<string, object?>();
            foreach (var (key, tagValue) in tags) all[key] = tagValue;
            if (_clientId is not null && (string?)all.GetValueOrDefault("client_id") == _clientId) Measurements.Enqueue((instrument.Name, value, all));
        }

        public double Sum(string instrument, Func<Dictionary<string, object?>, bool>? where = null) =>
            Measurements.Where(m => m.Instrument == instrument && (where?.Invoke(m.Tags) ?? true)).Sum(m => m.Value);

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }
    }

    [Fact]
    public async Task Should_count_sends_retries_and_failures_by_code_record_latency_and_balance_in_flight()
    {
        using var recorder = new Recorder();
        var topic = NewTopic();
        await using var producer = await StartProducerAsync();
        recorder.Follow(producer.ClientId);

        await producer.SendAsync(Message(topic, "ok"));
        Broker.Faults.FailNext(BrokerRpc.SendMessage, 1, Code.InternalServerError);
        await producer.SendAsync(Message(topic, "ok after a retry"));
        Broker.Faults.FailNext(BrokerRpc.SendMessage, 1, Code.Forbidden);
        var failed = await Assert.ThrowsAsync<RocketMqProducerException>(() => producer.SendAsync(Message(topic, "refused")));

        await AwaitAssertAsync(() =>
        {
            Assert.Equal(2, recorder.Sum("rocketmq.producer.sends"));
            Assert.Equal(1, recorder.Sum("rocketmq.producer.retries"));
            Assert.Equal(1, recorder.Sum("rocketmq.producer.failures", t => (string?)t["code"] == nameof(Code.Forbidden)));
            Assert.Equal(3, recorder.Measurements.Count(m => m.Instrument == "rocketmq.producer.send.duration"));
            Assert.Equal(0, recorder.Sum("rocketmq.producer.in_flight"));
            Assert.Equal(3, recorder.Sends.Count);
        });
        Assert.Equal(ProducerErrorKind.Unauthorized, failed.Error.Kind);
        Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Unset, ActivityStatusCode.Error], recorder.Sends.Select(a => a.Status));
        Assert.All(recorder.Sends, a => Assert.Equal(topic, a.GetTagItem("messaging.destination.name")));
    }
}
