'use strict';
// Sends a half message and never commits it. The process stays up (telemetry stream open) until the server
// asks the checker, the checker answers --answer (COMMIT by default) and the client's EndTransaction
// (SOURCE_SERVER_CHECK) has completed. Use with --prebind so the producer is registered for the topic.
// Result: { receipt, checks: [{ messageId, topic, body, tag, keys }], endTransactions: [{ transactionId, ok, error }] }.
const { run, baseMessage, describeReceipt, describeError, log, TransactionResolution } = require('../lib/harness');

run({ answer: { type: 'string', default: 'COMMIT' } }, async (args, startProducer) => {
  const answer = TransactionResolution[args.answer];
  if (answer === undefined) throw new TypeError(`--answer must be COMMIT|ROLLBACK, got '${args.answer}'`);

  const checks = [];
  const endTransactions = [];
  let resolved;
  const firstAnswerDone = new Promise(resolve => { resolved = resolve; });

  const producer = await startProducer({
    checker: {
      async check(view) {
        log('INFO ', [ 'scenario: checker asked for messageId=%s', view.messageId ]);
        checks.push({ messageId: view.messageId, topic: view.topic, body: view.body.toString(), tag: view.tag || null, keys: view.keys });
        return answer;
      },
    },
  });

  // The client answers a check with producer.endTransaction(..., SOURCE_SERVER_CHECK) and only logs its outcome;
  // wrap it to learn when (and how) that answer completed.
  const endTransaction = producer.endTransaction.bind(producer);
  producer.endTransaction = async (endpoints, message, messageId, transactionId, resolution, source) => {
    try {
      const response = await endTransaction(endpoints, message, messageId, transactionId, resolution, source);
      endTransactions.push({ transactionId, source, ok: true, error: null });
      return response;
    } catch (err) {
      endTransactions.push({ transactionId, source, ok: false, error: describeError(err) });
      throw err;
    } finally {
      resolved();
    }
  };

  const transaction = producer.beginTransaction();
  const receipt = await producer.send(baseMessage(args), transaction);
  log('INFO ', [ 'scenario: half message sent, messageId=%s transactionId=%s; waiting for a check', receipt.messageId, receipt.transactionId ]);
  await firstAnswerDone;
  if (!endTransactions[0].ok) throw new Error(`EndTransaction after the check failed: ${endTransactions[0].error.message}`);
  return { receipt: describeReceipt(receipt), messageId: receipt.messageId, transactionId: receipt.transactionId, checks, endTransactions };
});
