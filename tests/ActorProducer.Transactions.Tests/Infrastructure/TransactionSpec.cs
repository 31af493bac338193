using Akka.Actor;
using Akka.Configuration;
using ActorProducer.LocalBroker;
using ActorProducer.LocalBroker.Inspection;
using ActorProducer.Messages;
using ActorProducer.Settings;
using ActorProducer.Testing;
using ProducerSettings = ActorProducer.Settings.ProducerSettings;
using Xunit.Abstractions;
using Broker = ActorProducer.LocalBroker.LocalBroker;

namespace ActorProducer.Transactions.Tests.Infrastructure;

/// <summary>
/// Base of the transaction specs: a TestKit actor system plus a LocalBroker of its own per test (over real gRPC on
/// loopback) whose orphaned-transaction checks come fast (<see cref="CheckPolicy"/>). Specs start the producer with
/// <see cref="StartProducerAsync"/> and then use it as a user would: the actor protocol or the Task facade.
/// </summary>
public abstract class TransactionSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    /// <summary>How long a spec waits for the broker or the producer to reach a state before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Producer timeouts short enough that every failure path ends within a couple of seconds.</summary>
    public const string ProducerDefaults = """
        akka.rocketmq.producer {
          request-timeout = 2s
          settings-handshake-timeout = 1s
          shutdown-drain-timeout = 2s
          startup-attempts = 2
          reconnect { min-backoff = 100ms, max-backoff = 500ms }
          transactions.check-timeout = 2s
        }
        """;

    private Broker? _broker;

    protected TransactionSpec(ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString("akka.loglevel = INFO"), output: output)
    {
    }

    /// <summary>This test's LocalBroker.</summary>
    protected Broker Broker => _broker ?? throw new InvalidOperationException("the broker starts in InitializeAsync");

    /// <summary>The broker's check schedule: first check after 300 ms, then every 300 ms, 100 checks at most.</summary>
    protected virtual TransactionCheckPolicy CheckPolicy => FastChecks.Policy;

    /// <summary>A new topic of <paramref name="type"/> on this test's broker.</summary>
    protected string NewTopic(TopicMessageType type = TopicMessageType.Transaction) => Broker.CreateTopic(type, prefix: "tx");

    /// <summary>
    /// Producer settings for this test's broker: <see cref="ProducerDefaults"/>, then <paramref name="hocon"/>
    /// (keys under <c>akka.rocketmq.producer</c>), with <paramref name="topics"/> prebound.
    /// </summary>
    protected ProducerSettings SettingsFor(IEnumerable<string> topics, string hocon = "") =>
        ProducerSettings.Create(ProducerConfig.For(Broker, topics, hocon));

    /// <summary>Starts a producer on <see cref="Akka.TestKit.TestKitBase.Sys"/> with <paramref name="topics"/> prebound.</summary>
    protected Task<IRocketMqProducer> StartProducerAsync(IEnumerable<string> topics, ITransactionChecker? checker = null,
        string hocon = "", string name = "default", Props? checkerProps = null) =>
        RocketMqProducerExtension.Get(Sys).StartProducerAsync(SettingsFor(topics, hocon), name,
            new RocketMqProducerSetup { TransactionChecker = checker, TransactionCheckerProps = checkerProps });

    /// <summary>A text message to <paramref name="topic"/> with one business key (what the checkers look up).</summary>
    protected static ProducerMessage Order(string topic, string key, string body = "order created") =>
        ProducerMessage.Text(topic, body) with { Keys = [key], Tag = "created" };

    /// <summary>The record of the transaction <paramref name="transactionId"/> (fails if the broker has none or several).</summary>
    protected TransactionRecord RecordOf(string? transactionId) =>
        Assert.Single(Broker.Inspect.Transactions(), t => t.TransactionId == transactionId);

    /// <summary>Waits until the broker's record of <paramref name="transactionId"/> has left the Pending state.</summary>
    protected async Task<TransactionRecord> WaitUntilResolvedAsync(string? transactionId, TimeSpan? within = null)
    {
        await Broker.Inspect.WaitUntilAsync(
            b => b.Transactions().Any(t => t.TransactionId == transactionId && t.State != TransactionState.Pending),
            within ?? Patience);
        return RecordOf(transactionId);
    }

    /// <summary>RPCs of <paramref name="rpc"/> (e.g. "EndTransaction") the broker answered, optionally of one client only.</summary>
    protected IReadOnlyList<RequestLogEntry> Requests(string rpc, string? clientId = null) =>
        Broker.Inspect.Requests().Where(r => r.Rpc == rpc && (clientId is null || r.ClientId == clientId)).ToList();

    /// <summary>Other broker options of this spec class (e.g. several simulated brokers).</summary>
    protected virtual void ConfigureBroker(LocalBrokerOptions options)
    {
    }

    public virtual async Task InitializeAsync() =>
        _broker = await TestBrokers.StartAsync(options =>
        {
            options.TransactionChecks = CheckPolicy;
            ConfigureBroker(options);
        });

    public virtual async Task DisposeAsync()
    {
        // The producers shut down (NotifyClientTermination) while the broker still answers; then the broker goes.
        await Sys.Terminate();
        if (_broker is not null) await _broker.DisposeAsync();
    }
}

/// <summary>Check schedules for specs (the broker defaults, 6 s / 30 s / 15, would make each spec take minutes).</summary>
public static class FastChecks
{
    /// <summary>First check after 300 ms, then every 300 ms, at most 100 checks; EndTransaction accepted for 30 s.</summary>
    public static TransactionCheckPolicy Policy { get; } = new(
        FirstCheckAfter: TimeSpan.FromMilliseconds(300),
        CheckInterval: TimeSpan.FromMilliseconds(300),
        MaxChecks: 100,
        TransactionDataTtl: TimeSpan.FromSeconds(30));
}

/// <summary>The producer configuration of a spec, as an application writes it in HOCON.</summary>
public static class ProducerConfig
{
    /// <summary>
    /// <c>akka.rocketmq.producer</c> for <paramref name="broker"/> with <paramref name="topics"/> prebound, overridden by
    /// <paramref name="hocon"/> (keys under <c>akka.rocketmq.producer</c>), over <see cref="TransactionSpec.ProducerDefaults"/>
    /// and the runtime's reference configuration.
    /// </summary>
    public static Config For(Broker broker, IEnumerable<string> topics, string hocon = "")
    {
        var list = string.Join(", ", topics.Select(t => $"\"{t}\""));
        return ConfigurationFactory.ParseString($$"""
                akka.rocketmq.producer {
                  endpoints = "{{broker.Endpoint}}"
                  topics = [{{list}}]
                  {{hocon}}
                }
                """)
            .WithFallback(ConfigurationFactory.ParseString(TransactionSpec.ProducerDefaults))
            .WithFallback(RocketMqProducerExtension.DefaultConfig());
    }
}
