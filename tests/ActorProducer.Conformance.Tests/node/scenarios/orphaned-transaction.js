'use strict';
// Sends a half message and never commits it. The process stays up (telemetry stream open) until the server
// asks the checker, the checker answers --answer (COMMIT by default) and the client's EndTransaction
// (SOURCE_SERVER_CHECK) has completed. Use with --prebind so the producer is registered for the topic.
// Result: { receipt, checks: [{ messageId, topic, body, tag, keys }], endTransactions: [{ transactionId, ok, error }] }.
const { run, baseMessage, describeReceipt, log, startCheckingProducer } = require('../lib/harness');

run({ answer: { type: 'string', default: 'COMMIT' } }, async (args, startProducer) => {
  const { producer, checks, endTransactions, answered } = await startCheckingProducer(startProducer, args.answer);

  const transaction = producer.beginTransaction();
  const receipt = await producer.send(baseMessage(args), transaction);
  log('INFO ', [ 'scenario: half message sent, messageId=%s transactionId=%s; waiting for a check', receipt.messageId, receipt.transactionId ]);
  await answered(1);
  if (!endTransactions[0].ok) throw new Error(`EndTransaction after the check failed: ${endTransactions[0].error.message}`);
  return { receipt: describeReceipt(receipt), messageId: receipt.messageId, transactionId: receipt.transactionId, checks, endTransactions };
});
