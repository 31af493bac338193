using System.Net.Sockets;
using System.Security.Authentication;
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
            $"no answer from {endpoint} within {timeout.TotalMilliseconds:0} ms; the message may have been stored (a retry keeps its id)")
            { OutcomeUnknown = true },
        // No connection was made: the request never left.
        SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable or SocketError.TryAgain } or AuthenticationException =>
            new ProducerError(ProducerErrorKind.Unavailable, null, true,
                $"call to {endpoint} failed: {exception.GetBaseException().Message}; check that the proxy is reachable"),
        // The connection broke during the call (reset, aborted): the request may have reached the proxy and been stored.
        var other => new ProducerError(ProducerErrorKind.Unavailable, null, true,
            $"call to {endpoint} failed: {other.Message}; the connection broke during the call, so the message may or may not have been stored (a retry keeps its id); check that the proxy is reachable")
            { OutcomeUnknown = true },
    };
}
