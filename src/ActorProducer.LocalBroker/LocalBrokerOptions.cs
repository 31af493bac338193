using System.Net;

namespace ActorProducer.LocalBroker;

/// <summary>The message type of a topic, as the real cluster's <c>message.type</c> topic attribute.</summary>
public enum TopicMessageType
{
    Normal,
    Fifo,
    Delay,
    Transaction,
    /// <summary>Accepts NORMAL, FIFO, DELAY and TRANSACTION messages.</summary>
    Mixed,
}

/// <summary>A topic served by LocalBroker: name, message type and write queue count per simulated broker.</summary>
/// <param name="Name">Topic name (proxy rules: 1..127 chars of <c>[%|a-zA-Z0-9_-]</c>).</param>
/// <param name="Type">Message type; decides the route's accept_message_types and the proxy's type check.</param>
/// <param name="QueueCount">Queues per simulated broker (READ_WRITE unless <see cref="Permission"/> says otherwise).</param>
/// <param name="Permission">Permission of the topic's queues; a topic with no writable queue answers FORBIDDEN on send.</param>
public sealed record TopicDefinition(
    string Name,
    TopicMessageType Type = TopicMessageType.Normal,
    int QueueCount = 4,
    Apache.Rocketmq.V2.Permission Permission = Apache.Rocketmq.V2.Permission.ReadWrite)
{
    /// <summary>Parses the CLI form <c>name[:TYPE[:queues]]</c>, e.g. <c>orders:FIFO:8</c> (TYPE is case-insensitive).</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static TopicDefinition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length > 3 || parts[0].Length == 0)
        {
            throw new FormatException($"topic '{text}' is not of the form name[:TYPE[:queues]], e.g. orders:FIFO:8");
        }

        var type = TopicMessageType.Normal;
        if (parts.Length > 1 && (!Enum.TryParse(parts[1], ignoreCase: true, out type) || !Enum.IsDefined(type)))
        {
            throw new FormatException(
                $"topic '{text}': unknown type '{parts[1]}' (expected NORMAL, FIFO, DELAY, TRANSACTION or MIXED)");
        }

        var queues = 4;
        if (parts.Length > 2 && (!int.TryParse(parts[2], out queues) || queues <= 0))
        {
            throw new FormatException($"topic '{text}': queue count '{parts[2]}' must be a positive integer");
        }

        return new TopicDefinition(parts[0], type, queues);
    }
}

/// <summary>When and how often LocalBroker checks orphaned half messages (broker defaults: 6 s, 30 s, 15).</summary>
/// <param name="FirstCheckAfter">Age of an unresolved half message before the first check (broker <c>transactionTimeOut</c>).</param>
/// <param name="CheckInterval">Delay between two checks of the same half message (broker <c>transactionCheckInterval</c>).</param>
/// <param name="MaxChecks">Checks before the half message is discarded as rolled back (broker <c>transactionCheckMax</c>).</param>
/// <param name="TransactionDataTtl">How long the proxy accepts EndTransaction after the send or the last check (proxy: 30 s).</param>
public sealed record TransactionCheckPolicy(
    TimeSpan FirstCheckAfter,
    TimeSpan CheckInterval,
    int MaxChecks,
    TimeSpan TransactionDataTtl)
{
    public static TransactionCheckPolicy Default { get; } =
        new(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(30), 15, TimeSpan.FromSeconds(30));
}

/// <summary>The producer back-off the proxy pushes in its Settings reply (proxy defaults: 3 attempts, 10 ms → 1 s, ×2).</summary>
public sealed record ServerBackoffPolicy(int MaxAttempts, TimeSpan Initial, TimeSpan Max, float Multiplier)
{
    public static ServerBackoffPolicy Default { get; } = new(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), 2f);
}

/// <summary>Configuration of one LocalBroker instance. Defaults match the RocketMQ 5.3 proxy.</summary>
public sealed class LocalBrokerOptions
{
    /// <summary>Address to listen on; loopback by default.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Port of the access point (and of broker-0). 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Number of simulated brokers (broker-0, broker-1, ...). Each has its own port: broker-0 listens on
    /// <see cref="Port"/>, the others on free ports, and routes name each broker's own endpoints,
    /// as a cluster of proxies in local mode does.
    /// </summary>
    public int BrokerCount { get; set; } = 1;

    /// <summary>Topics that exist at start.</summary>
    public IList<TopicDefinition> Topics { get; } = new List<TopicDefinition>();

    /// <summary>Create unknown topics (NORMAL) on first QueryRoute/SendMessage. The real proxy never does; off by default.</summary>
    public bool AutoCreateTopics { get; set; }

    /// <summary>
    /// Messages kept per queue (and per broker's half-message log); when a queue grows past it, its oldest messages
    /// leave the store (offsets keep counting), so long benchmarks run in bounded memory. 0 keeps everything.
    /// Read when a topic is created.
    /// </summary>
    public int MaxMessagesPerQueue { get; set; } = 100_000;

    /// <summary>Largest accepted body (proxy <c>maxMessageSize</c>, 4 MiB); pushed to clients in Settings.</summary>
    public int MaxBodySize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Proxy <c>enableTopicMessageTypeCheck</c>: check message type against topic type; pushed to clients.</summary>
    public bool ValidateMessageType { get; set; } = true;

    /// <summary>Latest accepted delivery time, relative to now (proxy <c>maxDelayTimeMills</c>, 1 day).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Back-off policy pushed to producers in the Settings reply.</summary>
    public ServerBackoffPolicy Backoff { get; set; } = ServerBackoffPolicy.Default;

    /// <summary>Orphaned-transaction check schedule.</summary>
    public TransactionCheckPolicy TransactionChecks { get; set; } = TransactionCheckPolicy.Default;

    /// <summary>
    /// Users (access key → secret). When non-empty, authentication is on and every request must be signed
    /// (MQv2-HMAC-SHA1 over x-mq-date-time); failures answer UNAUTHORIZED (40100).
    /// </summary>
    public IDictionary<string, string> Users { get; } = new Dictionary<string, string>();

    /// <summary>Serve TLS with a self-signed certificate generated at start (clients must not verify it).</summary>
    public bool UseTls { get; set; }

    /// <summary>
    /// Clock used for store timestamps, delivery times, transaction-data expiry and the orphaned-transaction check
    /// timers. Tests can pass a fake one (e.g. <c>FakeTimeProvider</c>) to run the check schedule without waiting.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Minimum level of ASP.NET Core / Kestrel logging written to the console (Warning keeps it quiet).</summary>
    public Microsoft.Extensions.Logging.LogLevel MinimumLogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Warning;
}
