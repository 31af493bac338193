using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using ActorProducer.Settings;

namespace ActorProducer.Hosting;

/// <summary>Where a hosted producer stands, as the health check reports it.</summary>
public enum HostedProducerState
{
    /// <summary>Declared; the actor system has not started it yet (or is starting it).</summary>
    Starting,
    /// <summary>Started: prebound topics validated, actor registered, ready to send.</summary>
    Running,
    /// <summary>Start-up failed (bad settings, unreachable proxy, missing topic); the host failed to start.</summary>
    Failed,
    /// <summary>The producer actor has stopped (shutdown or disposal).</summary>
    Stopped,
}

/// <summary>
/// One producer declared on an <see cref="AkkaConfigurationBuilder"/>: its key, name, config path and Setup, and
/// its start-up outcome, shared by the start-up task, the DI facade and the health check.
/// </summary>
internal sealed class ProducerRegistration(Type key, string name, string configPath, RocketMqProducerSetup? setup)
{
    private readonly TaskCompletionSource<IRocketMqProducer> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IRocketMqProducer? _producer;
    private volatile Exception? _failure;
    private volatile int _state = (int)HostedProducerState.Starting;

    public Type Key { get; } = key;
    public string Name { get; } = name;
    public string ConfigPath { get; } = configPath;
    public RocketMqProducerSetup? Setup { get; } = setup;

    public HostedProducerState State => (HostedProducerState)_state;
    public IRocketMqProducer? Producer => _producer;
    public Exception? Failure => _failure;

    /// <summary>Completes with the started producer, or faults with the start-up failure.</summary>
    public Task<IRocketMqProducer> Started => _started.Task;

    /// <summary>
    /// The actor starter: starts the producer through the extension, registers its actor under <see cref="Key"/>
    /// once it is running, and watches it. A failure is rethrown, so the host fails to start with its cause.
    /// </summary>
    public async Task StartAsync(ActorSystem system, IActorRegistry registry)
    {
        try
        {
            // The producer's own block when something wrote one (options or application HOCON), else the shared one.
            var path = system.Settings.Config.HasPath(ConfigPath) ? ConfigPath : ProducerSettings.DefaultPath;
            var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync(Name, path, Setup).ConfigureAwait(false);
            if (!registry.TryRegister(Key, producer.Actor))
                throw new InvalidOperationException(
                    $"RocketMQ producer '{Name}': the ActorRegistry already holds an actor under key {Key.FullName}; give each producer its own key type.");
            ProducerActivityMonitor.Instance.For(producer.ClientId); // track its sends for the readiness check
            _producer = producer;
            _state = (int)HostedProducerState.Running;
            _started.TrySetResult(producer);
            system.Log.Info("RocketMQ producer '{0}' ({1}) started from {2}; registry key {3}", Name, producer.ClientId, path, Key.Name);
            _ = WatchAsync(producer);
        }
        catch (Exception e)
        {
            _failure = e;
            _state = (int)HostedProducerState.Failed;
            _started.TrySetException(e);
            throw;
        }
    }

    private async Task WatchAsync(IRocketMqProducer producer)
    {
        await producer.WhenStopped.ConfigureAwait(false);
        _state = (int)HostedProducerState.Stopped;
        ProducerActivityMonitor.Instance.Forget(producer.ClientId);
    }
}

/// <summary>The producers declared on one <see cref="AkkaConfigurationBuilder"/>, found again by the DI facade.</summary>
internal sealed class HostingState
{
    private static readonly ConditionalWeakTable<AkkaConfigurationBuilder, HostingState> States = new();

    private readonly Dictionary<Type, ProducerRegistration> _byKey = new();
    private readonly Dictionary<string, ProducerRegistration> _byName = new(StringComparer.Ordinal);
    private bool _defaultsAdded;

    public static HostingState For(AkkaConfigurationBuilder builder) => States.GetValue(builder, _ => new HostingState());

    /// <summary>Declares a producer; one per key type and one per name.</summary>
    public ProducerRegistration Add(Type key, string name, RocketMqProducerSetup? setup)
    {
        lock (_byKey)
        {
            if (_byKey.TryGetValue(key, out var sameKey))
                throw new InvalidOperationException(
                    $"A RocketMQ producer is already registered under key {key.FullName} (named '{sameKey.Name}'); use another key type for another producer.");
            if (_byName.ContainsKey(name))
                throw new InvalidOperationException(
                    $"A RocketMQ producer named '{name}' is already registered; set RocketMqProducerOptions.Name to tell them apart.");
            var registration = new ProducerRegistration(key, name, RocketMqProducerOptions.ConfigPathOf(name), setup);
            _byKey.Add(key, registration);
            _byName.Add(name, registration);
            return registration;
        }
    }

    /// <summary>True the first time only: the reference defaults are appended once per builder.</summary>
    public bool TakeDefaultsTurn()
    {
        lock (_byKey)
        {
            if (_defaultsAdded) return false;
            _defaultsAdded = true;
            return true;
        }
    }

    /// <summary>The producer registered under a key type or a name.</summary>
    public ProducerRegistration? Find(object key)
    {
        lock (_byKey)
        {
            return key switch
            {
                Type type => _byKey.GetValueOrDefault(type),
                string name => _byName.GetValueOrDefault(name),
                _ => null,
            };
        }
    }
}
