using ActorProducer.LocalBroker.Faults;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Server;

/// <summary>How one unary RPC is served: its name, its fault slot, its handler and how its response carries a status.</summary>
/// <param name="Name">Method name, as in the request log.</param>
/// <param name="FaultSlot">Which injected faults apply; null for the consumer RPCs (no faults).</param>
/// <param name="Handler">Business logic for an admitted call; throws <see cref="ProxyException"/> for business errors.</param>
/// <param name="FromStatus">A response carrying only a status.</param>
/// <param name="StatusOf">The status of a response.</param>
internal sealed record UnaryRpc<TRequest, TResponse>(
    string Name,
    BrokerRpc? FaultSlot,
    Func<CallInfo, TRequest, TResponse> Handler,
    Func<Status, TResponse> FromStatus,
    Func<TResponse, Status> StatusOf);
