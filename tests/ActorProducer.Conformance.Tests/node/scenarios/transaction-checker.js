'use strict';
// Sends nothing: starts a producer of --topic (use --prebind, so the broker's checks can reach it) whose checker
// answers --answer (COMMIT by default) to every check, and stays up until --count of its EndTransaction answers
// (SOURCE_SERVER_CHECK) have completed. Used to show that the Node client's checker resolves transactions another
// client (e.g. ActorProducer) began and left open.
// Result: { checks: [{ messageId, topic, body, tag, keys }], endTransactions: [{ transactionId, source, ok, error }] }.
const { run, describeError, log, TransactionResolution } = require('../lib/harness');

run({ answer: { type: 'string', default: 'COMMIT' }, count: { type: 'string', default: '1' } }, async (args, startProducer) => {
  const answer = TransactionResolution[args.answer];
  if (answer === undefined) throw new TypeError(`--answer must be COMMIT|ROLLBACK, got '${args.answer}'`);
  const count = Number(args.count);
  if (!Number.isInteger(count) || count < 1) throw new TypeError(`--count must be a positive integer, got '${args.count}'`);

  const checks = [];
  const endTransactions = [];
  let done;
  const allAnswered = new Promise(resolve => { done = resolve; });

  const producer = await startProducer({
    checker: {
      async check(view) {
        log('INFO ', [ 'scenario: checker asked for messageId=%s', view.messageId ]);
        checks.push({ messageId: view.messageId, topic: view.topic, body: view.body.toString(), tag: view.tag || null, keys: view.keys });
        return answer;
      },
    },
  });

  // The client answers a check with producer.endTransaction(..., SOURCE_SERVER_CHECK) and only logs the outcome;
  // wrap it to learn when (and how) each answer completed.
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
      if (endTransactions.length >= count) done();
    }
  };

  log('INFO ', [ 'scenario: checker producer up; waiting for %d answered check(s)', count ]);
  await allAnswered;
  const failed = endTransactions.find(e => !e.ok);
  if (failed) throw new Error(`EndTransaction after a check failed: ${failed.error.message}`);
  return { checks, endTransactions };
});
