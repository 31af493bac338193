'use strict';
// Begins a transaction, sends its half message, then commits or rolls back (--resolution).
// The checker answers UNKNOWN: this scenario resolves the transaction itself (SOURCE_CLIENT).
const { run, baseMessage, describeReceipt, TransactionResolution } = require('../lib/harness');

run({ resolution: { type: 'string', default: 'commit' } }, async (args, startProducer) => {
  const checks = [];
  const producer = await startProducer({
    checker: {
      async check(view) {
        checks.push(view.messageId);
        return TransactionResolution.TRANSACTION_RESOLUTION_UNSPECIFIED;
      },
    },
  });
  const transaction = producer.beginTransaction();
  const receipt = await producer.send(baseMessage(args), transaction);
  if (args.resolution === 'commit') {
    await transaction.commit();
  } else if (args.resolution === 'rollback') {
    await transaction.rollback();
  } else {
    throw new TypeError(`--resolution must be commit|rollback, got '${args.resolution}'`);
  }
  return { receipt: describeReceipt(receipt), messageId: receipt.messageId, transactionId: receipt.transactionId, checks };
});
