using ActorProducer.LocalBroker.Clients;
using ActorProducer.LocalBroker.Server;
using Apache.Rocketmq.V2;

namespace ActorProducer.LocalBroker.Handlers;

/// <summary>Heartbeat and NotifyClientTermination (behavior.md §4.5, §7.5): both need the Settings stored at the handshake.</summary>
internal sealed class ClientLifecycleHandler(BrokerRuntime runtime)
{
    private const string NoSettings = "cannot find client settings for this client";

    public HeartbeatResponse Heartbeat(CallInfo call, HeartbeatRequest request)
    {
        call.Client.NoteHeartbeat(runtime.Time.GetUtcNow());
        var settings = call.Client.RegisteredSettings
            ?? throw new ProxyException(Code.UnrecognizedClientType, NoSettings);

        // Re-registering the producer parses x-mq-language again; with Settings present a bad value is an internal error.
        if (settings.PubSubCase != Settings.PubSubOneofCase.None && !ServerLanguages.IsValid(call.Headers.Language))
        {
            throw new ProxyException(Code.InternalServerError, ServerLanguages.Complaint(call.Headers.Language));
        }

        return new HeartbeatResponse { Status = Statuses.Ok };
    }

    public NotifyClientTerminationResponse NotifyClientTermination(CallInfo call, NotifyClientTerminationRequest request)
    {
        if (!call.Client.Terminate())
        {
            throw new ProxyException(Code.UnrecognizedClientType, NoSettings);
        }

        return new NotifyClientTerminationResponse { Status = Statuses.Ok };
    }
}
