using System.Diagnostics;
using System.Text.Json;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>The official RocketMQ Node.js producer (node/throughput.js), timing itself the same way in its own process.</summary>
internal static class NodeContender
{
    public const string Name = "official Node.js client";

    public static async Task<Row> MeasureAsync(string endpoint, string topic, int size, int concurrency, RunOptions options, Func<TimeSpan?> brokerCpu)
    {
        Measurement.Progress($"{Name}, {Sizes.Name(size)}, {concurrency} in flight");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "node", "throughput.js"), "--endpoint", endpoint, "--topic", topic,
                     "--concurrency", $"{concurrency}", "--size", $"{size}",
                     "--warmup-ms", $"{(int)options.Warmup.TotalMilliseconds}", "--round-ms", $"{(int)options.Round.TotalMilliseconds}",
                     "--rounds", $"{options.Rounds}",
                 })
            start.ArgumentList.Add(argument);

        var broker0 = brokerCpu();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var broker = brokerCpu() - broker0;
        if (process.ExitCode != 0) throw new InvalidOperationException($"node throughput.js failed (is `npm ci` done in tests/ActorProducer.Conformance.Tests/node?): {await stderr}");

        var result = JsonDocument.Parse(stdout.Trim().Split('\n').Last()).RootElement;
        var rates = result.GetProperty("rates").EnumerateArray().Select(e => e.GetDouble()).ToList();
        // Broker CPU over the whole node run (start-up and warm-up included) per send: close enough for a side column.
        var total = Math.Max(1, result.GetProperty("total").GetInt64());
        return new Row(Name, size, concurrency, Measurement.Median(rates), result.GetProperty("p50").GetDouble(),
            result.GetProperty("p99").GetDouble(), null, result.GetProperty("cpuMicros").GetDouble(),
            broker?.TotalMicroseconds / total, result.GetProperty("failed").GetInt64());
    }
}
