using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorProducer.Errors;

namespace ActorProducer.Diagnostics;

/// <summary>
/// Metrics (meter <c>ActorProducer</c>) and tracing (activity source <c>ActorProducer</c>). Every instrument is
/// tagged with the client id, so several producers in one process stay apart.
/// </summary>
public static class ProducerDiagnostics
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "ActorProducer";

    /// <summary>Counter of messages the broker stored, tagged <c>client_id</c> and <c>topic</c>.</summary>
    public const string SendsInstrument = "rocketmq.producer.sends";

    /// <summary>Counter of messages that ended in failure, tagged <c>client_id</c>, <c>topic</c>, <c>kind</c> and <c>code</c>.</summary>
    public const string FailuresInstrument = "rocketmq.producer.failures";

    internal static readonly ActivitySource ActivitySource = new(Name, ClientVersion);
    private static readonly Meter Meter = new(Name, ClientVersion);

    private static readonly Counter<long> Sends = Meter.CreateCounter<long>(
        SendsInstrument, "{message}", "Messages the broker stored.");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        FailuresInstrument, "{message}", "Messages that ended in failure, by error kind and status code.");
    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "rocketmq.producer.retries", "{attempt}", "Send attempts after the first.");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>(
        "rocketmq.producer.send.duration", "ms", "Time from accepting a send to its reply.");
    private static readonly UpDownCounter<long> InFlight = Meter.CreateUpDownCounter<long>(
        "rocketmq.producer.in_flight", "{message}", "Messages accepted and not yet answered.");

    private static string ClientVersion => Transport.ClientIdentity.ClientVersion;

    internal static void Succeeded(string clientId, string topic, double elapsedMs)
    {
        var tags = new TagList { { "client_id", clientId }, { "topic", topic } };
        Sends.Add(1, tags);
        tags.Add("invocation_status", "success");
        Latency.Record(elapsedMs, tags);
    }

    internal static void Failed(string clientId, string topic, ProducerError error, double elapsedMs)
    {
        var tags = new TagList
        {
            { "client_id", clientId }, { "topic", topic }, { "kind", error.Kind.ToString() },
            { "code", error.StatusCode?.ToString() ?? "none" },
        };
        Failures.Add(1, tags);
        Latency.Record(elapsedMs, new TagList { { "client_id", clientId }, { "topic", topic }, { "invocation_status", "failure" } });
    }

    internal static void Retried(string clientId, string topic) =>
        Retries.Add(1, new TagList { { "client_id", clientId }, { "topic", topic } });

    internal static void InFlightChanged(string clientId, long delta) =>
        InFlight.Add(delta, new TagList { { "client_id", clientId } });

    /// <summary>Starts a span for one send without making it the ambient activity of the actor's thread.</summary>
    internal static Activity? StartSend(string topic, string clientId)
    {
        if (!ActivitySource.HasListeners()) return null;
        var previous = Activity.Current;
        var activity = ActivitySource.StartActivity("rocketmq.send", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "rocketmq");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.rocketmq.client_id", clientId);
        Activity.Current = previous;
        return activity;
    }
}
