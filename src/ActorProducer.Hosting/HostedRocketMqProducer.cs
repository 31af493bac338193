using Akka.Actor;
using Akka.Hosting;
using ActorProducer.Errors;
using ActorProducer.Messages;

namespace ActorProducer.Hosting;

/// <summary>
/// The Task facade registered in DI: waits for the hosted producer to start, then delegates to it. It may be
/// resolved before the actor system starts (hosted services are built first). Disposing it does nothing: the
/// producer belongs to the actor system, whose CoordinatedShutdown drains it.
/// </summary>
internal class HostedRocketMqProducer(ProducerRegistration registration, ActorSystem system) : IRocketMqProducer
{
    public string ClientId => Current.ClientId;

    public IActorRef Actor => Current.Actor;

    public Task WhenStopped => Current.WhenStopped;

    public async Task<SendResult> SendAsync(ProducerMessage message, CancellationToken cancellationToken = default) =>
        await (await ReadyAsync(cancellationToken).ConfigureAwait(false)).SendAsync(message, cancellationToken).ConfigureAwait(false);

    public async Task<SendBatchCompleted> SendBatchAsync(IReadOnlyList<ProducerMessage> messages, CancellationToken cancellationToken = default) =>
        await (await ReadyAsync(cancellationToken).ConfigureAwait(false)).SendBatchAsync(messages, cancellationToken).ConfigureAwait(false);

    public async Task<IRocketMqTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        await (await ReadyAsync(cancellationToken).ConfigureAwait(false)).BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IRocketMqProducer Current => registration.Producer ?? throw new InvalidOperationException(
        $"RocketMQ producer '{registration.Name}' is {registration.State.ToString().ToLowerInvariant()}: it is started with the actor system. " +
        "SendAsync waits for it; read ClientId/Actor after the host has started, or resolve the actor with IRequiredActor.GetAsync().");

    private async Task<IRocketMqProducer> ReadyAsync(CancellationToken cancellationToken)
    {
        var started = registration.Started;
        if (!started.IsCompleted)
            await Task.WhenAny(started, system.WhenTerminated).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!started.IsCompleted)
            throw new InvalidOperationException($"RocketMQ producer '{registration.Name}' never started: the actor system terminated first.");
        var producer = await started.ConfigureAwait(false);
        // A stopped actor would only time out the Ask; answer as the producer itself does after shutdown.
        if (registration.State == HostedProducerState.Stopped)
            throw new RocketMqProducerException(new ProducerError(ProducerErrorKind.ShuttingDown, null, false,
                $"RocketMQ producer '{registration.Name}' ({producer.ClientId}) has stopped; the message was not sent"));
        return producer;
    }
}

/// <summary>The facade of the producer under <typeparamref name="TKey"/>, built by DI for <see cref="IRocketMqProducer{TKey}"/>.</summary>
internal sealed class HostedRocketMqProducer<TKey>(AkkaConfigurationBuilder builder, ActorSystem system)
    : HostedRocketMqProducer(RocketMqProducerServiceCollectionExtensions.Find(builder, typeof(TKey)), system), IRocketMqProducer<TKey>;
