using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using ActorProducer.Settings;
using ActorProducer.Transactions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorProducer.Hosting;

/// <summary>
/// Akka.Hosting options of one producer. Every value is optional: only what is set is written to HOCON
/// (prepended, in the producer's own block <c>akka.rocketmq.producers.{Name}</c>); everything else falls back to
/// <c>akka.rocketmq.producer</c> — your application's HOCON, then the defaults of <c>reference.conf</c>.
/// Objects HOCON cannot hold (<see cref="CredentialsProvider"/>, <see cref="HttpHandlerFactory"/>,
/// <see cref="TransactionChecker"/>, <see cref="TransactionCheckerProps"/>) become a <see cref="RocketMqProducerSetup"/>
/// for this producer.
/// </summary>
public sealed partial class RocketMqProducerOptions
{
    /// <summary>Name of the default producer (registry key <see cref="RocketMqProducerActor"/>).</summary>
    public const string DefaultName = "default";

    /// <summary>Parent path of the per-producer HOCON blocks written by these options.</summary>
    public const string ProducersPath = "akka.rocketmq.producers";

    /// <summary>
    /// Identifier of the producer: its actor is <c>/system/rocketmq-producer-{Name}</c> and its HOCON block
    /// <c>akka.rocketmq.producers.{Name}</c>. Letters, digits, '-' and '_'. Unset: <c>default</c> for
    /// <see cref="RocketMqProducerActor"/>, the key type's name for <c>WithRocketMqProducer&lt;TKey&gt;</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary><c>endpoints</c>: the proxy access point, <c>host:port</c> or <c>host1:port1;host2:port2</c>.</summary>
    public string? Endpoints { get; set; }

    /// <summary><c>namespace</c>: sent as <c>x-mq-namespace</c> and in every topic resource.</summary>
    public string? Namespace { get; set; }

    /// <summary><c>request-timeout</c>: deadline of every RPC.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary><c>topics</c>: prebound topics, whose routes are validated at start (required for transactions).</summary>
    public IList<string>? Topics { get; set; }

    /// <summary><c>credentials.*</c>: static access key, secret and optional security token (written to HOCON).</summary>
    public SessionCredentials? Credentials { get; set; }

    /// <summary><c>max-in-flight</c>: sends accepted but not yet answered; past it sends are refused with Overloaded.</summary>
    public int? MaxInFlight { get; set; }

    /// <summary><c>shutdown-drain-timeout</c>: how long in-flight sends may take to finish on shutdown.</summary>
    public TimeSpan? ShutdownDrainTimeout { get; set; }

    /// <summary><c>heartbeat-interval</c>.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary><c>route-refresh-interval</c>.</summary>
    public TimeSpan? RouteRefreshInterval { get; set; }

    /// <summary><c>settings-sync-interval</c>.</summary>
    public TimeSpan? SettingsSyncInterval { get; set; }

    /// <summary><c>settings-handshake-timeout</c>.</summary>
    public TimeSpan? SettingsHandshakeTimeout { get; set; }

    /// <summary><c>startup-attempts</c>: tries to load the routes of prebound topics before start-up fails.</summary>
    public int? StartupAttempts { get; set; }

    /// <summary><c>tls.*</c>.</summary>
    public RocketMqTlsOptions Tls { get; } = new();

    /// <summary><c>retry.*</c>.</summary>
    public RocketMqRetryOptions Retry { get; } = new();

    /// <summary><c>batching.*</c>.</summary>
    public RocketMqBatchingOptions Batching { get; } = new();

    /// <summary><c>reconnect.*</c>.</summary>
    public RocketMqReconnectOptions Reconnect { get; } = new();

    /// <summary><c>transactions.*</c>: limits of the transaction checker.</summary>
    public RocketMqTransactionOptions Transactions { get; } = new();

    /// <summary>Credentials consulted on every request (rotation); wins over <see cref="Credentials"/>. Goes to the Setup.</summary>
    public ICredentialsProvider? CredentialsProvider { get; set; }

    /// <summary>Creates the HTTP handler of each gRPC channel (proxy, client certificate, custom TLS validation). Goes to the Setup.</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; set; }

    /// <summary>Answers the broker's transaction checks; required to begin transactions. Goes to the Setup.</summary>
    public ITransactionChecker? TransactionChecker { get; set; }

    /// <summary>Alternative to <see cref="TransactionChecker"/>: an actor answering <see cref="CheckTransaction"/>. Goes to the Setup.</summary>
    public Props? TransactionCheckerProps { get; set; }

    /// <summary>The readiness health check registered for this producer.</summary>
    public RocketMqProducerHealthCheckOptions HealthCheck { get; } = new();

    /// <summary>The HOCON block path of the producer named <paramref name="name"/>.</summary>
    public static string ConfigPathOf(string name) => $"{ProducersPath}.{ValidName(name)}";

    /// <summary>
    /// The HOCON these options write for the producer <see cref="Name"/> (or <c>default</c>): only the keys that
    /// are set, under <c>akka.rocketmq.producers.{name}</c>. Empty when nothing is set.
    /// </summary>
    public Config ToConfig() => ToConfig(Name ?? DefaultName);

    /// <summary>The HOCON these options write for the producer named <paramref name="name"/>.</summary>
    public Config ToConfig(string name)
    {
        var hocon = ToHocon(name);
        return hocon.Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(hocon);
    }

    /// <summary>The HOCON text of <see cref="ToConfig(string)"/>; empty when nothing is set.</summary>
    public string ToHocon(string name)
    {
        var body = new StringBuilder();
        Key(body, "endpoints", Endpoints);
        Key(body, "namespace", Namespace);
        Key(body, "request-timeout", RequestTimeout);
        if (Topics is not null) body.Append("topics = [").AppendJoin(", ", Topics.Select(Quote)).AppendLine("]");
        if (Credentials is { } credentials)
        {
            Key(body, "credentials.access-key", credentials.AccessKey);
            Key(body, "credentials.secret-key", credentials.AccessSecret);
            Key(body, "credentials.security-token", credentials.SecurityToken);
        }
        Key(body, "max-in-flight", MaxInFlight);
        Key(body, "shutdown-drain-timeout", ShutdownDrainTimeout);
        Key(body, "heartbeat-interval", HeartbeatInterval);
        Key(body, "route-refresh-interval", RouteRefreshInterval);
        Key(body, "settings-sync-interval", SettingsSyncInterval);
        Key(body, "settings-handshake-timeout", SettingsHandshakeTimeout);
        Key(body, "startup-attempts", StartupAttempts);
        Key(body, "tls.enabled", Tls.Enabled);
        Key(body, "tls.trust-all-certificates", Tls.TrustAllCertificates);
        Key(body, "retry.max-attempts", Retry.MaxAttempts);
        Key(body, "retry.initial-backoff", Retry.InitialBackoff);
        Key(body, "retry.max-backoff", Retry.MaxBackoff);
        Key(body, "retry.backoff-multiplier", Retry.BackoffMultiplier);
        Key(body, "batching.enabled", Batching.Enabled);
        Key(body, "batching.linger", Batching.Linger);
        Key(body, "batching.max-messages", Batching.MaxMessages);
        Key(body, "batching.max-bytes", Batching.MaxBytes);
        Key(body, "reconnect.min-backoff", Reconnect.MinBackoff);
        Key(body, "reconnect.max-backoff", Reconnect.MaxBackoff);
        Key(body, "reconnect.random-factor", Reconnect.RandomFactor);
        Key(body, "transactions.check-timeout", Transactions.CheckTimeout);
        Key(body, "transactions.max-concurrent-checks", Transactions.MaxConcurrentChecks);
        Key(body, "transactions.max-queued-checks", Transactions.MaxQueuedChecks);
        if (body.Length == 0) return "";
        return $"{ConfigPathOf(name)} {{\n{body}}}\n";
    }

    /// <summary>
    /// The Setup carrying the objects HOCON cannot hold, or null when none is set (the producer then uses a
    /// <see cref="RocketMqProducerSetup"/> added to the actor system, if any).
    /// </summary>
    public RocketMqProducerSetup? ToSetup() =>
        CredentialsProvider is null && HttpHandlerFactory is null && TransactionChecker is null && TransactionCheckerProps is null
            ? null
            : new RocketMqProducerSetup
            {
                CredentialsProvider = CredentialsProvider,
                HttpHandlerFactory = HttpHandlerFactory,
                TransactionChecker = TransactionChecker,
                TransactionCheckerProps = TransactionCheckerProps,
            };

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> can name an actor and a HOCON key.</summary>
    internal static string ValidName(string name) =>
        NamePattern().IsMatch(name)
            ? name
            : throw new ArgumentException(
                $"RocketMQ producer name '{name}' is invalid: use 1..64 letters, digits, '-' or '_' (it names the actor and the HOCON block).",
                nameof(name));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    private static void Key(StringBuilder body, string key, string? value)
    {
        if (value is not null) body.Append(key).Append(" = ").AppendLine(Quote(value));
    }

    private static void Key(StringBuilder body, string key, TimeSpan? value)
    {
        if (value is { } v) body.Append(key).Append(" = ").AppendLine(Duration(v));
    }

    private static void Key(StringBuilder body, string key, int? value)
    {
        if (value is { } v) body.Append(key).Append(" = ").AppendLine(v.ToString(CultureInfo.InvariantCulture));
    }

    private static void Key(StringBuilder body, string key, double? value)
    {
        if (value is { } v) body.Append(key).Append(" = ").AppendLine(v.ToString("0.0###############", CultureInfo.InvariantCulture));
    }

    private static void Key(StringBuilder body, string key, bool? value)
    {
        if (value is { } v) body.Append(key).Append(" = ").AppendLine(v ? "on" : "off");
    }

    /// <summary>Whole milliseconds when exact (the readable form), microseconds otherwise.</summary>
    private static string Duration(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms"
            : $"{value.Ticks / 10}micros"; // Akka's HOCON reads "micros", not "us"

    private static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}

/// <summary><c>tls.*</c> of <see cref="RocketMqProducerOptions"/>.</summary>
public sealed class RocketMqTlsOptions
{
    /// <summary><c>tls.enabled</c>: use TLS towards the proxy.</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>tls.trust-all-certificates</c>: accept any server certificate (the official clients' behaviour).</summary>
    public bool? TrustAllCertificates { get; set; }
}

/// <summary><c>retry.*</c> of <see cref="RocketMqProducerOptions"/>.</summary>
public sealed class RocketMqRetryOptions
{
    /// <summary><c>retry.max-attempts</c>: attempts per send, first one included.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary><c>retry.initial-backoff</c>: back-off after TOO_MANY_REQUESTS until the server's settings arrive.</summary>
    public TimeSpan? InitialBackoff { get; set; }

    /// <summary><c>retry.max-backoff</c>.</summary>
    public TimeSpan? MaxBackoff { get; set; }

    /// <summary><c>retry.backoff-multiplier</c> (&gt;= 1).</summary>
    public double? BackoffMultiplier { get; set; }
}

/// <summary><c>batching.*</c> of <see cref="RocketMqProducerOptions"/>.</summary>
public sealed class RocketMqBatchingOptions
{
    /// <summary><c>batching.enabled</c>: combine concurrent single sends to one topic into one request.</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>batching.linger</c>: how long a send may wait for companions.</summary>
    public TimeSpan? Linger { get; set; }

    /// <summary><c>batching.max-messages</c>.</summary>
    public int? MaxMessages { get; set; }

    /// <summary><c>batching.max-bytes</c>: body bytes per auto-batch.</summary>
    public int? MaxBytes { get; set; }
}

/// <summary><c>reconnect.*</c> of <see cref="RocketMqProducerOptions"/>.</summary>
public sealed class RocketMqReconnectOptions
{
    /// <summary><c>reconnect.min-backoff</c>.</summary>
    public TimeSpan? MinBackoff { get; set; }

    /// <summary><c>reconnect.max-backoff</c>.</summary>
    public TimeSpan? MaxBackoff { get; set; }

    /// <summary><c>reconnect.random-factor</c> (0..1).</summary>
    public double? RandomFactor { get; set; }
}

/// <summary><c>transactions.*</c> of <see cref="RocketMqProducerOptions"/>.</summary>
public sealed class RocketMqTransactionOptions
{
    /// <summary><c>transactions.check-timeout</c>: time the checker may take for one broker check.</summary>
    public TimeSpan? CheckTimeout { get; set; }

    /// <summary><c>transactions.max-concurrent-checks</c>.</summary>
    public int? MaxConcurrentChecks { get; set; }

    /// <summary><c>transactions.max-queued-checks</c>: checks waiting for a slot; more are dropped (the broker asks again).</summary>
    public int? MaxQueuedChecks { get; set; }
}

/// <summary>The readiness health check of one producer (see <see cref="RocketMqProducerHealthCheck"/>).</summary>
public sealed class RocketMqProducerHealthCheckOptions
{
    /// <summary>Register the check (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Name of the check; default <c>rocketmq-producer-{name}</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Tags to filter by when mapping endpoints; default <c>ready</c> and <c>rocketmq</c> (Akka.Hosting adds <c>akka</c>).</summary>
    public ISet<string> Tags { get; } = new HashSet<string>(StringComparer.Ordinal) { "ready", "rocketmq" };

    /// <summary>Status reported when the producer is not running (default <see cref="HealthStatus.Unhealthy"/>).</summary>
    public HealthStatus FailureStatus { get; set; } = HealthStatus.Unhealthy;
}
