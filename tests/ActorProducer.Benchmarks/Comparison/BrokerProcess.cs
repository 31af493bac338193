using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>
/// LocalBroker as a child process (its CLI, from this project's build output), so that the allocations and CPU
/// time the harness reads for its own process belong to the client alone. Killed on dispose.
/// </summary>
internal sealed partial class BrokerProcess : IDisposable
{
    private readonly Process _process;

    private BrokerProcess(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>host:port of the access point.</summary>
    public string Endpoint { get; }

    /// <summary>CPU time the broker process has used so far (for the broker-side column).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="arguments">CLI arguments after <c>--port 0</c>, e.g. <c>--topic bench:NORMAL:8</c>.</param>
    public static async Task<BrokerProcess> StartAsync(IEnumerable<string> arguments)
    {
        // The project reference copies LocalBroker's dll, deps and runtimeconfig next to ours.
        var dll = Path.Combine(AppContext.BaseDirectory, "ActorProducer.LocalBroker.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (AccessPoint().Match(line) is { Success: true } match)
                {
                    // Keep reading its stdout so a chatty broker can never block on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new BrokerProcess(process, match.Groups[1].Value);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill(entireProcessTree: true);
        lock (stderr) throw new InvalidOperationException($"LocalBroker did not start: {stderr}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (\S+) \(.*access point\)")]
    private static partial Regex AccessPoint();
}
