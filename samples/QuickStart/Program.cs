// ActorProducer quick start: sends 10,000 messages with synchronous, asynchronous (actor) and batched sends,
// through an embedded LocalBroker unless --endpoint points at a real RocketMQ 5 proxy.
using ActorProducer.Samples.QuickStart;

var options = QuickStartOptions.Parse(args);
if (options is null) return 2;
return await QuickStartRun.RunAsync(options);
