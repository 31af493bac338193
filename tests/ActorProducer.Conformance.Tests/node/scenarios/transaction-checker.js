'use strict';
// Sends nothing: starts a producer of --topic (use --prebind, so the broker's checks can reach it) whose checker
// answers --answer (COMMIT by default) to every check, and stays up until --count of its EndTransaction answers
// (SOURCE_SERVER_CHECK) have completed. Used to show that the Node client's checker resolves transactions another
// client (e.g. ActorProducer) began and left open.
// Result: { checks: [{ messageId, topic, body, tag, keys }], endTransactions: [{ transactionId, source, ok, error }] }.
const { run, log, startCheckingProducer } = require('../lib/harness');

run({ answer: { type: 'string', default: 'COMMIT' }, count: { type: 'string', default: '1' } }, async (args, startProducer) => {
  const count = Number(args.count);
  if (!Number.isInteger(count) || count < 1) throw new TypeError(`--count must be a positive integer, got '${args.count}'`);
  const { checks, endTransactions, answered } = await startCheckingProducer(startProducer, args.answer);

  log('INFO ', [ 'scenario: checker producer up; waiting for %d answered check(s)', count ]);
  await answered(count);
  const failed = endTransactions.find(e => !e.ok);
  if (failed) throw new Error(`EndTransaction after a check failed: ${failed.error.message}`);
  return { checks, endTransactions };
});
