using Akka.Actor;
using Xunit.Abstractions;

namespace ActorProducer.Chaos.Tests.Infrastructure;

/// <summary>
/// Every chaos spec runs in this one collection, one at a time (xunit.runner.json also turns collection parallelism
/// off): the heap measurement of a run must not see another run's allocations, and the timings must not share cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<ChaosReportFile>
{
    public const string Name = "chaos";
}

/// <summary>
/// Warms the process up before the first spec (see <see cref="ChaosRunner.WarmUpAsync"/>) and writes the run's tables
/// to the report file once every spec of the collection has run.
/// </summary>
public sealed class ChaosReportFile : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var system = ActorSystem.Create("chaos-warm-up", "akka.loglevel = ERROR");
        try
        {
            await new ChaosRunner(system, new DiscardingOutput()).WarmUpAsync(sends: 300);
        }
        finally
        {
            await system.Terminate();
        }
    }

    public Task DisposeAsync()
    {
        ReliabilityReport.WriteFile();
        return Task.CompletedTask;
    }

    private sealed class DiscardingOutput : ITestOutputHelper
    {
        public void WriteLine(string message) { }
        public void WriteLine(string format, params object[] args) { }
    }
}
