using BenchmarkDotNet.Attributes;

namespace ActorProducer.Benchmarks;

/// <summary>
/// LocalBroker must not be what other benchmarks measure: its SendMessage against an empty unary call on the
/// same server (issue: at most 2x). Sequential calls, one at a time, 128-byte body.
/// </summary>
[MemoryDiagnoser]
public class LocalBrokerCallCost
{
    private BenchTarget _target = null!;

    [GlobalSetup] public void Setup() => _target = BenchTarget.StartAsync().GetAwaiter().GetResult();
    [GlobalCleanup] public void Cleanup() => _target.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "empty unary call")]
    public Task EmptyCall() => _target.EmptyCallAsync();

    [Benchmark(Description = "SendMessage (1 msg)")]
    public Task SendMessage() => _target.RawSendAsync();
}

/// <summary>What ActorProducer adds to a send: SendAsync through the actors against the raw gRPC call it makes.</summary>
[MemoryDiagnoser]
public class ProducerSendCost
{
    private BenchTarget _target = null!;

    [GlobalSetup] public void Setup() => _target = BenchTarget.StartAsync().GetAwaiter().GetResult();
    [GlobalCleanup] public void Cleanup() => _target.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "raw gRPC SendMessage")]
    public Task RawSend() => _target.RawSendAsync();

    [Benchmark(Description = "ActorProducer SendAsync")]
    public Task ProducerSend() => _target.ProducerSendAsync();

}
