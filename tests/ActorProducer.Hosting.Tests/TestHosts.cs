using Akka.Hosting;
using ActorProducer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorProducer.Hosting.Tests;

/// <summary>Generic hosts with Akka.Hosting, built the way an application builds them.</summary>
internal static class TestHosts
{
    /// <summary>A host with one actor system configured by <paramref name="configure"/> and the producer facades in DI.</summary>
    public static IHost Build(Action<AkkaConfigurationBuilder> configure, string systemName = "hosting-test")
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHealthChecks();
        builder.Services.AddAkka(systemName, akka =>
        {
            akka.AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend);
            configure(akka);
        });
        builder.Services.AddRocketMqProducerFacade();
        return builder.Build();
    }

    /// <summary>Builds and starts a host.</summary>
    public static async Task<IHost> StartAsync(Action<AkkaConfigurationBuilder> configure, string systemName = "hosting-test")
    {
        var host = Build(configure, systemName);
        await host.StartAsync();
        return host;
    }

    /// <summary>Stops and disposes a host, whatever state it is in.</summary>
    public static async Task StopQuietlyAsync(this IHost host)
    {
        try { await host.StopAsync(TimeSpan.FromSeconds(15)); }
        catch (Exception) { /* a host that failed to start may refuse to stop; disposal follows */ }
        host.Dispose();
    }
}

/// <summary>Marker keys of producers in tests.</summary>
public sealed class OrdersProducer;

/// <summary>Marker keys of producers in tests.</summary>
public sealed class AuditProducer;

/// <summary>The leaf keys of a HOCON object, dotted (<c>retry.max-attempts</c>).</summary>
internal static class HoconKeys
{
    public static IEnumerable<string> Leaves(Akka.Configuration.Config config) => Leaves(config.Root.GetObject(), "");

    private static IEnumerable<string> Leaves(Akka.Configuration.Hocon.HoconObject node, string prefix) =>
        node.Items.SelectMany(item => item.Value.IsObject()
            ? Leaves(item.Value.GetObject(), $"{prefix}{item.Key}.")
            : [$"{prefix}{item.Key}"]);
}
