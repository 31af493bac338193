using Akka.Actor;
using ActorProducer.Actors;
using ActorProducer.Errors;
using ActorProducer.Messages;
using ActorProducer.Settings;

namespace ActorProducer;

/// <summary>
/// The Task facade over a producer actor, for code that is not an actor. One instance per node, shared by
/// every caller and topic (see README: never one per send or per entity).
/// </summary>
public interface IRocketMqProducer : IAsyncDisposable
{
    /// <summary>The generated client id (x-mq-client-id), also on every log line of this producer.</summary>
    string ClientId { get; }

    /// <summary>The producer actor: Tell it <see cref="Send"/> / <see cref="SendBatch"/> from actors.</summary>
    IActorRef Actor { get; }

    /// <summary>Sends one message; completes with its receipt or throws <see cref="RocketMqProducerException"/>.</summary>
    Task<SendResult> SendAsync(ProducerMessage message, CancellationToken cancellationToken = default);

    /// <summary>Sends several messages in one request; completes with one outcome per message (never throws for a send failure).</summary>
    Task<SendBatchCompleted> SendBatchAsync(IReadOnlyList<ProducerMessage> messages, CancellationToken cancellationToken = default);
}

/// <summary>The facade's implementation: Asks with a timeout just above the producer's own send deadline, so no Task can hang.</summary>
internal sealed class RocketMqProducer(IActorRef actor, string clientId, ProducerSettings settings, Action onDisposed) : IRocketMqProducer
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public string ClientId => clientId;
    public IActorRef Actor => actor;

    public async Task<SendResult> SendAsync(ProducerMessage message, CancellationToken cancellationToken = default)
    {
        var outcome = await actor.Ask<SendOutcome>(new Send(message), settings.SendDeadline + Margin, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            SendResult result => result,
            SendFailed failed => throw new RocketMqProducerException(failed.Error),
            _ => throw new InvalidOperationException($"unexpected reply {outcome}"),
        };
    }

    public Task<SendBatchCompleted> SendBatchAsync(IReadOnlyList<ProducerMessage> messages, CancellationToken cancellationToken = default) =>
        actor.Ask<SendBatchCompleted>(new SendBatch(messages), settings.SendDeadline + Margin, cancellationToken);

    /// <summary>Graceful shutdown: drain in-flight sends, notify the servers, stop the actor.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await actor.Ask<ProducerActor.ShutdownCompleted>(new ProducerActor.Shutdown("disposed"),
                settings.ShutdownDrainTimeout + settings.RequestTimeout + Margin).ConfigureAwait(false);
        }
        catch (AskTimeoutException) { /* already gone: nothing left to drain */ }
        finally
        {
            actor.Tell(PoisonPill.Instance);
            onDisposed();
        }
    }
}
