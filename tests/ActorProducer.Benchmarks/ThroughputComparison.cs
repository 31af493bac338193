using System.Diagnostics;
using System.Text.Json;

namespace ActorProducer.Benchmarks;

/// <summary>
/// One run, one LocalBroker, every contender: raw gRPC (the floor), ActorProducer (plain and auto-batching)
/// and the official RocketMQ Node.js client. Each contender warms up, then runs timed rounds; the median
/// round is reported with its ratio to raw gRPC at the same concurrency.
/// </summary>
internal static class ThroughputComparison
{
    private sealed record Options(TimeSpan Warmup, TimeSpan Round, int Rounds, int[] Concurrency);
    private sealed record Row(string Contender, int Concurrency, double MessagesPerSecond, double P50Ms);

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new Options(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 3, [1, 64])
            : new Options(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), 5, [1, 64]);
        var rows = new List<Row>();

        await using (var target = await BenchTarget.StartAsync())
        {
            foreach (var concurrency in options.Concurrency)
            {
                rows.Add(await Measure("raw gRPC SendMessage", concurrency, target.RawSendAsync, options));
                rows.Add(await Measure("ActorProducer SendAsync", concurrency, target.ProducerSendAsync, options));
                rows.Add(await MeasureNode(target.Broker.Endpoint, concurrency, options));
            }
            rows.Add(await Measure("LocalBroker empty unary call", 1, target.EmptyCallAsync, options));
            rows.Add(await Measure("LocalBroker SendMessage", 1, target.RawSendAsync, options));
        }
        await using (var batching = await BenchTarget.StartAsync(batching: true))
            rows.Add(await Measure("ActorProducer SendAsync, auto-batching", 64, batching.ProducerSendAsync, options));

        Print(rows);
        return 0;
    }

    private static async Task<Row> Measure(string name, int concurrency, Func<Task> send, Options options)
    {
        Console.Error.WriteLine($"measuring {name} at {concurrency} in flight...");
        await RunFor(options.Warmup, concurrency, send, null);
        var rates = new List<double>();
        var latencies = new List<double>();
        for (var r = 0; r < options.Rounds; r++)
        {
            var count = await RunFor(options.Round, concurrency, send, latencies);
            rates.Add(count / options.Round.TotalSeconds);
        }
        return new Row(name, concurrency, Median(rates), Median(latencies));
    }

    /// <summary>Runs <paramref name="concurrency"/> loops of sends for <paramref name="duration"/>; returns how many completed.</summary>
    private static async Task<int> RunFor(TimeSpan duration, int concurrency, Func<Task> send, List<double>? latencies)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var completed = 0;
        var gate = new object();
        async Task Loop()
        {
            var local = new List<double>();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var started = Stopwatch.GetTimestamp();
                await send();
                local.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            lock (gate)
            {
                completed += local.Count;
                latencies?.AddRange(local);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Loop)));
        return completed;
    }

    /// <summary>The official Node.js producer, timing itself the same way (see node/throughput.js).</summary>
    private static async Task<Row> MeasureNode(string endpoint, int concurrency, Options options)
    {
        Console.Error.WriteLine($"measuring the official Node.js client at {concurrency} in flight...");
        var script = Path.Combine(AppContext.BaseDirectory, "node", "throughput.js");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--endpoint", endpoint, "--topic", BenchTarget.Topic, "--concurrency", concurrency.ToString(),
                "--warmup-ms", ((int)options.Warmup.TotalMilliseconds).ToString(),
                "--round-ms", ((int)options.Round.TotalMilliseconds).ToString(), "--rounds", options.Rounds.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"node throughput.js failed: {await stderr}");
        var result = JsonDocument.Parse(stdout.Trim().Split('\n').Last()).RootElement;
        var rates = result.GetProperty("rates").EnumerateArray().Select(e => e.GetDouble()).ToList();
        return new Row("official Node.js client send", concurrency, Median(rates), result.GetProperty("p50").GetDouble());
    }

    private static void Print(List<Row> rows)
    {
        Console.WriteLine($"| contender | in flight | msgs/s (median of rounds) | vs raw gRPC | p50 latency |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var raw = rows.FirstOrDefault(r => r.Contender == "raw gRPC SendMessage" && r.Concurrency == row.Concurrency);
            var ratio = raw is null ? "" : $"{row.MessagesPerSecond / raw.MessagesPerSecond:0.00}x";
            Console.WriteLine($"| {row.Contender} | {row.Concurrency} | {row.MessagesPerSecond:N0} | {ratio} | {row.P50Ms:0.000} ms |");
        }
        var empty = rows.Single(r => r.Contender == "LocalBroker empty unary call");
        var send = rows.Single(r => r.Contender == "LocalBroker SendMessage");
        Console.WriteLine();
        Console.WriteLine($"LocalBroker SendMessage costs {empty.MessagesPerSecond / send.MessagesPerSecond:0.00}x an empty unary call (sequential, p50 {send.P50Ms:0.000} ms vs {empty.P50Ms:0.000} ms).");
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
