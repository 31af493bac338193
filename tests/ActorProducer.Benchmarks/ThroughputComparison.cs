using Akka.Actor;
using ActorProducer.Benchmarks.Comparison;
using ActorProducer.Messages;
using Apache.Rocketmq.V2;

namespace ActorProducer.Benchmarks;

/// <summary>
/// The same-run comparison (BENCHMARKS.md): one LocalBroker in its own process, every contender at every message
/// size, sequentially and pipelined, then the scaling runs; prints the tables and the targets, and with
/// <c>--write</c> puts them into BENCHMARKS.md.
/// </summary>
internal static class ThroughputComparison
{
    public const string Command = "dotnet run -c Release --project tests/ActorProducer.Benchmarks -- compare";
    private const string Topic = "bench";
    private const int Pipelined = 64;
    private static readonly int[] TopicCounts = [1, 10, 50];
    private static readonly int[] ActorCounts = [1, 100, 1_000, 10_000];

    public static class Names
    {
        public const string Raw = "raw gRPC, pre-built request";
        public const string RawBuilt = "raw gRPC, request built per call";
        public const string EmptyCall = "raw gRPC, empty unary call (QueryOffset)";
        public const string Ask = "ActorProducer Ask";
        public const string Tell = "ActorProducer Tell (driver actor)";
        public const string Facade = "ActorProducer SendAsync (Task facade)";
        public const string Batched = "ActorProducer Tell, auto-batched";
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            // 2 s, not 1: right after a pipelined row, a sequential row needs ~2 s before the thread pools settle
            // (measured: 1 s left the next sequential row at half speed, with CPU burnt spinning).
            ? new RunOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 3)
            : new RunOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), 5);
        var facts = MachineFacts.Collect(quick ? $"{Command} --quick" : Command);

        // The main topic and scale-0..49 for the scaling runs, 8 queues each; each queue keeps its last 1,000 messages.
        var setup = new BrokerSetup([Topic, .. Enumerable.Range(0, TopicCounts.Max()).Select(ScaleTopic)], 8, 1_000);
        IBrokerUnderTest broker = args.Contains("--in-process-broker")
            ? await InProcessBroker.StartAsync(setup)
            : new OutOfProcessBroker(await BrokerProcess.StartAsync(setup.CliArguments()));
        var results = new List<Row>();
        var scaling = new List<Row>();
        try
        {
            using var raw = new RawGrpc(broker.Endpoint);
            await WarmUpBrokerAsync(raw, options);
            if (args.Contains("--probe")) results.AddRange(await ProbeAsync(broker, raw, options));
            else
            {
                foreach (var size in Sizes.All) results.AddRange(await CompareAsync(broker, raw, size, options));
                scaling.AddRange(await ScaleAsync(broker, options));
            }
        }
        finally
        {
            broker.Dispose();
        }

        facts = facts.Finished();
        var report = Report.Render(facts, broker is InProcessBroker ? "in the harness's process" : "in its own process", options, results, scaling);
        Console.WriteLine(report);
        if (args.Contains("--write")) Report.WriteInto(FindBenchmarksMd(), report);
        return 0;
    }

    private static async Task<List<Row>> CompareAsync(IBrokerUnderTest broker, RawGrpc raw, int size, RunOptions options)
    {
        var body = Sizes.Body(size);
        var request = RawGrpc.Request(Topic, body);
        var message = new ProducerMessage(Topic, body);
        var rows = new List<Row>();

        Task RawLoops(int n, LoadStats stats) =>
            Senders.Loops(n, () => raw.Client.SendMessageAsync(request, raw.PrebuiltHeaders).ResponseAsync, IsOk, stats);

        // Sequential: latency of one send at a time.
        rows.Add(await Measure(Names.Raw, size, 1, s => RawLoops(1, s)));
        await using (var host = await ProducerHost.StartAsync(broker.Endpoint, [Topic], batching: false))
        {
            var ask = TimeSpan.FromSeconds(30);
            rows.Add(await Measure(Names.Ask, size, 1,
                s => Senders.Loops(1, () => host.Producer.Actor.Ask<SendOutcome>(new Send(message), ask), o => o is SendResult, s)));
        }
        rows.Add(await NodeContender.MeasureAsync(broker.Endpoint, Topic, size, 1, options, broker.CpuTime));

        // Pipelined: Pipelined sends in flight.
        rows.Add(await Measure(Names.Raw, size, Pipelined, s => RawLoops(Pipelined, s)));
        rows.Add(await NodeContender.MeasureAsync(broker.Endpoint, Topic, size, Pipelined, options, broker.CpuTime));
        await using (var host = await ProducerHost.StartAsync(broker.Endpoint, [Topic], batching: false))
        {
            rows.Add(await Measure(Names.Tell, size, Pipelined,
                s => Senders.TellDriver(host.System, host.Producer.Actor, [message], Pipelined, s)));
            rows.Add(await Measure(Names.Facade, size, Pipelined,
                s => Senders.Loops(Pipelined, () => host.Producer.SendAsync(message), _ => true, s)));
        }
        await using (var host = await ProducerHost.StartAsync(broker.Endpoint, [Topic], batching: true))
        {
            rows.Add(await Measure(Names.Batched, size, Pipelined,
                s => Senders.TellDriver(host.System, host.Producer.Actor, [message], Pipelined, s)));
        }
        return rows;

        Task<Row> Measure(string name, int s, int n, Func<LoadStats, Task> run) =>
            Measurement.MeasureAsync(name, s, n, run, options, broker.CpuTime);
    }

    /// <summary>A fresh broker runs unoptimised (tier-0) code: load it before the first row, so that row is not the one that pays.</summary>
    private static async Task WarmUpBrokerAsync(RawGrpc raw, RunOptions options)
    {
        Measurement.Progress("warming up LocalBroker");
        var request = RawGrpc.Request(Topic, Sizes.Body(128));
        var stats = new LoadStats();
        var running = Senders.Loops(Pipelined, () => raw.Client.SendMessageAsync(request, raw.PrebuiltHeaders).ResponseAsync, IsOk, stats);
        await Task.Delay(options.Warmup * 2);
        stats.Stop();
        await running;
    }

    /// <summary>Throughput and memory with sends spread over more topics, then over more sending actors (128 B, same in-flight total).</summary>
    private static async Task<List<Row>> ScaleAsync(IBrokerUnderTest broker, RunOptions options)
    {
        var body = Sizes.Body(128);
        var rows = new List<Row>();
        foreach (var topics in TopicCounts)
        {
            var names = Enumerable.Range(0, topics).Select(ScaleTopic).ToArray();
            var messages = names.Select(t => new ProducerMessage(t, body)).ToArray();
            await using var host = await ProducerHost.StartAsync(broker.Endpoint, names, batching: false);
            var row = await Measurement.MeasureAsync($"Tell driver over {topics} topic(s)", 128, Pipelined,
                s => Senders.TellDriver(host.System, host.Producer.Actor, messages, Pipelined, s), options, broker.CpuTime);
            rows.Add(row with { Setup = $"{topics} topic(s)" });
        }
        foreach (var actors in ActorCounts)
        {
            var message = new ProducerMessage(Topic, body);
            await using var host = await ProducerHost.StartAsync(broker.Endpoint, [Topic], batching: false);
            var row = await Measurement.MeasureAsync($"{actors} sending actor(s)", 128, Pipelined,
                s => Senders.Relay(host.System, host.Producer.Actor, message, actors, Pipelined, s), options, broker.CpuTime);
            rows.Add(row with { Setup = $"{actors:N0} sending actor(s)" });
        }
        return rows;
    }

    /// <summary>
    /// Baseline investigation (<c>--probe</c>): what a raw call costs with and without per-call building, next to an
    /// RPC the broker answers without work. Combine with <c>--in-process-broker</c> and DOTNET_gcServer=0/1.
    /// </summary>
    private static async Task<List<Row>> ProbeAsync(IBrokerUnderTest broker, RawGrpc raw, RunOptions options)
    {
        var body = Sizes.Body(128);
        var request = RawGrpc.Request(Topic, body);
        var rows = new List<Row>();
        foreach (var n in new[] { 1, Pipelined })
        {
            rows.Add(await Measurement.MeasureAsync(Names.Raw, 128, n,
                s => Senders.Loops(n, () => raw.Client.SendMessageAsync(request, raw.PrebuiltHeaders).ResponseAsync, IsOk, s), options, broker.CpuTime));
            rows.Add(await Measurement.MeasureAsync(Names.RawBuilt, 128, n,
                s => Senders.Loops(n, () => raw.SendBuiltAsync(Topic, body), IsOk, s), options, broker.CpuTime));
            rows.Add(await Measurement.MeasureAsync(Names.EmptyCall, 0, n,
                s => Senders.Loops(n, raw.EmptyCallAsync, r => r.Status.Code == Code.NotImplemented, s), options, broker.CpuTime));
        }
        return rows;
    }

    private static bool IsOk(SendMessageResponse response) => response.Status.Code == Code.Ok;

    private static string ScaleTopic(int index) => $"scale-{index}";

    private static string FindBenchmarksMd()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ActorProducer.sln"))) return Path.Combine(dir.FullName, "BENCHMARKS.md");
            }
        }
        throw new FileNotFoundException("BENCHMARKS.md: no ActorProducer.sln above the current directory or the build output");
    }
}
