using ActorProducer.LocalBroker.Brokers;
using ActorProducer.LocalBroker.Faults;
using Apache.Rocketmq.V2;
using Grpc.Core;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.LocalBroker.Server;

/// <summary>
/// Runs one unary RPC the way the proxy does: broker reachable? → injected faults → admission → handler, with every
/// business error in the response status (gRPC OK) and every unexpected exception as INTERNAL_SERVER_ERROR.
/// Each call is logged. Without injected latency the whole call runs synchronously (no async state machine).
/// </summary>
internal sealed class UnaryCallRunner(BrokerRuntime runtime)
{
    private readonly Admission admission = new(runtime.Options);

    public Task<TResponse> Run<TRequest, TResponse>(UnaryRpc<TRequest, TResponse> rpc, TRequest request, ServerCallContext context)
    {
        var broker = runtime.Cluster.Resolve(context);
        var faults = rpc.FaultSlot is { } slot ? runtime.Faults.For(slot) : null;
        var latency = faults?.Latency ?? TimeSpan.Zero;
        return latency > TimeSpan.Zero
            ? RunDelayedAsync(latency, rpc, broker, faults, request, context)
            : Task.FromResult(Execute(rpc, broker, faults, request, context));
    }

    /// <summary>The call after the broker and latency checks; also used by the server-streaming stubs.</summary>
    public TResponse Execute<TRequest, TResponse>(
        UnaryRpc<TRequest, TResponse> rpc, SimulatedBroker broker, RpcFaults? faults, TRequest request, ServerCallContext context)
    {
        var headers = RequestHeaders.From(context.RequestHeaders);
        TResponse response;
        if (faults?.TryTake() is { } failure)
        {
            if (failure.GrpcStatus is { } grpcStatus)
            {
                runtime.Record(rpc.Name, broker, headers, Code.Unspecified, $"gRPC {grpcStatus} (fault injection)");
                throw failure.ToRpcException();
            }

            response = rpc.FromStatus(Statuses.Of(failure.Code, failure.Message));
        }
        else if (admission.Check(headers) is { } rejected)
        {
            response = rpc.FromStatus(rejected);
        }
        else
        {
            response = Handle(rpc, new CallInfo(broker, headers, runtime.Clients.Touch(headers), context), request);
        }

        var status = rpc.StatusOf(response);
        runtime.Record(rpc.Name, broker, headers, status.Code, status.Message);
        return response;
    }

    private async Task<TResponse> RunDelayedAsync<TRequest, TResponse>(
        TimeSpan latency, UnaryRpc<TRequest, TResponse> rpc, SimulatedBroker broker, RpcFaults? faults, TRequest request,
        ServerCallContext context)
    {
        // Injected latency is wall-clock time even with a fake TimeProvider: it simulates a slow network or proxy.
        await Task.Delay(latency, context.CancellationToken).ConfigureAwait(false);
        return Execute(rpc, broker, faults, request, context);
    }

    private static TResponse Handle<TRequest, TResponse>(UnaryRpc<TRequest, TResponse> rpc, CallInfo call, TRequest request)
    {
        try
        {
            return rpc.Handler(call, request);
        }
        catch (ProxyException e)
        {
            return rpc.FromStatus(Statuses.Of(e.Code, e.Message));
        }
        catch (Exception e)
        {
            // The proxy's fallback mapping: anything unexpected is INTERNAL_SERVER_ERROR with the exception text.
            return rpc.FromStatus(Statuses.Of(Code.InternalServerError, e.Message));
        }
    }
}
