using System.Runtime.InteropServices;

namespace ActorProducer.LocalBroker.Cli;

/// <summary>The standalone command line: parses options, starts LocalBroker, runs until Ctrl+C.</summary>
public static class LocalBrokerCommandLine
{
    /// <summary>Runs LocalBroker until Ctrl+C or SIGTERM. Exit codes: 0 after a normal stop, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        LocalBrokerOptions? options;
        try
        {
            options = CommandLineParser.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(CommandLineParser.Usage);
            return 0;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });

        await using var broker = await LocalBroker.StartAsync(options).ConfigureAwait(false);
        PrintBanner(broker);
        await stop.Task.ConfigureAwait(false);
        Console.WriteLine("LocalBroker stopping.");
        return 0;
    }

    private static void PrintBanner(LocalBroker broker)
    {
        var options = broker.Options;
        var transport = options.UseTls ? "TLS (self-signed), HTTP/2" : "plaintext HTTP/2";
        foreach (var (name, endpoint) in broker.BrokerEndpoints.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var role = endpoint == broker.Endpoint ? ", access point" : string.Empty;
            Console.WriteLine($"LocalBroker {name} listening on {endpoint} ({transport}{role})");
        }

        var topics = options.Topics.Count == 0
            ? "none"
            : string.Join(", ", options.Topics.Select(t => $"{t.Name} ({t.Type.ToString().ToUpperInvariant()}, {t.QueueCount} queues)"));
        Console.WriteLine($"Topics: {topics}{(options.AutoCreateTopics ? "; unknown topics are created as NORMAL" : string.Empty)}");
        Console.WriteLine(options.Users.Count == 0
            ? "Authentication: off"
            : $"Authentication: on ({options.Users.Count} user(s): {string.Join(", ", options.Users.Keys)})");
        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
