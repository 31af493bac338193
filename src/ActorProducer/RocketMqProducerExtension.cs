using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using ActorProducer.Actors;
using ActorProducer.Ids;
using ActorProducer.Settings;
using ActorProducer.Transport;

namespace ActorProducer;

/// <summary>
/// Entry point: <c>RocketMqProducerExtension.Get(system).StartProducerAsync()</c>. Injects the defaults of
/// <c>hocon/reference.conf</c> and keeps one producer per name per actor system, so every caller reuses it.
/// </summary>
public sealed class RocketMqProducerExtension : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<string, Lazy<Task<IRocketMqProducer>>> _producers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _incarnations = new(StringComparer.Ordinal);

    /// <summary>Created by Akka through <see cref="RocketMqProducerExtensionProvider"/>; use <see cref="Get"/>.</summary>
    public RocketMqProducerExtension(ExtendedActorSystem system)
    {
        _system = system;
        system.Settings.InjectTopLevelFallback(DefaultConfig());
    }

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static RocketMqProducerExtension Get(ActorSystem system) =>
        system.WithExtension<RocketMqProducerExtension, RocketMqProducerExtensionProvider>();

    /// <summary>The embedded reference configuration (all defaults, documented key by key).</summary>
    public static Config DefaultConfig() =>
        ConfigurationFactory.FromResource<RocketMqProducerExtension>("ActorProducer.reference.conf");

    /// <summary>
    /// Starts (or returns the already started) producer named <paramref name="name"/>, configured from
    /// <paramref name="configPath"/> (falling back to <c>akka.rocketmq.producer</c>). Completes once prebound
    /// topics are validated; throws <see cref="ConfigurationException"/> on bad settings or a failed start.
    /// </summary>
    public Task<IRocketMqProducer> StartProducerAsync(string name = "default", string configPath = ProducerSettings.DefaultPath,
        RocketMqProducerSetup? setup = null) =>
        // An already started producer is returned as is: its settings may come from another block than configPath.
        _producers.TryGetValue(name, out var started)
            ? started.Value
            : StartProducerAsync(ProducerSettings.Create(_system.Settings.Config, configPath), name, setup);

    /// <summary>Starts (or returns) the producer named <paramref name="name"/> with explicit settings.</summary>
    public Task<IRocketMqProducer> StartProducerAsync(ProducerSettings settings, string name = "default", RocketMqProducerSetup? setup = null) =>
        _producers.GetOrAdd(name, n => new Lazy<Task<IRocketMqProducer>>(() => Start(n, settings, setup))).Value;

    private async Task<IRocketMqProducer> Start(string name, ProducerSettings settings, RocketMqProducerSetup? setup)
    {
        setup ??= _system.Settings.Setup.Get<RocketMqProducerSetup>().GetOrElse(null!);
        var credentials = setup?.CredentialsProvider
                          ?? (settings.Credentials is { } c ? new StaticCredentialsProvider(c) : null);
        var identity = new ClientIdentity(ClientIdGenerator.Next(), settings.Namespace, credentials);
        var transports = setup?.TransportFactory ?? new GrpcTransportFactory(settings, setup?.HttpHandlerFactory);
        var checkers = new TransactionsActor.CheckerSource(setup?.TransactionChecker, setup?.TransactionCheckerProps);
        // A disposed producer's actor stays (it answers late requests); a later producer of that name gets a new one.
        var incarnation = _incarnations.AddOrUpdate(name, 1, (_, n) => n + 1);
        var actorName = incarnation == 1 ? $"rocketmq-producer-{name}" : $"rocketmq-producer-{name}-{incarnation}";
        var actor = _system.SystemActorOf(ProducerActor.Props(settings, identity, transports, checkers), actorName);

        var producer = new RocketMqProducer(actor, identity.ClientId, settings, () => _producers.TryRemove(name, out _));
        CoordinatedShutdown.Get(_system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, $"rocketmq-producer-{name}-drain",
            async () =>
            {
                await producer.DisposeAsync().ConfigureAwait(false);
                return Akka.Done.Instance;
            });

        var startBudget = settings.HandshakeDeadline + (settings.RequestTimeout + settings.ReconnectMinBackoff) * settings.StartupAttempts + TimeSpan.FromSeconds(5);
        object answer;
        try
        {
            answer = await actor.Ask<object>(ProducerActor.WaitUntilReady.Instance, startBudget).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            answer = new ProducerActor.ProducerStartFailed($"it did not become ready within {startBudget.TotalSeconds:0.#}s");
        }
        if (answer is ProducerActor.ProducerStartFailed failed)
        {
            _producers.TryRemove(name, out _);
            // Through the facade, so the CoordinatedShutdown task registered above finds it disposed instead of
            // asking a dead actor (which held up ActorSystem termination for the whole drain budget).
            await producer.DisposeAsync().ConfigureAwait(false);
            throw new ConfigurationException($"RocketMQ producer '{name}' failed to start: {failed.Reason}");
        }
        return producer;
    }
}

/// <summary>Akka extension id of <see cref="RocketMqProducerExtension"/>.</summary>
public sealed class RocketMqProducerExtensionProvider : ExtensionIdProvider<RocketMqProducerExtension>
{
    /// <inheritdoc />
    public override RocketMqProducerExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
