'use strict';
// Starts a producer and keeps it running for --idle-ms without sending, so its periodic work (heartbeat every
// 10 s, hard-coded in the client) reaches the broker. Result: {}.
const { run } = require('../lib/harness');

run({ 'idle-ms': { type: 'string', default: '11000' } }, async (args, startProducer) => {
  await startProducer();
  await new Promise(resolve => setTimeout(resolve, Number(args['idle-ms'])));
  return {};
});
