'use strict';
// FIFO: for each round, sends one message per group and awaits each send before the next, so the order
// within a group is defined. Body is "<group>:<seq>". Result: { sent: [{ group, seq, messageId, queueId, brokerName }] }.
const { run, baseMessage, describeReceipt } = require('../lib/harness');

run({
  groups: { type: 'string', default: 'group-1,order-123,a' },
  'per-group': { type: 'string', default: '5' },
}, async (args, startProducer) => {
  const producer = await startProducer();
  const groups = args.groups.split(',');
  const sent = [];
  for (let seq = 0; seq < Number(args['per-group']); seq++) {
    for (const group of groups) {
      const receipt = await producer.send(baseMessage(args, { messageGroup: group, body: Buffer.from(`${group}:${seq}`) }));
      sent.push({ group, seq, ...describeReceipt(receipt) });
    }
  }
  return { sent };
});
