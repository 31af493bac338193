using ActorProducer.LocalBroker;

namespace ActorProducer.Conformance.Tests.Infrastructure;

/// <summary>
/// One LocalBroker per test class (class fixture), plus a runner for the Node scenarios pointed at it.
/// Scenarios in a class share the broker and keep apart by using their own topics (<see cref="NewTopic"/>).
/// Initialisation also makes sure the Node client is installed (once per test run, see <see cref="NodeToolchain"/>).
/// </summary>
public abstract class LocalBrokerFixture : IAsyncLifetime
{
    private static int _topicCounter;
    private LocalBroker.LocalBroker? _broker;
    private NodeScenarioRunner? _node;

    public LocalBroker.LocalBroker Broker => _broker ?? throw new InvalidOperationException("The fixture is not initialised.");
    public NodeScenarioRunner Node => _node ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Adjusts the broker's options before it starts.</summary>
    protected virtual void Configure(LocalBrokerOptions options)
    {
    }

    /// <summary>Creates a fresh topic on the running broker and returns its name.</summary>
    public string NewTopic(TopicMessageType type, string prefix = "node")
    {
        var name = $"{prefix}-{type.ToString().ToLowerInvariant()}-{Interlocked.Increment(ref _topicCounter)}-{Guid.NewGuid().ToString("N")[..8]}";
        Broker.AddTopic(new TopicDefinition(name, type));
        return name;
    }

    public async Task InitializeAsync()
    {
        var nodeDirectory = await NodeToolchain.EnsureInstalledAsync();
        var options = new LocalBrokerOptions();
        Configure(options);
        _broker = await LocalBroker.LocalBroker.StartAsync(options);
        _node = new NodeScenarioRunner(nodeDirectory, _broker.Endpoint);
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

/// <summary>LocalBroker with the proxy's defaults.</summary>
public sealed class DefaultBrokerFixture : LocalBrokerFixture;

/// <summary>LocalBroker with authentication on (one user).</summary>
public sealed class AuthenticatingBrokerFixture : LocalBrokerFixture
{
    public static NodeCredentials User { get; } = new("conformance-ak", "conformance-secret");

    protected override void Configure(LocalBrokerOptions options) => options.Users[User.AccessKey] = User.AccessSecret;
}

/// <summary>LocalBroker whose body limit (pushed to clients in Settings) is 1 KiB.</summary>
public sealed class SmallBodyLimitBrokerFixture : LocalBrokerFixture
{
    public const int MaxBodySize = 1024;

    protected override void Configure(LocalBrokerOptions options) => options.MaxBodySize = MaxBodySize;
}

/// <summary>LocalBroker that checks orphaned half messages after 300 ms, then every 300 ms.</summary>
public sealed class FastTransactionCheckBrokerFixture : LocalBrokerFixture
{
    protected override void Configure(LocalBrokerOptions options)
        => options.TransactionChecks = TransactionCheckPolicy.Default with
        {
            FirstCheckAfter = TimeSpan.FromMilliseconds(300),
            CheckInterval = TimeSpan.FromMilliseconds(300),
        };
}
