using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Server;

/// <summary>
/// A business error the proxy reports in the response status (with gRPC OK), like the proxy's GrpcProxyException.
/// Thrown by validation and handlers; the call runners turn it into the response status.
/// </summary>
internal sealed class ProxyException(Code code, string? message = null) : Exception(message ?? Statuses.NameOf(code))
{
    public Code Code { get; } = code;
}
