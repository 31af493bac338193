using Akka.Hosting;
using ActorProducer.Settings;

namespace ActorProducer.Hosting;

/// <summary>
/// <c>AddAkka(..., builder =&gt; builder.WithRocketMqProducer(...))</c>: one long-lived producer per node, started with
/// the actor system, its actor in the <see cref="ActorRegistry"/> (<c>IRequiredActor&lt;TKey&gt;</c>), its Task facade in
/// DI (with <see cref="RocketMqProducerServiceCollectionExtensions.AddRocketMqProducerFacade"/>) and a readiness
/// health check. Overloads in layers: plain arguments → <c>Action&lt;RocketMqProducerOptions&gt;</c> →
/// <see cref="RocketMqProducerOptions"/> (+ <see cref="RocketMqProducerSetup"/>); each with a key type
/// <c>TKey</c> to run several producers, or without one for the default producer (key
/// <see cref="RocketMqProducerActor"/>, name <c>default</c>).
/// </summary>
public static class RocketMqProducerHostingExtensions
{
    /// <summary>The default producer from plain arguments; every other setting comes from HOCON / reference.conf.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="endpoints">Proxy access point: <c>host:port</c> or <c>host1:port1;host2:port2</c>.</param>
    /// <param name="topics">Prebound topics, validated at start (required for transactions).</param>
    /// <param name="credentials">Static credentials for request signing.</param>
    /// <param name="namespace">RocketMQ namespace.</param>
    /// <param name="tls">Use TLS towards the proxy.</param>
    /// <param name="requestTimeout">Deadline of every RPC.</param>
    public static AkkaConfigurationBuilder WithRocketMqProducer(
        this AkkaConfigurationBuilder builder,
        string endpoints,
        IEnumerable<string>? topics = null,
        SessionCredentials? credentials = null,
        string? @namespace = null,
        bool? tls = null,
        TimeSpan? requestTimeout = null) =>
        builder.WithRocketMqProducer<RocketMqProducerActor>(endpoints, topics, credentials, @namespace, tls, requestTimeout);

    /// <summary>The default producer, configured by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithRocketMqProducer(this AkkaConfigurationBuilder builder, Action<RocketMqProducerOptions> configure) =>
        builder.WithRocketMqProducer<RocketMqProducerActor>(configure);

    /// <summary>
    /// The default producer from <paramref name="options"/>; <paramref name="setup"/> carries objects HOCON cannot
    /// hold (alternatively set them on the options, not on both).
    /// </summary>
    public static AkkaConfigurationBuilder WithRocketMqProducer(
        this AkkaConfigurationBuilder builder, RocketMqProducerOptions options, RocketMqProducerSetup? setup = null) =>
        builder.WithRocketMqProducer<RocketMqProducerActor>(options, setup);

    /// <summary>The producer of key <typeparamref name="TKey"/> from plain arguments.</summary>
    /// <inheritdoc cref="WithRocketMqProducer(AkkaConfigurationBuilder, string, IEnumerable{string}?, SessionCredentials?, string?, bool?, TimeSpan?)"/>
    public static AkkaConfigurationBuilder WithRocketMqProducer<TKey>(
        this AkkaConfigurationBuilder builder,
        string endpoints,
        IEnumerable<string>? topics = null,
        SessionCredentials? credentials = null,
        string? @namespace = null,
        bool? tls = null,
        TimeSpan? requestTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoints);
        var options = new RocketMqProducerOptions
        {
            Endpoints = endpoints,
            Topics = topics?.ToList(),
            Credentials = credentials,
            Namespace = @namespace,
            RequestTimeout = requestTimeout,
        };
        options.Tls.Enabled = tls;
        return builder.WithRocketMqProducer<TKey>(options);
    }

    /// <summary>The producer of key <typeparamref name="TKey"/>, configured by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithRocketMqProducer<TKey>(this AkkaConfigurationBuilder builder, Action<RocketMqProducerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RocketMqProducerOptions();
        configure(options);
        return builder.WithRocketMqProducer<TKey>(options);
    }

    /// <summary>
    /// The producer of key <typeparamref name="TKey"/>: its actor is registered under <typeparamref name="TKey"/>, its
    /// facade is <c>IRocketMqProducer&lt;TKey&gt;</c> (and keyed <c>IRocketMqProducer</c>), its name is
    /// <see cref="RocketMqProducerOptions.Name"/> or the key type's name.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid name, or objects set on both the options and the setup.</exception>
    /// <exception cref="InvalidOperationException">A producer with this key or name is already registered.</exception>
    public static AkkaConfigurationBuilder WithRocketMqProducer<TKey>(
        this AkkaConfigurationBuilder builder, RocketMqProducerOptions options, RocketMqProducerSetup? setup = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var name = RocketMqProducerOptions.ValidName(options.Name ?? DefaultNameOf(typeof(TKey)));
        var optionsSetup = options.ToSetup();
        if (setup is not null && optionsSetup is not null)
            throw new ArgumentException(
                $"RocketMQ producer '{name}': set the credentials provider, HTTP handler factory and transaction checker either on the options or on the RocketMqProducerSetup, not on both.",
                nameof(setup));

        var state = HostingState.For(builder);
        var registration = state.Add(typeof(TKey), name, setup ?? optionsSetup);

        var hocon = options.ToConfig(name);
        if (!hocon.IsEmpty) builder.AddHocon(hocon, HoconAddMode.Prepend);
        if (state.TakeDefaultsTurn()) builder.AddHocon(RocketMqProducerExtension.DefaultConfig(), HoconAddMode.Append);

        // An actor starter (not a startup task): producers are running and registered before the actors and
        // startup tasks declared after them, which may resolve them from the registry at once.
        builder.WithActors(new ActorStarter(registration.StartAsync));

        if (options.HealthCheck.Enabled)
            builder.WithHealthCheck(
                options.HealthCheck.Name ?? $"rocketmq-producer-{name}",
                new RocketMqProducerHealthCheck(registration, options.HealthCheck.FailureStatus),
                options.HealthCheck.FailureStatus,
                options.HealthCheck.Tags);
        return builder;
    }

    /// <summary><c>default</c> for <see cref="RocketMqProducerActor"/>; otherwise the key type's name, made a valid producer name.</summary>
    internal static string DefaultNameOf(Type key)
    {
        if (key == typeof(RocketMqProducerActor)) return RocketMqProducerOptions.DefaultName;
        var name = new string(key.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return name.Length > 64 ? name[..64] : name;
    }
}
