using BenchmarkDotNet.Attributes;

namespace ActorProducer.Benchmarks;

/// <summary>A benchmark class that talks to one <see cref="BenchTarget"/>, started before its benchmarks and disposed after.</summary>
public abstract class WithBenchTarget
{
    private protected BenchTarget _target = null!;

    /// <summary>SendMessage answered in-process (<see cref="NoNetworkTransport"/>) instead of by LocalBroker.</summary>
    protected virtual bool NoNetwork => false;

    [GlobalSetup] public void Setup() => _target = BenchTarget.StartAsync(NoNetwork).GetAwaiter().GetResult();
    [GlobalCleanup] public void Cleanup() => _target.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>
/// LocalBroker must not be what other benchmarks measure: its SendMessage against an empty unary call on the
/// same server (issue: at most 2x). Sequential calls, one at a time, 128-byte body.
/// </summary>
[MemoryDiagnoser]
public class LocalBrokerCallCost : WithBenchTarget
{
    [Benchmark(Baseline = true, Description = "empty unary call")]
    public Task EmptyCall() => _target.EmptyCallAsync();

    [Benchmark(Description = "SendMessage (1 msg)")]
    public Task SendMessage() => _target.RawSendAsync();
}

/// <summary>What ActorProducer adds to a send: SendAsync and Ask through the actors against the raw gRPC call they make.</summary>
[MemoryDiagnoser]
public class ProducerSendCost : WithBenchTarget
{
    [Benchmark(Baseline = true, Description = "raw gRPC SendMessage, built per call")]
    public Task RawSend() => _target.RawSendAsync();

    [Benchmark(Description = "raw gRPC SendMessage, pre-built")]
    public Task RawPrebuiltSend() => _target.RawPrebuiltSendAsync();

    [Benchmark(Description = "ActorProducer SendAsync")]
    public Task ProducerSend() => _target.ProducerSendAsync();

    [Benchmark(Description = "ActorProducer Ask")]
    public Task Ask() => _target.AskAsync();
}

/// <summary>
/// The producer's own path with the network taken out (SendMessage answered in-process by
/// <see cref="NoNetworkTransport"/>): what the actors, validation, request building and replies cost per send.
/// </summary>
[MemoryDiagnoser]
public class ProducerPathCost : WithBenchTarget
{
    protected override bool NoNetwork => true;

    [Benchmark(Baseline = true, Description = "Ask, no network")]
    public Task Ask() => _target.AskAsync();

    [Benchmark(Description = "SendAsync, no network")]
    public Task ProducerSend() => _target.ProducerSendAsync();
}
