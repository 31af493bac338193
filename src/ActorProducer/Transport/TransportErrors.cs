using System.Net.Sockets;
using System.Security.Authentication;
using ActorProducer.Errors;
using Grpc.Core;

namespace ActorProducer.Transport;

/// <summary>
/// Turns whatever a transport call threw into a typed <see cref="ProducerError"/>. A failure after the connection was
/// made (reset, aborted, ended prematurely) may come after the proxy stored the message: its outcome is unknown. Only
/// a failure to connect, or a status the server answered, says the message was not stored.
/// </summary>
internal static class TransportErrors
{
    private const string MayHaveBeenStored =
        "the connection broke during the call, so the message may or may not have been stored (a retry keeps its id)";

    public static ProducerError From(Exception exception, string endpoint, TimeSpan timeout)
    {
        if (FindRpcException(exception) is { } rpc)
        {
            var error = StatusClassifier.FromRpcException(rpc, endpoint, timeout);
            // grpc-dotnet keeps the HTTP/2 failure behind the status; without one, the server answered the status itself.
            var cause = rpc.Status.DebugException ?? rpc.InnerException;
            return cause is null || error.OutcomeUnknown || NeverConnected(cause.GetBaseException())
                ? error
                : error with { OutcomeUnknown = true, Message = $"{error.Message}; {MayHaveBeenStored}" };
        }
        return exception.GetBaseException() switch
        {
            OperationCanceledException => new ProducerError(ProducerErrorKind.Timeout, null, true,
                $"no answer from {endpoint} within {timeout.TotalMilliseconds:0} ms; the message may have been stored (a retry keeps its id)")
                { OutcomeUnknown = true },
            var failure when NeverConnected(failure) => new ProducerError(ProducerErrorKind.Unavailable, null, true,
                $"call to {endpoint} failed: {failure.Message}; check that the proxy is reachable"),
            var failure => new ProducerError(ProducerErrorKind.Unavailable, null, true,
                $"call to {endpoint} failed: {failure.Message}; {MayHaveBeenStored}; check that the proxy is reachable")
                { OutcomeUnknown = true },
        };
    }

    /// <summary>No connection was made (refused, unreachable, unknown host, TLS handshake failed): the request never left.</summary>
    private static bool NeverConnected(Exception failure) =>
        failure is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable or SocketError.TryAgain }
            or AuthenticationException;

    private static RpcException? FindRpcException(Exception? exception)
    {
        for (var e = exception; e is not null; e = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e.InnerException)
            if (e is RpcException rpc) return rpc;
        return null;
    }
}
