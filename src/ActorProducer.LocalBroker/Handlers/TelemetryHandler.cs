using ActorProducer.LocalBroker.Clients;
using ActorProducer.LocalBroker.Faults;
using ActorProducer.LocalBroker.Server;
using ActorProducer.LocalBroker.Validation;
using Apache.Rocketmq.V2;
using Grpc.Core;
using Status = Apache.Rocketmq.V2.Status;

namespace ActorProducer.LocalBroker.Handlers;

/// <summary>
/// The Telemetry stream (behavior.md §7.6). Every command goes through admission; a rejected one is answered with
/// <c>TelemetryCommand{status}</c> and the stream stays open. A Settings command registers the client (the stream
/// becomes its command channel) and is answered with the merged Settings. Errors the proxy raises while registering
/// end the stream: 4xx codes as gRPC INVALID_ARGUMENT, anything else as gRPC INTERNAL.
/// </summary>
internal sealed class TelemetryHandler(BrokerRuntime runtime)
{
    private const string RpcName = "Telemetry";

    private readonly Admission admission = new(runtime.Options);

    public async Task Run(
        IAsyncStreamReader<TelemetryCommand> requests, IServerStreamWriter<TelemetryCommand> responses, ServerCallContext context)
    {
        var broker = runtime.Cluster.Resolve(context);
        var headers = RequestHeaders.From(context.RequestHeaders);
        using var stream = new TelemetryStream(broker, responses, context.CancellationToken);
        runtime.Clients.Opened(stream);
        ClientSession? owner = null;
        try
        {
            while (await requests.MoveNext(stream.Token).ConfigureAwait(false))
            {
                owner = await HandleAsync(stream, headers, requests.Current).ConfigureAwait(false) ?? owner;
            }

            // The client half-closed: complete our side too.
        }
        catch (Exception) when (stream.DropReason is { } reason)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, reason));
        }
        catch (Exception e) when (e is not RpcException && context.CancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (e is not RpcException)
        {
            // Anything unexpected ends the stream with gRPC INTERNAL, as the proxy does; the server lives on.
            runtime.Record(RpcName, broker, headers, Code.InternalServerError, e.Message);
            throw new RpcException(new Grpc.Core.Status(StatusCode.Internal, e.Message));
        }
        finally
        {
            runtime.Clients.Closed(stream, owner);
        }
    }

    /// <summary>Handles one command; returns the client when the command registered it.</summary>
    private async Task<ClientSession?> HandleAsync(TelemetryStream stream, RequestHeaders headers, TelemetryCommand command)
    {
        var faults = runtime.Faults.For(BrokerRpc.Telemetry);
        var latency = faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, stream.Token).ConfigureAwait(false);
        }

        if (faults.TryTake() is { } failure)
        {
            if (failure.GrpcStatus is { } grpcStatus)
            {
                Record(stream, headers, Code.Unspecified, $"gRPC {grpcStatus} (fault injection)");
                throw failure.ToRpcException();
            }

            await ReplyStatusAsync(stream, headers, Statuses.Of(failure.Code, failure.Message)).ConfigureAwait(false);
            return null;
        }

        if (admission.Check(headers) is { } rejected)
        {
            await ReplyStatusAsync(stream, headers, rejected).ConfigureAwait(false);
            return null;
        }

        var client = runtime.Clients.Touch(headers);
        switch (command.CommandCase)
        {
            case TelemetryCommand.CommandOneofCase.Settings:
                await HandleSettingsAsync(stream, headers, client, command.Settings).ConfigureAwait(false);
                return client;
            case TelemetryCommand.CommandOneofCase.ThreadStackTrace:
            case TelemetryCommand.CommandOneofCase.VerifyMessageResult:
                // Answers to admin requests, matched by nonce; LocalBroker never sends those requests.
                Record(stream, headers, Code.Ok, $"{command.CommandCase} ignored: no pending request with this nonce");
                return null;
            default:
                Record(stream, headers, Code.Ok, $"{command.CommandCase} ignored");
                return null;
        }
    }

    private async Task HandleSettingsAsync(TelemetryStream stream, RequestHeaders headers, ClientSession client, Settings settings)
    {
        client.NoteSettingsReceived(settings);
        try
        {
            Register(stream, headers, client, settings);
        }
        catch (ProxyException e)
        {
            Record(stream, headers, e.Code, e.Message);
            // processTelemetryException: 4xx proxy codes → INVALID_ARGUMENT, the rest → INTERNAL.
            var grpcCode = (int)e.Code is >= 40000 and < 50000 ? StatusCode.InvalidArgument : StatusCode.Internal;
            throw new RpcException(new Grpc.Core.Status(grpcCode, e.Message));
        }

        await stream.WriteAsync(new TelemetryCommand
        {
            Status = Statuses.Ok,
            Settings = SettingsMerger.Merge(settings, runtime.Options),
        }).ConfigureAwait(false);
        Record(stream, headers, Code.Ok, "OK");
    }

    /// <summary>processAndWriteClientSettings: validate, register the client, store its Settings.</summary>
    private static void Register(TelemetryStream stream, RequestHeaders headers, ClientSession client, Settings settings)
    {
        switch (settings.PubSubCase)
        {
            case Settings.PubSubOneofCase.Publishing:
                foreach (var topic in settings.Publishing.Topics)
                {
                    TopicNameRules.Validate(topic.Name);
                }

                break;
            case Settings.PubSubOneofCase.Subscription:
                break;
            default:
                throw new ProxyException(Code.UnrecognizedClientType, "there is no publishing or subscription data in settings");
        }

        // Registering the client parses x-mq-language with an exact enum lookup (§7.0).
        if (!ServerLanguages.IsValid(headers.Language))
        {
            throw new ProxyException(Code.InternalServerError, ServerLanguages.Complaint(headers.Language));
        }

        client.Register(settings, stream);
    }

    private async Task ReplyStatusAsync(TelemetryStream stream, RequestHeaders headers, Status status)
    {
        await stream.WriteAsync(new TelemetryCommand { Status = status }).ConfigureAwait(false);
        Record(stream, headers, status.Code, status.Message);
    }

    private void Record(TelemetryStream stream, RequestHeaders headers, Code code, string message) =>
        runtime.Record(RpcName, stream.Broker, headers, code, message);
}
