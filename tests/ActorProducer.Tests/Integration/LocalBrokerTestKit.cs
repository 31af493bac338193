using Akka.Configuration;
using ActorProducer.LocalBroker;
using ActorProducer.Settings;
using ActorProducer.Testing;
using ActorProducer.Tests.Fakes;
using Xunit.Abstractions;
using Broker = ActorProducer.LocalBroker.LocalBroker;
using ProducerSettings = ActorProducer.Settings.ProducerSettings;

namespace ActorProducer.Tests.Integration;

/// <summary>
/// Base of the integration specs: the producer runtime over real gRPC against a LocalBroker of each test's own
/// (so faults, restarts and options never leak between tests), with the short timeouts of
/// <see cref="ProducerTestKit.ShortTimeouts"/>. Override <see cref="Configure"/> for broker options.
/// </summary>
public abstract class LocalBrokerTestKit(ITestOutputHelper output, string hocon = "")
    : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(hocon)
        .WithFallback(ConfigurationFactory.ParseString(RealHandshake))
        .WithFallback(ConfigurationFactory.ParseString(ProducerTestKit.ShortTimeouts)), output: output),
        IAsyncLifetime
{
    /// <summary>
    /// A real settings handshake crosses gRPC and Kestrel: give it the official 3 s, so a loaded CI machine does not
    /// turn a slow first handshake into a failed send (the fake-transport specs keep their short handshake).
    /// </summary>
    private const string RealHandshake = "akka.rocketmq.producer.settings-handshake-timeout = 3s";

    private Broker? _broker;

    /// <summary>This test's LocalBroker.</summary>
    protected Broker Broker => _broker ?? throw new InvalidOperationException("the broker starts in InitializeAsync");

    /// <summary>Broker options of this class's tests (topics are created per test with <see cref="NewTopic"/>).</summary>
    protected virtual void Configure(LocalBrokerOptions options)
    {
    }

    /// <summary>A topic no other test uses.</summary>
    protected string NewTopic(TopicMessageType type = TopicMessageType.Normal, int queues = 4) => Broker.CreateTopic(type, queues);

    /// <summary>
    /// Starts the producer against this test's broker: <c>akka.rocketmq.producer</c> of the test's configuration with
    /// <paramref name="hocon"/> on top (keys under <c>akka.rocketmq.producer</c>), then <paramref name="configure"/>.
    /// </summary>
    protected Task<IRocketMqProducer> StartProducerAsync(string hocon = "", Func<ProducerSettings, ProducerSettings>? configure = null,
        RocketMqProducerSetup? setup = null, string name = "default")
    {
        var extension = RocketMqProducerExtension.Get(Sys);
        var config = ConfigurationFactory.ParseString($$"""
                akka.rocketmq.producer {
                  endpoints = "{{Broker.Endpoint}}"
                  {{hocon}}
                }
                """).WithFallback(Sys.Settings.Config);
        var settings = ProducerSettings.Create(config);
        if (configure is not null) settings = configure(settings);
        return extension.StartProducerAsync(settings, name, setup);
    }

    /// <summary>SendMessage calls LocalBroker answered (the client's attempts that reached it).</summary>
    protected int SendRequests(string? broker = null) =>
        Broker.Inspect.Requests().Count(r => r.Rpc == "SendMessage" && (broker is null || r.BrokerName == broker));

    public virtual async Task InitializeAsync() => _broker = await TestBrokers.StartAsync(Configure);

    public virtual async Task DisposeAsync()
    {
        // Producers shut down (NotifyClientTermination) while the broker still answers; then the broker goes.
        await Sys.Terminate();
        if (_broker is not null) await _broker.DisposeAsync();
    }
}
