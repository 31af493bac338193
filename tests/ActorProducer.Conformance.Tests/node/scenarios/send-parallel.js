'use strict';
// Starts --count sends at once (Promise.all) and reports every receipt; body of message i is "<body>-i".
const { run, baseMessage, describeReceipt } = require('../lib/harness');

run({ count: { type: 'string', default: '50' } }, async (args, startProducer) => {
  const producer = await startProducer();
  const count = Number(args.count);
  const sends = Array.from({ length: count }, (_, i) =>
    producer.send(baseMessage(args, { body: Buffer.from(`${args.body}-${i}`) }))
      .then(receipt => ({ index: i, ...describeReceipt(receipt) })));
  const receipts = await Promise.all(sends);
  return { receipts };
});
