'use strict';
// The official RocketMQ Node.js producer, timed like the .NET contenders (Comparison/Measurement.cs): N concurrent
// send loops, a warm-up, then timed rounds. Prints one JSON line:
// { rates: [msgs/s per round], p50, p99 (ms), cpuMicros (process CPU per send in the rounds), failed, total (all sends) }.
const path = require('node:path');
const { parseArgs } = require('node:util');
// The client is installed (npm ci, committed lock file) by the conformance suite; reuse that install.
const { Producer } = require(path.resolve(__dirname, '../../../../../ActorProducer.Conformance.Tests/node/node_modules/rocketmq-client-nodejs'));

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' }, topic: { type: 'string' }, concurrency: { type: 'string', default: '1' },
    size: { type: 'string', default: '128' },
    'warmup-ms': { type: 'string', default: '3000' }, 'round-ms': { type: 'string', default: '3000' }, rounds: { type: 'string', default: '3' },
  },
});
const quiet = { debug() {}, info() {}, warn() {}, error: (...a) => console.error(...a), close() {} };
const body = Buffer.alloc(Number(values.size), 7);
let total = 0;
let failed = 0;

async function runFor(producer, ms, concurrency, latencies) {
  const stopAt = Date.now() + ms;
  let completed = 0;
  const loop = async () => {
    while (Date.now() < stopAt) {
      const started = process.hrtime.bigint();
      try {
        await producer.send({ topic: values.topic, body });
        completed++;
      } catch (e) {
        failed++;
      }
      total++;
      latencies?.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return completed;
}

(async () => {
  const producer = new Producer({ endpoints: values.endpoint, topics: [ values.topic ], logger: quiet });
  await producer.startup();
  const concurrency = Number(values.concurrency);
  const roundMs = Number(values['round-ms']);
  await runFor(producer, Number(values['warmup-ms']), concurrency);
  const rates = [];
  const latencies = [];
  const cpu = process.cpuUsage();
  const before = total;
  for (let r = 0; r < Number(values.rounds); r++) rates.push(await runFor(producer, roundMs, concurrency, latencies) / (roundMs / 1000));
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const at = q => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  console.log(JSON.stringify({
    rates, p50: at(0.5), p99: at(0.99), cpuMicros: (used.user + used.system) / Math.max(1, total - before), failed, total,
  }));
  await producer.shutdown();
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
