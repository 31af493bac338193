using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorProducer.LocalBroker.Server;

/// <summary>
/// The ASP.NET Core host serving one <see cref="BrokerRuntime"/>: one HTTP/2 endpoint per simulated broker (TLS
/// only when asked), all on the same gRPC service. The first start picks free ports where asked (port 0);
/// later starts reuse the ports the first one got.
/// </summary>
internal sealed class BrokerHost : IAsyncDisposable
{
    /// <summary>The proxy's inbound message limit (130 MiB); Grpc.AspNetCore's default of 4 MB would refuse a 4 MiB body.</summary>
    private const int MaxReceiveMessageSize = 130 * 1024 * 1024;

    private readonly WebApplication app;

    private BrokerHost(WebApplication app) => this.app = app;

    public static async Task<BrokerHost> StartAsync(BrokerRuntime runtime, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        // On a restart, a port we held a moment ago can be busy for a short while; retry binding briefly.
        var rebinding = runtime.Cluster.All.Any(broker => broker.Port != 0);
        for (var attempt = 1; ; attempt++)
        {
            var app = Build(runtime, certificate, out var endpoints);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < endpoints.Count; i++)
                {
                    runtime.Cluster[i].Port = endpoints[i].IPEndPoint!.Port;
                }

                return new BrokerHost(app);
            }
            catch (IOException e) when (rebinding && attempt < 50 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await app.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Stops serving like a process that dies: no grace period, open connections are aborted.</summary>
    public async Task StopAsync()
    {
        using var noGracePeriod = new CancellationTokenSource();
        await noGracePeriod.CancelAsync().ConfigureAwait(false);
        await app.StopAsync(noGracePeriod.Token).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static WebApplication Build(BrokerRuntime runtime, X509Certificate2? certificate, out List<ListenOptions> endpoints)
    {
        var options = runtime.Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(BrokerHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Only our Listen() calls count: ignore ASPNETCORE_URLS / HTTP_PORTS of the environment (and their warning).
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
        builder.WebHost.UseSetting("http_ports", string.Empty);
        builder.WebHost.UseSetting("https_ports", string.Empty);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // The embedding process owns Ctrl+C and SIGTERM, not this host.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        var listen = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The proxy (grpc-java on Netty) does not limit concurrent streams per connection.
            kestrel.Limits.Http2.MaxStreamsPerConnection = int.MaxValue;
            foreach (var broker in runtime.Cluster.All)
            {
                var port = broker.Port != 0 ? broker.Port : broker.Index == 0 ? options.Port : 0;
                kestrel.Listen(options.ListenAddress, port, endpoint =>
                {
                    endpoint.Protocols = HttpProtocols.Http2;
                    if (certificate is not null)
                    {
                        endpoint.UseHttps(certificate);
                    }

                    listen.Add(endpoint);
                });
            }
        });

        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<BrokerMessagingService>();

        var app = builder.Build();
        app.MapGrpcService<BrokerMessagingService>();
        endpoints = listen;
        return app;
    }

    /// <summary>A host lifetime that does nothing: no console hooks, no "Application started" lines.</summary>
    private sealed class EmbeddedHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
