'use strict';
// Begins a transaction, sends its half message and exits without committing or rolling back (the harness shuts the
// producer down): the transaction is left to whichever producer of the topic the broker checks next. This
// producer's own checker answers UNKNOWN while it is still up. Used to show that another client's checker (e.g.
// ActorProducer's) can resolve a transaction the Node client began.
// Result: { receipt, messageId, transactionId, checks: [messageId] }.
const { run, baseMessage, describeReceipt, TransactionResolution } = require('../lib/harness');

run({}, async (args, startProducer) => {
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
  return { receipt: describeReceipt(receipt), messageId: receipt.messageId, transactionId: receipt.transactionId, checks };
});
