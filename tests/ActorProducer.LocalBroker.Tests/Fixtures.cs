using ActorProducer.LocalBroker;
using ActorProducer.Testing;

namespace ActorProducer.LocalBroker.Tests;

/// <summary>Three simulated brokers (broker-0 on the access point, broker-1, broker-2 on their own ports).</summary>
public sealed class ThreeBrokersFixture : LocalBrokerFixture
{
    protected override void Configure(LocalBrokerOptions options) => options.BrokerCount = 3;
}

/// <summary>Authentication on: users AK/secret and AK2/other-secret.</summary>
public sealed class AuthenticatingBrokerFixture : LocalBrokerFixture
{
    protected override void Configure(LocalBrokerOptions options)
    {
        options.Users["AK"] = "secret";
        options.Users["AK2"] = "other-secret";
    }
}

/// <summary>Orphaned-transaction checks every 200 ms, at most 3 times (the broker defaults are 6 s / 30 s / 15).</summary>
public sealed class FastTransactionChecksFixture : LocalBrokerFixture
{
    public const int MaxChecks = 3;

    protected override void Configure(LocalBrokerOptions options)
        => options.TransactionChecks = new TransactionCheckPolicy(
            FirstCheckAfter: TimeSpan.FromMilliseconds(200),
            CheckInterval: TimeSpan.FromMilliseconds(200),
            MaxChecks: MaxChecks,
            TransactionDataTtl: TimeSpan.FromSeconds(30));
}
