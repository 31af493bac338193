using ActorProducer.Errors;
using Grpc.Core;

namespace ActorProducer.Transport;

/// <summary>Turns whatever a transport call threw into a typed <see cref="ProducerError"/>.</summary>
internal static class TransportErrors
{
    public static ProducerError From(Exception exception, string endpoint, TimeSpan timeout) => exception.GetBaseException() switch
    {
        RpcException rpc => StatusClassifier.FromRpcException(rpc, endpoint, timeout),
        OperationCanceledException => new ProducerError(ProducerErrorKind.Timeout, null, true,
            $"no answer from {endpoint} within {timeout.TotalMilliseconds:0} ms; the message may have been stored (a retry keeps its id)"),
        var other => new ProducerError(ProducerErrorKind.Unavailable, null, true,
            $"call to {endpoint} failed: {other.Message}; check that the proxy is reachable"),
    };
}
