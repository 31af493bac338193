using ActorProducer.LocalBroker;
using Apache.Rocketmq.V2;
using Xunit;
using Broker = ActorProducer.LocalBroker.LocalBroker;

namespace ActorProducer.Testing;

/// <summary>Starts LocalBroker instances for tests.</summary>
public static class TestBrokers
{
    /// <summary>Starts a broker on a free loopback port with the options <paramref name="configure"/> sets.</summary>
    public static Task<Broker> StartAsync(Action<LocalBrokerOptions>? configure = null)
    {
        var options = new LocalBrokerOptions();
        configure?.Invoke(options);
        return Broker.StartAsync(options);
    }

    /// <summary>A client to the broker's access point, using TLS if the broker serves TLS.</summary>
    public static RocketMqTestClient Connect(this Broker broker, RocketMqHeaders? headers = null)
        => RocketMqTestClient.Connect(broker.Endpoint, headers, broker.Options.UseTls);

    /// <summary>A client to one simulated broker's own endpoint (e.g. <c>broker-1</c>).</summary>
    public static RocketMqTestClient ConnectTo(this Broker broker, string brokerName, RocketMqHeaders? headers = null)
        => RocketMqTestClient.Connect(broker.BrokerEndpoints[brokerName], headers, broker.Options.UseTls);

    /// <summary>Creates a topic with a unique name and returns the name.</summary>
    public static string CreateTopic(
        this Broker broker,
        TopicMessageType type = TopicMessageType.Normal,
        int queueCount = 4,
        Permission permission = Permission.ReadWrite,
        string prefix = "topic")
    {
        var name = TopicNames.Unique(prefix);
        broker.AddTopic(new TopicDefinition(name, type, queueCount, permission));
        return name;
    }
}

/// <summary>Topic names that no other test uses.</summary>
public static class TopicNames
{
    private static int counter;

    public static string Unique(string prefix = "topic")
        => $"{prefix}-{Interlocked.Increment(ref counter)}-{Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>
/// One LocalBroker shared by the tests of a class (<c>IClassFixture</c>). Override <see cref="Configure"/> for
/// other options; tests keep apart by using their own topics (<see cref="CreateTopic"/>) and client ids
/// (<see cref="NewClient"/>).
/// </summary>
public class LocalBrokerFixture : IAsyncLifetime
{
    private RocketMqTestClient? root;

    public Broker Broker { get; private set; } = null!;

    /// <summary>A client with a fresh client id on the fixture's shared channel.</summary>
    public RocketMqTestClient NewClient(Func<RocketMqHeaders, RocketMqHeaders>? change = null)
        => Root.WithHeaders(_ => change is null ? RocketMqHeaders.Default() : change(RocketMqHeaders.Default()));

    /// <inheritdoc cref="TestBrokers.CreateTopic"/>
    public string CreateTopic(
        TopicMessageType type = TopicMessageType.Normal,
        int queueCount = 4,
        Permission permission = Permission.ReadWrite,
        string prefix = "topic")
        => Broker.CreateTopic(type, queueCount, permission, prefix);

    protected virtual void Configure(LocalBrokerOptions options)
    {
    }

    private RocketMqTestClient Root => root ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        Broker = await TestBrokers.StartAsync(Configure);
        root = Broker.Connect();
    }

    public async Task DisposeAsync()
    {
        root?.Dispose();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }
}
