using Akka.Actor.Setup;
using Akka.Actor;
using ActorProducer.Transactions;
using ActorProducer.Transport;

namespace ActorProducer.Settings;

/// <summary>
/// Objects HOCON cannot hold, passed with the ActorSystem's <c>BootstrapSetup</c> or to
/// <c>StartProducerAsync</c>: a credentials provider, a transaction checker and a custom HTTP handler for the gRPC channels.
/// </summary>
public sealed class RocketMqProducerSetup : Setup
{
    /// <summary>Credentials consulted on every request; wins over the HOCON credentials.</summary>
    public ICredentialsProvider? CredentialsProvider { get; init; }

    /// <summary>Creates the HTTP handler of each gRPC channel (proxies, client certificates, custom TLS validation).</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    /// <summary>Answers the broker's transaction checks; required to begin transactions.</summary>
    public ITransactionChecker? TransactionChecker { get; init; }

    /// <summary>Alternative to <see cref="TransactionChecker"/>: an actor that answers <see cref="CheckTransaction"/> with a <see cref="TransactionResolution"/>.</summary>
    public Props? TransactionCheckerProps { get; init; }

    /// <summary>Replaces the gRPC transport (tests run the actors against a fake).</summary>
    internal ITransportFactory? TransportFactory { get; init; }
}
