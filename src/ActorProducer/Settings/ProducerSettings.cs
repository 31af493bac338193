using Akka.Configuration;
using ActorProducer.Validation;

namespace ActorProducer.Settings;

/// <summary>
/// Immutable producer settings, read from HOCON (<c>akka.rocketmq.producer</c> by default) in one place.
/// Invalid values fail with <see cref="ConfigurationException"/> naming the key and the expected form.
/// </summary>
public sealed record ProducerSettings
{
    /// <summary>The default configuration path.</summary>
    public const string DefaultPath = "akka.rocketmq.producer";

    /// <summary>Access point of the proxy (<c>endpoints</c>).</summary>
    public required AccessPoint AccessPoint { get; init; }
    /// <summary>Namespace sent as <c>x-mq-namespace</c> and in every topic resource.</summary>
    public string Namespace { get; init; } = "";
    /// <summary>Deadline of every unary RPC.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Topics validated at start.</summary>
    public IReadOnlyList<string> PreboundTopics { get; init; } = [];
    /// <summary>Use TLS towards the proxy.</summary>
    public bool TlsEnabled { get; init; }
    /// <summary>Accept any server certificate (official client behaviour).</summary>
    public bool TrustAllCertificates { get; init; } = true;
    /// <summary>Static credentials from HOCON; a <see cref="ICredentialsProvider"/> in <see cref="RocketMqProducerSetup"/> wins over them.</summary>
    public SessionCredentials? Credentials { get; init; }
    /// <summary>Attempts per send, first included.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Throttling back-off until the server pushes its own.</summary>
    internal ExponentialBackoff Backoff { get; init; } = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), 2);
    /// <summary>In-flight cap per producer.</summary>
    public int MaxInFlight { get; init; } = 10_000;
    /// <summary>Auto-batching switch.</summary>
    public bool BatchingEnabled { get; init; }
    /// <summary>Auto-batching linger.</summary>
    public TimeSpan BatchLinger { get; init; } = TimeSpan.FromMilliseconds(2);
    /// <summary>Auto-batching message cap.</summary>
    public int BatchMaxMessages { get; init; } = 64;
    /// <summary>Auto-batching body-bytes cap.</summary>
    public int BatchMaxBytes { get; init; } = 1024 * 1024;
    /// <summary>Shutdown drain timeout.</summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Heartbeat period.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Route refresh period.</summary>
    public TimeSpan RouteRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Settings re-sync period.</summary>
    public TimeSpan SettingsSyncInterval { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Extra wait for the server's settings reply, on top of the request timeout.</summary>
    public TimeSpan SettingsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Start-up attempts for prebound routes.</summary>
    public int StartupAttempts { get; init; } = 3;
    /// <summary>Reconnect back-off: first delay.</summary>
    public TimeSpan ReconnectMinBackoff { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Reconnect back-off: largest delay.</summary>
    public TimeSpan ReconnectMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Reconnect back-off: jitter fraction.</summary>
    public double ReconnectRandomFactor { get; init; } = 0.2;

    /// <summary>Time a transaction checker may take for one check before it counts as Unknown.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Checks run at the same time.</summary>
    public int MaxConcurrentChecks { get; init; } = 4;
    /// <summary>Checks waiting for a free slot; more are dropped (the broker asks again).</summary>
    public int MaxQueuedChecks { get; init; } = 1000;

    /// <summary>Time a handshake may take before the stream counts as failed.</summary>
    internal TimeSpan HandshakeDeadline => RequestTimeout + SettingsHandshakeTimeout;

    /// <summary>
    /// Upper bound of one send from acceptance to reply: a route fetch with its handshake, every attempt's
    /// timeout and the largest throttling back-off between attempts. Nothing a caller awaits outlives it.
    /// </summary>
    public TimeSpan SendDeadline =>
        HandshakeDeadline + RequestTimeout + RequestTimeout * MaxAttempts + Backoff.Max * (MaxAttempts - 1);

    /// <summary>
    /// Reads settings from <paramref name="config"/> at <paramref name="path"/>; a block other than the default
    /// (one per named producer) falls back to <c>akka.rocketmq.producer</c>, whose defaults the extension injects.
    /// </summary>
    public static ProducerSettings Create(Config config, string path = DefaultPath)
    {
        var c = config.GetConfig(path) ?? throw new ConfigurationException($"Missing configuration section '{path}'.");
        if (path != DefaultPath && config.GetConfig(DefaultPath) is { } defaults) c = c.WithFallback(defaults);
        var reader = new SettingsReader(c, path);

        var endpoints = c.GetString("endpoints", "");
        if (string.IsNullOrWhiteSpace(endpoints))
            throw new ConfigurationException(
                $"{path}.endpoints is required: the proxy access point as \"host:port\" or \"host1:port1;host2:port2\" (e.g. \"127.0.0.1:8081\").");
        AccessPoint accessPoint;
        try { accessPoint = AccessPoint.Parse(endpoints); }
        catch (FormatException e) { throw new ConfigurationException(path == DefaultPath ? e.Message : $"{path}.endpoints: {e.Message}", e); }

        var topics = c.GetStringList("topics") ?? [];
        foreach (var topic in topics)
            if (TopicName.Problem(topic) is { } problem)
                throw new ConfigurationException($"{path}.topics: {problem}");

        var accessKey = c.GetString("credentials.access-key", "");
        var secretKey = c.GetString("credentials.secret-key", "");
        var token = c.GetString("credentials.security-token", "");
        if (accessKey.Length > 0 != secretKey.Length > 0)
            throw new ConfigurationException(
                $"{path}.credentials: access-key and secret-key must be set together (got {(accessKey.Length > 0 ? "access-key only" : "secret-key only")}).");

        return new ProducerSettings
        {
            AccessPoint = accessPoint,
            Namespace = c.GetString("namespace", ""),
            RequestTimeout = reader.Positive("request-timeout"),
            PreboundTopics = topics.Distinct(StringComparer.Ordinal).ToArray(),
            TlsEnabled = c.GetBoolean("tls.enabled"),
            TrustAllCertificates = c.GetBoolean("tls.trust-all-certificates", true),
            Credentials = accessKey.Length > 0 ? new SessionCredentials(accessKey, secretKey, token.Length > 0 ? token : null) : null,
            MaxAttempts = reader.AtLeast("retry.max-attempts", 1),
            Backoff = new ExponentialBackoff(
                reader.NonNegative("retry.initial-backoff"),
                reader.NonNegative("retry.max-backoff"),
                reader.Multiplier("retry.backoff-multiplier")),
            MaxInFlight = reader.AtLeast("max-in-flight", 1),
            BatchingEnabled = c.GetBoolean("batching.enabled"),
            BatchLinger = reader.NonNegative("batching.linger"),
            BatchMaxMessages = reader.AtLeast("batching.max-messages", 1),
            BatchMaxBytes = reader.AtLeast("batching.max-bytes", 1),
            ShutdownDrainTimeout = reader.NonNegative("shutdown-drain-timeout"),
            HeartbeatInterval = reader.Positive("heartbeat-interval"),
            RouteRefreshInterval = reader.Positive("route-refresh-interval"),
            SettingsSyncInterval = reader.Positive("settings-sync-interval"),
            SettingsHandshakeTimeout = reader.NonNegative("settings-handshake-timeout"),
            StartupAttempts = reader.AtLeast("startup-attempts", 1),
            ReconnectMinBackoff = reader.Positive("reconnect.min-backoff"),
            ReconnectMaxBackoff = reader.Positive("reconnect.max-backoff"),
            ReconnectRandomFactor = reader.Fraction("reconnect.random-factor"),
            CheckTimeout = reader.Positive("transactions.check-timeout"),
            MaxConcurrentChecks = reader.AtLeast("transactions.max-concurrent-checks", 1),
            MaxQueuedChecks = reader.AtLeast("transactions.max-queued-checks", 0),
        };
    }

    /// <summary>Reads and range-checks values, failing with the full key and the expected form.</summary>
    private sealed class SettingsReader(Config config, string path)
    {
        public TimeSpan Positive(string key) => Check(key, Duration(key), d => d > TimeSpan.Zero, "a positive duration such as 3s or 500ms");
        public TimeSpan NonNegative(string key) => Check(key, Duration(key), d => d >= TimeSpan.Zero, "a duration >= 0 such as 10ms");
        public int AtLeast(string key, int min) => Check(key, Int(key), v => v >= min, $"an integer >= {min}");
        public double Multiplier(string key) => Check(key, Double(key), v => v >= 1, "a number >= 1.0");
        public double Fraction(string key) => Check(key, Double(key), v => v is >= 0 and <= 1, "a number between 0 and 1");

        private TimeSpan Duration(string key) => Read(key, () => config.GetTimeSpan(key, allowInfinite: false), "a duration such as 3s or 500ms");
        private int Int(string key) => Read(key, () => config.GetInt(key), "an integer");
        private double Double(string key) => Read(key, () => config.GetDouble(key), "a number");

        private T Read<T>(string key, Func<T> read, string expected)
        {
            if (!config.HasPath(key)) throw new ConfigurationException($"{path}.{key} is missing; expected {expected}.");
            try { return read(); }
            catch (Exception e) when (e is not ConfigurationException)
            {
                throw new ConfigurationException($"{path}.{key} = '{config.GetValue(key)}' is invalid; expected {expected}.", e);
            }
        }

        private T Check<T>(string key, T value, Func<T, bool> valid, string expected) =>
            valid(value) ? value : throw new ConfigurationException($"{path}.{key} = {value} is invalid; expected {expected}.");
    }
}
