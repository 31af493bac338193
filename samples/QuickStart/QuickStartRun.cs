using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using ActorProducer.LocalBroker;
using ActorProducer.Messages;
using Spectre.Console;

namespace ActorProducer.Samples.QuickStart;

/// <summary>Starts the broker (if embedded) and the producer, runs the three phases and prints the summary.</summary>
internal static class QuickStartRun
{
    public static async Task<int> RunAsync(QuickStartOptions options)
    {
        await using var broker = options.Endpoint is null
            ? await LocalBroker.LocalBroker.StartAsync(new LocalBrokerOptions { Topics = { new TopicDefinition(options.Topic, QueueCount: 8) } })
            : null;
        var endpoint = options.Endpoint ?? broker!.Endpoint;
        AnsiConsole.MarkupLine(broker is null
            ? $"Sending {options.Messages:N0} messages to [bold]{endpoint}[/], topic [bold]{options.Topic}[/]"
            : $"Embedded LocalBroker on [bold]{endpoint}[/]; sending {options.Messages:N0} messages to topic [bold]{options.Topic}[/]");

        // One producer for the whole process, reused by every phase: the pattern to follow in applications.
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.rocketmq.producer {
              endpoints = "{{endpoint}}"
              topics = ["{{options.Topic}}"]
            }
            """);
        using var system = ActorSystem.Create("quickstart", config);
        var producer = await RocketMqProducerExtension.Get(system).StartProducerAsync();
        AnsiConsole.MarkupLine($"Producer [bold]{producer.ClientId}[/] is running");

        var stats = new QuickStartStats();
        var syncCount = options.Messages / 10;
        var batchCount = options.Messages / 5;
        var asyncCount = options.Messages - syncCount - batchCount;
        const int batchSize = 50;
        ProducerMessage MessageFor(string phase, int i) =>
            ProducerMessage.Text(options.Topic, $"{phase} message {i}") with { Tag = phase, Keys = [$"{phase}-{i}"] };

        var clock = Stopwatch.StartNew();
        await PhaseProgress.RunAsync(
        [
            new("sync   (await SendAsync)", syncCount, async advance =>
            {
                for (var i = 0; i < syncCount; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await producer.SendAsync(MessageFor("sync", i));
                        stats.Record(Stopwatch.GetElapsedTime(started), null);
                    }
                    catch (Errors.RocketMqProducerException e) { stats.Record(Stopwatch.GetElapsedTime(started), e.Error); }
                    advance(1);
                }
            }),
            new("async  (actor Tell)   ", asyncCount, async advance =>
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var publisher = system.ActorOf(Props.Create(() => new PublisherActor(producer.Actor, stats, advance)), "publisher");
                publisher.Tell(new PublisherActor.Publish(asyncCount, 256, i => MessageFor("async", i), done));
                await done.Task;
            }),
            new("batch  (SendBatchAsync)", batchCount, async advance =>
            {
                for (var sent = 0; sent < batchCount; sent += batchSize)
                {
                    var size = Math.Min(batchSize, batchCount - sent);
                    var batch = Enumerable.Range(sent, size).Select(i => MessageFor("batch", i)).ToArray();
                    var started = Stopwatch.GetTimestamp();
                    var completed = await producer.SendBatchAsync(batch);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    foreach (var outcome in completed.Outcomes) stats.Record(elapsed, (outcome as SendFailed)?.Error);
                    advance(size);
                }
            }),
        ]);
        var seconds = clock.Elapsed.TotalSeconds;
        await producer.DisposeAsync();

        var table = new Table().AddColumns("", "value");
        table.AddRow("messages sent", $"{options.Messages:N0} ({syncCount:N0} sync, {asyncCount:N0} async, {batchCount:N0} in batches of {batchSize})");
        table.AddRow("succeeded", $"{stats.Succeeded:N0}");
        table.AddRow("failed", $"{stats.Failed:N0}{string.Concat(stats.FailuresByKind.Select(f => $"  [{f.Key}: {f.Value}]"))}");
        table.AddRow("throughput", $"{options.Messages / seconds:N0} msgs/s over {seconds:N2} s");
        table.AddRow("latency p50 / p99", $"{stats.Percentile(50):N2} ms / {stats.Percentile(99):N2} ms");
        if (broker is not null)
            table.AddRow("stored by LocalBroker", $"{broker.Inspect.Messages(options.Topic).Count:N0}");
        AnsiConsole.Write(table);

        var storedMatches = broker is null || broker.Inspect.Messages(options.Topic).Count == stats.Succeeded;
        if (!storedMatches) AnsiConsole.MarkupLine("[red]LocalBroker stored a different number of messages than were acknowledged[/]");
        return stats.Failed == 0 && storedMatches ? 0 : 1;
    }
}
