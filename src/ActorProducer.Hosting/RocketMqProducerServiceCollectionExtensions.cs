using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorProducer.Hosting;

/// <summary>
/// Puts the Task facades of the producers declared with <c>WithRocketMqProducer</c> into DI. Needed because
/// Akka.Hosting runs the <c>AddAkka</c> configuration only when the container is already built.
/// </summary>
public static class RocketMqProducerServiceCollectionExtensions
{
    /// <summary>
    /// Registers, once for all producers of the actor system:
    /// <list type="bullet">
    /// <item><see cref="IRocketMqProducer"/>: the default producer (<c>WithRocketMqProducer(...)</c> without a key type);</item>
    /// <item><see cref="IRocketMqProducer{TKey}"/>: the producer of <c>WithRocketMqProducer&lt;TKey&gt;(...)</c>;</item>
    /// <item>keyed <see cref="IRocketMqProducer"/>: key <c>typeof(TKey)</c> or the producer's name
    /// (<c>[FromKeyedServices(typeof(OrdersProducer))] IRocketMqProducer producer</c>).</item>
    /// </list>
    /// Each facade waits for its producer to start and is disposed by the actor system, not by the container.
    /// </summary>
    public static IServiceCollection AddRocketMqProducerFacade(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IRocketMqProducer>(sp => Create(sp, typeof(RocketMqProducerActor)));
        services.TryAdd(ServiceDescriptor.Singleton(typeof(IRocketMqProducer<>), typeof(HostedRocketMqProducer<>)));
        services.TryAddKeyedSingleton<IRocketMqProducer>(KeyedService.AnyKey, (sp, key) => Create(sp, key ?? typeof(RocketMqProducerActor)));
        return services;
    }

    private static HostedRocketMqProducer Create(IServiceProvider sp, object key) =>
        new(Find(sp.GetRequiredService<AkkaConfigurationBuilder>(), key), sp.GetRequiredService<ActorSystem>());

    /// <summary>The registration of <paramref name="key"/> (a key type or a producer name), or a clear error.</summary>
    internal static ProducerRegistration Find(AkkaConfigurationBuilder builder, object key) =>
        HostingState.For(builder).Find(key) ?? throw new InvalidOperationException(
            $"No RocketMQ producer is registered under {(key is Type t ? $"key type {t.FullName}" : $"'{key}'")}: " +
            (key is Type type && type == typeof(RocketMqProducerActor)
                ? "call builder.WithRocketMqProducer(...) in AddAkka."
                : "call builder.WithRocketMqProducer<TKey>(...) in AddAkka with that key type (or name)."));
}
