using Akka.Configuration;
using Akka.Hosting;
using ActorProducer.Settings;
using ActorProducer.Transactions;
using Microsoft.Extensions.DependencyInjection;
using RuntimeSettings = ActorProducer.Settings.ProducerSettings;

namespace ActorProducer.Hosting.Tests;

/// <summary>Options → HOCON (only what is set), options → Setup, and what the builder does with both.</summary>
public sealed class RocketMqProducerOptionsSpecs
{
    private const string DefaultBlock = "akka.rocketmq.producers.default";

    [Fact]
    public void Should_write_no_HOCON_when_nothing_is_set()
    {
        var options = new RocketMqProducerOptions();

        Assert.Equal("", options.ToHocon("default"));
        Assert.True(options.ToConfig().IsEmpty);
        Assert.Null(options.ToSetup());
    }

    [Fact]
    public void Should_write_only_the_keys_that_are_set_in_the_producers_own_block()
    {
        var options = new RocketMqProducerOptions { Endpoints = "10.0.0.1:8081", Name = "orders" };
        options.Batching.Enabled = true;
        options.Retry.MaxAttempts = 5;

        var config = options.ToConfig();

        Assert.Equal(["batching.enabled", "endpoints", "retry.max-attempts"], HoconKeys.Leaves(config.GetConfig("akka.rocketmq.producers.orders")).Order());
        Assert.False(config.HasPath("akka.rocketmq.producer"));
    }

    [Fact]
    public void Should_have_an_option_for_every_key_of_reference_conf()
    {
        var written = HoconKeys.Leaves(EveryOptionSet().ToConfig().GetConfig(DefaultBlock)).Order();
        var reference = HoconKeys.Leaves(RocketMqProducerExtension.DefaultConfig().GetConfig(RuntimeSettings.DefaultPath)).Order();

        Assert.Equal(reference, written);
    }

    [Fact]
    public void Should_yield_the_settings_of_every_option_over_the_reference_defaults()
    {
        var options = EveryOptionSet();

        var settings = RuntimeSettings.Create(options.ToConfig().WithFallback(RocketMqProducerExtension.DefaultConfig()), DefaultBlock);

        Assert.Equal("ipv4:10.0.0.1:8081,10.0.0.2:8081", settings.AccessPoint.Facade);
        Assert.Equal("prod \"eu\"", settings.Namespace);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.RequestTimeout);
        Assert.Equal(["orders", "payments"], settings.PreboundTopics);
        Assert.Equal(new SessionCredentials("ak", "sk\\secret", "sts-token"), settings.Credentials);
        Assert.Equal(123, settings.MaxInFlight);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.ShutdownDrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(11), settings.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(31), settings.RouteRefreshInterval);
        Assert.Equal(TimeSpan.FromMinutes(6), settings.SettingsSyncInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.SettingsHandshakeTimeout);
        Assert.Equal(7, settings.StartupAttempts);
        Assert.True(settings.TlsEnabled);
        Assert.False(settings.TrustAllCertificates);
        Assert.Equal(4, settings.MaxAttempts);
        Assert.True(settings.BatchingEnabled);
        Assert.Equal(TimeSpan.FromMilliseconds(5), settings.BatchLinger);
        Assert.Equal(128, settings.BatchMaxMessages);
        Assert.Equal(524288, settings.BatchMaxBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.ReconnectMinBackoff);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.ReconnectMaxBackoff);
        Assert.Equal(0.35, settings.ReconnectRandomFactor, 10);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.CheckTimeout);
        Assert.Equal(8, settings.MaxConcurrentChecks);
        Assert.Equal(500, settings.MaxQueuedChecks);
        var config = options.ToConfig();
        Assert.Equal(TimeSpan.FromMilliseconds(20), config.GetTimeSpan($"{DefaultBlock}.retry.initial-backoff"));
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan($"{DefaultBlock}.retry.max-backoff"));
        Assert.Equal(1.5, config.GetDouble($"{DefaultBlock}.retry.backoff-multiplier"));
    }

    [Fact]
    public void Should_write_sub_millisecond_durations_exactly()
    {
        var options = new RocketMqProducerOptions { Batching = { Linger = TimeSpan.FromTicks(2500) } }; // 250 µs

        Assert.Equal(TimeSpan.FromTicks(2500), options.ToConfig().GetTimeSpan($"{DefaultBlock}.batching.linger"));
    }

    [Fact]
    public void Should_keep_application_HOCON_for_every_key_the_options_leave_unset()
    {
        var builder = NewBuilder();
        builder.AddHocon("""
            akka.rocketmq.producer { endpoints = "app:8081", request-timeout = 7s }
            akka.rocketmq.producers.default { max-in-flight = 99 }
            """, HoconAddMode.Prepend);

        builder.WithRocketMqProducer(o => { o.Endpoints = "options:8081"; o.Retry.MaxAttempts = 6; });

        var settings = RuntimeSettings.Create(builder.Configuration.Value, DefaultBlock);
        Assert.Equal("dns:options:8081", settings.AccessPoint.Facade);   // set by the options: wins
        Assert.Equal(6, settings.MaxAttempts);
        Assert.Equal(99, settings.MaxInFlight);                           // the producer's own block, unset by the options
        Assert.Equal(TimeSpan.FromSeconds(7), settings.RequestTimeout);   // the shared block
        Assert.Equal(3, settings.StartupAttempts);                         // reference.conf, appended by the builder
    }

    [Fact]
    public void Should_build_the_plain_argument_overload_into_options()
    {
        var builder = NewBuilder();

        builder.WithRocketMqProducer("127.0.0.1:8081", ["orders"], new SessionCredentials("ak", "sk"), "ns", tls: true, TimeSpan.FromSeconds(4));

        var settings = RuntimeSettings.Create(builder.Configuration.Value, DefaultBlock);
        Assert.Equal(["orders"], settings.PreboundTopics);
        Assert.Equal("ak", settings.Credentials?.AccessKey);
        Assert.Equal("ns", settings.Namespace);
        Assert.True(settings.TlsEnabled);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.RequestTimeout);
    }

    [Fact]
    public void Should_put_objects_HOCON_cannot_hold_into_the_setup()
    {
        var provider = new StaticCredentialsProvider(new SessionCredentials("ak", "sk"));
        var checker = new CommitAll();
        Func<HttpMessageHandler> handler = () => new SocketsHttpHandler();
        var options = new RocketMqProducerOptions { CredentialsProvider = provider, TransactionChecker = checker, HttpHandlerFactory = handler };

        var setup = options.ToSetup();

        Assert.NotNull(setup);
        Assert.Same(provider, setup.CredentialsProvider);
        Assert.Same(checker, setup.TransactionChecker);
        Assert.Same(handler, setup.HttpHandlerFactory);
        Assert.Equal("", options.ToHocon("default"));
    }

    [Fact]
    public void Should_refuse_objects_on_both_the_options_and_the_setup()
    {
        var options = new RocketMqProducerOptions { CredentialsProvider = new StaticCredentialsProvider(new SessionCredentials("a", "b")) };

        var error = Assert.Throws<ArgumentException>(() => NewBuilder().WithRocketMqProducer(options, new RocketMqProducerSetup()));

        Assert.Contains("not on both", error.Message);
    }

    [Theory]
    [InlineData("orders.eu")]
    [InlineData("")]
    [InlineData("has space")]
    public void Should_refuse_a_name_that_cannot_name_an_actor_and_a_HOCON_block(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => NewBuilder().WithRocketMqProducer(o => { o.Name = name; o.Endpoints = "a:1"; }));

        Assert.Contains("letters, digits", error.Message);
    }

    [Fact]
    public void Should_refuse_a_second_producer_under_the_same_key_or_name()
    {
        var builder = NewBuilder().WithRocketMqProducer("a:1").WithRocketMqProducer<OrdersProducer>("a:1");

        var sameKey = Assert.Throws<InvalidOperationException>(() => builder.WithRocketMqProducer("b:1"));
        var sameName = Assert.Throws<InvalidOperationException>(() => builder.WithRocketMqProducer<AuditProducer>(o => o.Name = "OrdersProducer"));

        Assert.Contains(typeof(RocketMqProducerActor).FullName!, sameKey.Message);
        Assert.Contains("'OrdersProducer'", sameName.Message);
    }

    [Fact]
    public void Should_name_a_keyed_producer_after_its_key_type_and_write_its_own_block()
    {
        var builder = NewBuilder().WithRocketMqProducer<OrdersProducer>(o => o.Endpoints = "orders:8081");

        var config = builder.Configuration.Value;

        Assert.Equal("orders:8081", config.GetString("akka.rocketmq.producers.OrdersProducer.endpoints"));
        Assert.False(config.HasPath(DefaultBlock));
        Assert.Equal("akka.rocketmq.producers.OrdersProducer", RocketMqProducerOptions.ConfigPathOf("OrdersProducer"));
    }

    private static RocketMqProducerOptions EveryOptionSet() => new()
    {
        Endpoints = "10.0.0.1:8081;10.0.0.2:8081",
        Namespace = "prod \"eu\"",
        RequestTimeout = TimeSpan.FromMilliseconds(1500),
        Topics = ["orders", "payments"],
        Credentials = new SessionCredentials("ak", "sk\\secret", "sts-token"),
        MaxInFlight = 123,
        ShutdownDrainTimeout = TimeSpan.FromSeconds(20),
        HeartbeatInterval = TimeSpan.FromSeconds(11),
        RouteRefreshInterval = TimeSpan.FromSeconds(31),
        SettingsSyncInterval = TimeSpan.FromMinutes(6),
        SettingsHandshakeTimeout = TimeSpan.FromMilliseconds(2500),
        StartupAttempts = 7,
        Tls = { Enabled = true, TrustAllCertificates = false },
        Retry = { MaxAttempts = 4, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromSeconds(2), BackoffMultiplier = 1.5 },
        Batching = { Enabled = true, Linger = TimeSpan.FromMilliseconds(5), MaxMessages = 128, MaxBytes = 524288 },
        Reconnect = { MinBackoff = TimeSpan.FromMilliseconds(500), MaxBackoff = TimeSpan.FromSeconds(20), RandomFactor = 0.35 },
        Transactions = { CheckTimeout = TimeSpan.FromSeconds(5), MaxConcurrentChecks = 8, MaxQueuedChecks = 500 },
    };

    private static AkkaConfigurationBuilder NewBuilder() => new(new ServiceCollection(), "options-specs");

    private sealed class CommitAll : ITransactionChecker
    {
        public Task<TransactionResolution> CheckAsync(TransactionMessageView message, CancellationToken cancellationToken) =>
            Task.FromResult(TransactionResolution.Commit);
    }
}
