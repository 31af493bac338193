using System.Diagnostics;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>Warm-up, timed rounds: how long each lasts.</summary>
internal sealed record RunOptions(TimeSpan Warmup, TimeSpan Round, int Rounds);

/// <summary>One row: a contender at one message size and concurrency, over the timed rounds only.</summary>
/// <param name="MessagesPerSecond">Median of the rounds.</param>
/// <param name="AllocatedBeyondPayload">Bytes allocated by the client process per send, minus the body size; null when not measurable (Node).</param>
/// <param name="CpuMicros">Client process CPU time per send.</param>
/// <param name="BrokerCpuMicros">LocalBroker process CPU time per send (null with an in-process broker).</param>
/// <param name="HeapMb">Managed heap after a full GC, at the end of the rounds (load still running), without the harness's sending actors.</param>
/// <param name="WorkingSetMb">Client process working set at the same moment.</param>
internal sealed record Row(
    string Contender, int Size, int Concurrency, double MessagesPerSecond, double P50Ms, double P99Ms,
    double? AllocatedBeyondPayload, double CpuMicros, double? BrokerCpuMicros, long Failed,
    double? HeapMb = null, double? WorkingSetMb = null)
{
    public string Setup { get; init; } = "";
}

/// <summary>Runs one load: start, warm up, timed rounds (reading counters, allocations and CPU around them), stop and drain.</summary>
internal static class Measurement
{
    public static async Task<Row> MeasureAsync(
        string contender, int size, int concurrency, Func<LoadStats, Task> run, RunOptions options, Func<TimeSpan?> brokerCpu)
    {
        Progress($"{contender}, {Sizes.Name(size)}, {concurrency} in flight");
        var stats = new LoadStats();
        var running = run(stats);
        await Task.Delay(options.Warmup);
        if (running.IsFaulted) await running; // a load that could not start says why

        stats.Latency.Reset();
        var self = Process.GetCurrentProcess();
        var failed0 = stats.Failed;
        var broker0 = brokerCpu();
        var cpu0 = self.TotalProcessorTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var done0 = stats.Completed + stats.Failed;
        var rates = new List<double>();
        for (var r = 0; r < options.Rounds; r++)
        {
            var completed = stats.Completed;
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(options.Round);
            rates.Add((stats.Completed - completed) / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpu0;
        var broker = brokerCpu() - broker0;
        var sends = Math.Max(1, stats.Completed + stats.Failed - done0);
        var p50 = stats.Latency.PercentileMs(0.50);
        var p99 = stats.Latency.PercentileMs(0.99);
        var failed = stats.Failed - failed0;

        // Memory under load, after the counters above were read (the forced GC must not count as the client's CPU).
        var heapMb = (GC.GetTotalMemory(forceFullCollection: true) - stats.SenderActorBytes) / 1048576.0;
        self.Refresh();
        var workingSetMb = self.WorkingSet64 / 1048576.0;

        stats.Stop();
        if (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(60))) != running)
            throw new TimeoutException($"{contender}: sends still in flight 60 s after the run");
        await running;

        return new Row(contender, size, concurrency, Median(rates), p50, p99,
            (double)allocated / sends - size, cpu.TotalMicroseconds / sends, broker?.TotalMicroseconds / sends, failed,
            heapMb, workingSetMb);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Progress goes to stderr, so stdout holds only the tables.</summary>
    public static void Progress(string what) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {what}");
}

/// <summary>The message sizes of the comparison.</summary>
internal static class Sizes
{
    public static readonly int[] All = [128, 1024, 16 * 1024];

    public static string Name(int size) => size >= 1024 ? $"{size / 1024} KiB" : $"{size} B";

    /// <summary>A body of <paramref name="size"/> bytes, not all zeros (nothing on the path compresses, but no contender should get a lucky case).</summary>
    public static byte[] Body(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        return body;
    }
}
