using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Faults;

/// <summary>One planned failure: either a RocketMQ status (gRPC OK) or a gRPC-level status.</summary>
internal sealed record PlannedFailure(Code Code, string? Message, Grpc.Core.StatusCode? GrpcStatus)
{
    public Grpc.Core.RpcException ToRpcException() =>
        new(new Grpc.Core.Status(GrpcStatus!.Value, Message ?? "injected failure"));
}
