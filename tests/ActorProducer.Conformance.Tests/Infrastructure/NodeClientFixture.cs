using ActorProducer.LocalBroker;
using ActorProducer.Testing;

namespace ActorProducer.Conformance.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="LocalBrokerFixture"/> (one LocalBroker per test class, unique topics per test) plus a
/// runner for the Node scenarios pointed at that broker. Before the broker starts, it makes sure the Node client is
/// installed — once per test run, see <see cref="NodeToolchain"/>.
/// </summary>
public abstract class NodeClientFixture : LocalBrokerFixture, IAsyncLifetime
{
    private NodeScenarioRunner? _node;

    public NodeScenarioRunner Node => _node ?? throw new InvalidOperationException("The fixture is not initialised.");

    // Re-implements IAsyncLifetime to put the Node install in front of the base fixture's broker start-up.
    async Task IAsyncLifetime.InitializeAsync()
    {
        var nodeDirectory = await NodeToolchain.EnsureInstalledAsync();
        await InitializeAsync();
        _node = new NodeScenarioRunner(nodeDirectory, Broker.Endpoint);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync();

    /// <summary>A fresh topic of <paramref name="type"/> for one test.</summary>
    public string NewTopic(TopicMessageType type) => CreateTopic(type, prefix: $"node-{type.ToString().ToLowerInvariant()}");
}

/// <summary>LocalBroker with the proxy's defaults.</summary>
public sealed class DefaultBrokerFixture : NodeClientFixture;

/// <summary>LocalBroker with authentication on (one user).</summary>
public sealed class AuthenticatingBrokerFixture : NodeClientFixture
{
    public static NodeCredentials User { get; } = new("conformance-ak", "conformance-secret");

    protected override void Configure(LocalBrokerOptions options) => options.Users[User.AccessKey] = User.AccessSecret;
}

/// <summary>LocalBroker whose body limit (pushed to clients in Settings) is 1 KiB.</summary>
public sealed class SmallBodyLimitBrokerFixture : NodeClientFixture
{
    public const int MaxBodySize = 1024;

    protected override void Configure(LocalBrokerOptions options) => options.MaxBodySize = MaxBodySize;
}

/// <summary>LocalBroker that checks orphaned half messages after 300 ms, then every 300 ms.</summary>
public sealed class FastTransactionCheckBrokerFixture : NodeClientFixture
{
    protected override void Configure(LocalBrokerOptions options)
        => options.TransactionChecks = TransactionCheckPolicy.Default with
        {
            FirstCheckAfter = TimeSpan.FromMilliseconds(300),
            CheckInterval = TimeSpan.FromMilliseconds(300),
        };
}

/// <summary>LocalBroker whose first orphaned-transaction check comes 3 s after the send (then every 500 ms).</summary>
public sealed class SlowFirstCheckBrokerFixture : NodeClientFixture
{
    protected override void Configure(LocalBrokerOptions options)
        => options.TransactionChecks = TransactionCheckPolicy.Default with
        {
            FirstCheckAfter = TimeSpan.FromSeconds(3),
            CheckInterval = TimeSpan.FromMilliseconds(500),
        };
}
