'use strict';
// Sends one message: NORMAL by default, FIFO with --message-group, DELAY with --delay-ms.
// --body-size N replaces the body by N bytes (for the body-limit scenario).
// Result: { receipt, messageId, deliveryTimestamp (epoch ms, delay only) }.
const { run, baseMessage, describeReceipt } = require('../lib/harness');

run({
  'message-group': { type: 'string' },
  'delay-ms': { type: 'string' },
  'body-size': { type: 'string' },
}, async (args, startProducer) => {
  const producer = await startProducer();
  const deliveryTimestamp = args['delay-ms'] ? new Date(Date.now() + Number(args['delay-ms'])) : undefined;
  const message = baseMessage(args, {
    messageGroup: args['message-group'],
    deliveryTimestamp,
    ...(args['body-size'] ? { body: Buffer.alloc(Number(args['body-size']), 0x61) } : {}),
  });
  const receipt = await producer.send(message);
  return {
    receipt: describeReceipt(receipt),
    messageId: receipt.messageId,
    deliveryTimestamp: deliveryTimestamp?.getTime() ?? null,
  };
});
