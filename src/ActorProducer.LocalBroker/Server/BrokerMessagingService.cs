using ActorProducer.LocalBroker.Faults;
using ActorProducer.LocalBroker.Handlers;
using Apache.Rocketmq.V2;
using Grpc.Core;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.LocalBroker.Server;

/// <summary>
/// The apache.rocketmq.v2.MessagingService endpoint, one instance for all ports (a DI singleton). Producer RPCs go
/// to their handlers through <see cref="UnaryCallRunner"/>; the ten consumer RPCs answer NOT_IMPLEMENTED (50100)
/// in their status (the two server-streaming ones write one response carrying it).
/// </summary>
internal sealed class BrokerMessagingService : MessagingService.MessagingServiceBase
{
    private readonly BrokerRuntime runtime;
    private readonly UnaryCallRunner runner;
    private readonly TelemetryHandler telemetry;

    private readonly UnaryRpc<QueryRouteRequest, QueryRouteResponse> queryRoute;
    private readonly UnaryRpc<HeartbeatRequest, HeartbeatResponse> heartbeat;
    private readonly UnaryRpc<SendMessageRequest, SendMessageResponse> sendMessage;
    private readonly UnaryRpc<EndTransactionRequest, EndTransactionResponse> endTransaction;
    private readonly UnaryRpc<NotifyClientTerminationRequest, NotifyClientTerminationResponse> notifyClientTermination;
    private readonly UnaryRpc<RecallMessageRequest, RecallMessageResponse> recallMessage;

    private readonly UnaryRpc<QueryAssignmentRequest, QueryAssignmentResponse> queryAssignment =
        NotImplemented<QueryAssignmentRequest, QueryAssignmentResponse>("QueryAssignment", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<ReceiveMessageRequest, ReceiveMessageResponse> receiveMessage =
        NotImplemented<ReceiveMessageRequest, ReceiveMessageResponse>("ReceiveMessage", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<AckMessageRequest, AckMessageResponse> ackMessage =
        NotImplemented<AckMessageRequest, AckMessageResponse>("AckMessage", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<ForwardMessageToDeadLetterQueueRequest, ForwardMessageToDeadLetterQueueResponse> forwardToDeadLetterQueue =
        NotImplemented<ForwardMessageToDeadLetterQueueRequest, ForwardMessageToDeadLetterQueueResponse>(
            "ForwardMessageToDeadLetterQueue", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<PullMessageRequest, PullMessageResponse> pullMessage =
        NotImplemented<PullMessageRequest, PullMessageResponse>("PullMessage", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<UpdateOffsetRequest, UpdateOffsetResponse> updateOffset =
        NotImplemented<UpdateOffsetRequest, UpdateOffsetResponse>("UpdateOffset", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<GetOffsetRequest, GetOffsetResponse> getOffset =
        NotImplemented<GetOffsetRequest, GetOffsetResponse>("GetOffset", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<QueryOffsetRequest, QueryOffsetResponse> queryOffset =
        NotImplemented<QueryOffsetRequest, QueryOffsetResponse>("QueryOffset", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<ChangeInvisibleDurationRequest, ChangeInvisibleDurationResponse> changeInvisibleDuration =
        NotImplemented<ChangeInvisibleDurationRequest, ChangeInvisibleDurationResponse>(
            "ChangeInvisibleDuration", s => new() { Status = s }, r => r.Status);
    private readonly UnaryRpc<SyncLiteSubscriptionRequest, SyncLiteSubscriptionResponse> syncLiteSubscription =
        NotImplemented<SyncLiteSubscriptionRequest, SyncLiteSubscriptionResponse>(
            "SyncLiteSubscription", s => new() { Status = s }, r => r.Status);

    public BrokerMessagingService(BrokerRuntime runtime)
    {
        this.runtime = runtime;
        runner = new UnaryCallRunner(runtime);
        telemetry = new TelemetryHandler(runtime);
        var clients = new ClientLifecycleHandler(runtime);
        queryRoute = new("QueryRoute", BrokerRpc.QueryRoute, new Handlers.RouteHandler(runtime).Handle,
            s => new() { Status = s }, r => r.Status);
        heartbeat = new("Heartbeat", BrokerRpc.Heartbeat, clients.Heartbeat, s => new() { Status = s }, r => r.Status);
        sendMessage = new("SendMessage", BrokerRpc.SendMessage, new SendMessageHandler(runtime).Handle,
            s => new() { Status = s }, r => r.Status);
        endTransaction = new("EndTransaction", BrokerRpc.EndTransaction, new EndTransactionHandler(runtime).Handle,
            s => new() { Status = s }, r => r.Status);
        notifyClientTermination = new("NotifyClientTermination", BrokerRpc.NotifyClientTermination,
            clients.NotifyClientTermination, s => new() { Status = s }, r => r.Status);
        recallMessage = new("RecallMessage", BrokerRpc.RecallMessage, new RecallHandler(runtime).Handle,
            s => new() { Status = s }, r => r.Status);
    }

    public override Task<QueryRouteResponse> QueryRoute(QueryRouteRequest request, ServerCallContext context) =>
        runner.Run(queryRoute, request, context);

    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        runner.Run(heartbeat, request, context);

    public override Task<SendMessageResponse> SendMessage(SendMessageRequest request, ServerCallContext context) =>
        runner.Run(sendMessage, request, context);

    public override Task<EndTransactionResponse> EndTransaction(EndTransactionRequest request, ServerCallContext context) =>
        runner.Run(endTransaction, request, context);

    public override Task<NotifyClientTerminationResponse> NotifyClientTermination(
        NotifyClientTerminationRequest request, ServerCallContext context) =>
        runner.Run(notifyClientTermination, request, context);

    public override Task<RecallMessageResponse> RecallMessage(RecallMessageRequest request, ServerCallContext context) =>
        runner.Run(recallMessage, request, context);

    public override Task Telemetry(
        IAsyncStreamReader<TelemetryCommand> requestStream, IServerStreamWriter<TelemetryCommand> responseStream,
        ServerCallContext context) =>
        telemetry.Run(requestStream, responseStream, context);

    public override Task<QueryAssignmentResponse> QueryAssignment(QueryAssignmentRequest request, ServerCallContext context) =>
        runner.Run(queryAssignment, request, context);

    public override Task<AckMessageResponse> AckMessage(AckMessageRequest request, ServerCallContext context) =>
        runner.Run(ackMessage, request, context);

    public override Task<ForwardMessageToDeadLetterQueueResponse> ForwardMessageToDeadLetterQueue(
        ForwardMessageToDeadLetterQueueRequest request, ServerCallContext context) =>
        runner.Run(forwardToDeadLetterQueue, request, context);

    public override Task<UpdateOffsetResponse> UpdateOffset(UpdateOffsetRequest request, ServerCallContext context) =>
        runner.Run(updateOffset, request, context);

    public override Task<GetOffsetResponse> GetOffset(GetOffsetRequest request, ServerCallContext context) =>
        runner.Run(getOffset, request, context);

    public override Task<QueryOffsetResponse> QueryOffset(QueryOffsetRequest request, ServerCallContext context) =>
        runner.Run(queryOffset, request, context);

    public override Task<ChangeInvisibleDurationResponse> ChangeInvisibleDuration(
        ChangeInvisibleDurationRequest request, ServerCallContext context) =>
        runner.Run(changeInvisibleDuration, request, context);

    public override Task<SyncLiteSubscriptionResponse> SyncLiteSubscription(
        SyncLiteSubscriptionRequest request, ServerCallContext context) =>
        runner.Run(syncLiteSubscription, request, context);

    public override Task ReceiveMessage(
        ReceiveMessageRequest request, IServerStreamWriter<ReceiveMessageResponse> responseStream, ServerCallContext context) =>
        WriteSingleAsync(receiveMessage, request, responseStream, context);

    public override Task PullMessage(
        PullMessageRequest request, IServerStreamWriter<PullMessageResponse> responseStream, ServerCallContext context) =>
        WriteSingleAsync(pullMessage, request, responseStream, context);

    /// <summary>A failed server-streaming call is exactly one response carrying the status (protocol.md §4.1).</summary>
    private Task WriteSingleAsync<TRequest, TResponse>(
        UnaryRpc<TRequest, TResponse> rpc, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context)
    {
        var broker = runtime.Cluster.Resolve(context);
        return responseStream.WriteAsync(runner.Execute(rpc, broker, null, request, context), context.CancellationToken);
    }

    private static UnaryRpc<TRequest, TResponse> NotImplemented<TRequest, TResponse>(
        string name, Func<Status, TResponse> fromStatus, Func<TResponse, Status> statusOf) =>
        new(name, null,
            (_, _) => throw new ProxyException(Code.NotImplemented, $"{name} is not implemented by LocalBroker (producer-side emulator)"),
            fromStatus, statusOf);
}
