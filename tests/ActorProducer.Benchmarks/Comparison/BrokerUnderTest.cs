using ActorProducer.LocalBroker;

namespace ActorProducer.Benchmarks.Comparison;

/// <summary>The topics and store limit the comparison's LocalBroker is started with.</summary>
/// <param name="MaxMessagesPerQueue">Kept small: a long run at 16 KiB would otherwise hold gigabytes of bodies.</param>
internal sealed record BrokerSetup(IReadOnlyList<string> Topics, int QueueCount, int MaxMessagesPerQueue)
{
    /// <summary>The LocalBroker CLI arguments for this setup (after <c>--port 0</c>).</summary>
    public IEnumerable<string> CliArguments() =>
        Topics.SelectMany(t => new[] { "--topic", $"{t}:NORMAL:{QueueCount}" })
            .Concat(["--max-messages-per-queue", $"{MaxMessagesPerQueue}"]);
}

/// <summary>The LocalBroker the contenders talk to.</summary>
internal interface IBrokerUnderTest : IDisposable
{
    string Endpoint { get; }

    /// <summary>The broker's own CPU time so far; null when it shares the harness's process.</summary>
    TimeSpan? CpuTime();
}

/// <summary>The default: LocalBroker in its own process, so the client's allocations and CPU are the client's alone.</summary>
internal sealed class OutOfProcessBroker(BrokerProcess process) : IBrokerUnderTest
{
    public string Endpoint => process.Endpoint;
    public TimeSpan? CpuTime() => process.CpuTime;
    public void Dispose() => process.Dispose();
}

/// <summary>
/// <c>--in-process-broker</c>: LocalBroker inside the harness's process, as toolchain.md's loopback figures and the
/// earlier BENCHMARKS.md were measured. For the baseline investigation only: its work counts as the client's.
/// </summary>
internal sealed class InProcessBroker : IBrokerUnderTest
{
    private readonly LocalBroker.LocalBroker _broker;

    private InProcessBroker(LocalBroker.LocalBroker broker) => _broker = broker;

    public string Endpoint => _broker.Endpoint;
    public TimeSpan? CpuTime() => null;

    public static async Task<InProcessBroker> StartAsync(BrokerSetup setup)
    {
        var options = new LocalBrokerOptions { MaxMessagesPerQueue = setup.MaxMessagesPerQueue };
        foreach (var topic in setup.Topics) options.Topics.Add(new TopicDefinition(topic, QueueCount: setup.QueueCount));
        return new InProcessBroker(await LocalBroker.LocalBroker.StartAsync(options));
    }

    public void Dispose() => _broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
