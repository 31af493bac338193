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

/// <summary>What ActorProducer adds to a send: SendAsync and Ask through the actors against the raw gRPC call they make.</summary>
[MemoryDiagnoser]
public class ProducerSendCost
{
    private BenchTarget _target = null!;

    [GlobalSetup] public void Setup() => _target = BenchTarget.StartAsync().GetAwaiter().GetResult();
    [GlobalCleanup] public void Cleanup() => _target.DisposeAsync().AsTask().GetAwaiter().GetResult();

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
public class ProducerPathCost
{
    private BenchTarget _target = null!;

    [GlobalSetup] public void Setup() => _target = BenchTarget.StartAsync(noNetwork: true).GetAwaiter().GetResult();
    [GlobalCleanup] public void Cleanup() => _target.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Ask, no network")]
    public Task Ask() => _target.AskAsync();

    [Benchmark(Description = "SendAsync, no network")]
    public Task ProducerSend() => _target.ProducerSendAsync();
}
