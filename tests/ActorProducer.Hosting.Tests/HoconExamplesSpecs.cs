using Akka.Configuration;
using ActorProducer.Settings;
using RuntimeSettings = ActorProducer.Settings.ProducerSettings;

namespace ActorProducer.Hosting.Tests;

/// <summary>Each file of hocon/examples, loaded over reference.conf, yields the settings it documents.</summary>
public sealed class HoconExamplesSpecs
{
    [Fact]
    public void Production_example_should_yield_a_multi_proxy_TLS_producer_with_prebound_topics()
    {
        var settings = Load("production.conf");

        Assert.Equal("ipv4:10.0.1.11:8081,10.0.1.12:8081,10.0.1.13:8081", settings.AccessPoint.Facade);
        Assert.Equal("prod", settings.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RequestTimeout);
        Assert.Equal(["orders", "payments", "shipments"], settings.PreboundTopics);
        Assert.True(settings.TlsEnabled);
        Assert.False(settings.TrustAllCertificates);
        Assert.Equal(4, settings.MaxAttempts);
        Assert.Equal(20_000, settings.MaxInFlight);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.ShutdownDrainTimeout);
        Assert.True(Load<TimeSpan>("production.conf", c => c.GetTimeSpan("akka.coordinated-shutdown.phases.before-actor-system-terminate.timeout"))
                    >= settings.ShutdownDrainTimeout + settings.RequestTimeout, "the drain must fit its CoordinatedShutdown phase");
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.ReconnectMinBackoff);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.ReconnectMaxBackoff);
        Assert.False(settings.BatchingEnabled);                       // untouched keys keep reference.conf
        Assert.Equal(TimeSpan.FromSeconds(10), settings.HeartbeatInterval);
    }

    [Fact]
    public void Tls_credentials_example_should_yield_TLS_and_signing_credentials()
    {
        var settings = Load("tls-credentials.conf");

        Assert.Equal("dns:rmq-proxy.example.internal:8081", settings.AccessPoint.Facade);
        Assert.True(settings.TlsEnabled);
        Assert.False(settings.TrustAllCertificates);
        Assert.Equal(new SessionCredentials("orders-service", "change-me"), settings.Credentials);
    }

    [Fact]
    public void Transactions_example_should_prebind_the_transactional_topic_and_limit_checks()
    {
        var settings = Load("transactions.conf");

        Assert.Equal(["order-events-tx"], settings.PreboundTopics);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.CheckTimeout);
        Assert.Equal(8, settings.MaxConcurrentChecks);
        Assert.Equal(500, settings.MaxQueuedChecks);
    }

    [Fact]
    public void Batching_example_should_turn_auto_batching_on_with_its_limits()
    {
        var settings = Load("batching.conf");

        Assert.True(settings.BatchingEnabled);
        Assert.Equal(TimeSpan.FromMilliseconds(5), settings.BatchLinger);
        Assert.Equal(128, settings.BatchMaxMessages);
        Assert.Equal(524_288, settings.BatchMaxBytes);
        Assert.Equal(50_000, settings.MaxInFlight);
    }

    [Fact]
    public void Every_example_should_only_use_keys_of_reference_conf()
    {
        var reference = RocketMqProducerExtension.DefaultConfig();
        foreach (var file in Directory.GetFiles(ExamplesDirectory, "*.conf"))
        {
            var example = ConfigurationFactory.ParseString(File.ReadAllText(file));
            foreach (var key in HoconKeys.Leaves(example.GetConfig(RuntimeSettings.DefaultPath)))
                Assert.True(reference.HasPath($"{RuntimeSettings.DefaultPath}.{key}"), $"{Path.GetFileName(file)}: '{key}' is not a key of reference.conf");
        }
        Assert.Equal(4, Directory.GetFiles(ExamplesDirectory, "*.conf").Length);
    }

    private static string ExamplesDirectory => Path.Combine(AppContext.BaseDirectory, "examples");

    private static T Load<T>(string file, Func<Config, T> read) =>
        read(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(ExamplesDirectory, file))));

    private static RuntimeSettings Load(string file)
    {
        var config = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(ExamplesDirectory, file)))
            .WithFallback(RocketMqProducerExtension.DefaultConfig());
        return RuntimeSettings.Create(config);
    }
}
