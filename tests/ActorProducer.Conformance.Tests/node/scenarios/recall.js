'use strict';
// Sends a DELAY message (--delay-ms, default 10 min) and recalls it with the receipt's recall handle.
// Result: { receipt, messageId, recalledMessageId }.
const { run, baseMessage, describeReceipt } = require('../lib/harness');

run({ 'delay-ms': { type: 'string', default: '600000' } }, async (args, startProducer) => {
  const producer = await startProducer();
  const receipt = await producer.send(baseMessage(args, { deliveryTimestamp: new Date(Date.now() + Number(args['delay-ms'])) }));
  const recall = await producer.recallMessage(args.topic, receipt.recallHandle);
  return { receipt: describeReceipt(receipt), messageId: receipt.messageId, recalledMessageId: recall.messageId };
});
