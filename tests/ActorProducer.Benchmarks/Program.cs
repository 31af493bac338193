// dotnet run -c Release --project tests/ActorProducer.Benchmarks -- compare [--quick] [--write]   same-run comparison (BENCHMARKS.md)
//     --probe: raw gRPC only (baseline investigation); --in-process-broker: LocalBroker inside this process
// dotnet run -c Release --project tests/ActorProducer.Benchmarks -- --filter '*'                   BenchmarkDotNet micro-benchmarks
using ActorProducer.Benchmarks;
using BenchmarkDotNet.Running;

if (args.FirstOrDefault() == "compare") return await ThroughputComparison.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(ThroughputComparison).Assembly).Run(args);
return 0;
