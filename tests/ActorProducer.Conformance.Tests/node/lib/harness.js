'use strict';
// Shared plumbing of the conformance scenarios: argument parsing, producer start-up, a stderr logger,
// error/receipt serialisation and the "one JSON line on stdout, exit code says whether it went as expected"
// contract the xunit side relies on.
//
// Contract of every scenario script:
//   stdout: exactly one line, a JSON object { ok, clientId, ...scenario fields } or { ok: false, error: {...} }
//   stderr: the client's own log (everything it logs) plus harness diagnostics
//   exit:   0 when the outcome matches --expect (success by default), 1 otherwise, 3 on watchdog timeout

const { parseArgs, format } = require('node:util');
const { Producer } = require('rocketmq-client-nodejs');
const { TransactionResolution } = require('rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb');

const COMMON_OPTIONS = {
  endpoint: { type: 'string' },
  topic: { type: 'string' },
  namespace: { type: 'string', default: '' },
  'request-timeout': { type: 'string', default: '3000' },
  // Prebind the topic (producer option `topics`): start-up then queries the route and waits for the settings reply.
  prebind: { type: 'boolean', default: false },
  expect: { type: 'string', default: 'success' },
  'timeout-ms': { type: 'string', default: '20000' },
  tag: { type: 'string' },
  keys: { type: 'string' },
  property: { type: 'string', multiple: true, default: [] },
  body: { type: 'string', default: 'hello from node' },
};

const startedAt = Date.now();

/** The client logs through this: every line goes to stderr, prefixed with the elapsed time. */
function log(level, args) {
  process.stderr.write(`[+${String(Date.now() - startedAt).padStart(5)}ms] ${level} ${format(...args)}\n`);
}
const stderrLogger = {
  debug: (...args) => log('DEBUG', args),
  info: (...args) => log('INFO ', args),
  warn: (...args) => log('WARN ', args),
  error: (...args) => log('ERROR', args),
  close: () => {},
};

function parseArguments(extraOptions) {
  const { values } = parseArgs({ options: { ...COMMON_OPTIONS, ...extraOptions }, strict: true });
  const endpoint = values.endpoint ?? process.env.ROCKETMQ_ENDPOINT;
  if (!endpoint) throw new TypeError('--endpoint (or ROCKETMQ_ENDPOINT) is required');
  if (!values.topic) throw new TypeError('--topic is required');
  if (values.expect !== 'success' && values.expect !== 'failure') throw new TypeError('--expect must be success|failure');
  return {
    ...values,
    endpoint,
    // Credentials come from the environment so that they do not show up in process listings.
    accessKey: process.env.ROCKETMQ_ACCESS_KEY || undefined,
    accessSecret: process.env.ROCKETMQ_ACCESS_SECRET || undefined,
    requestTimeout: Number(values['request-timeout']),
    timeoutMs: Number(values['timeout-ms']),
  };
}

/** The user properties given as repeated --property key=value. */
function properties(args) {
  if (args.property.length === 0) return undefined;
  return new Map(args.property.map(kv => {
    const i = kv.indexOf('=');
    if (i <= 0) throw new TypeError(`--property expects key=value, got '${kv}'`);
    return [ kv.slice(0, i), kv.slice(i + 1) ];
  }));
}

/** Message options shared by the scenarios: topic, tag, keys, properties, body. */
function baseMessage(args, overrides = {}) {
  return {
    topic: args.topic,
    tag: args.tag,
    keys: args.keys ? args.keys.split(',') : undefined,
    properties: properties(args),
    body: Buffer.from(args.body),
    ...overrides,
  };
}

function describeReceipt(receipt) {
  return {
    messageId: receipt.messageId,
    transactionId: receipt.transactionId,
    offset: receipt.offset,
    recallHandle: receipt.recallHandle,
    queueId: receipt.messageQueue.queueId,
    brokerName: receipt.messageQueue.broker.name,
    endpoints: receipt.endpoints.facade,
  };
}

/** Flattens an error and its cause chain; `code` is the first RocketMQ status code found in the chain. */
function describeError(err) {
  const chain = [];
  for (let e = err, depth = 0; e && depth < 8; e = e.cause, depth++) {
    chain.push({ name: e.name ?? typeof e, code: typeof e.code === 'number' ? e.code : undefined, message: String(e.message ?? e) });
  }
  const coded = chain.find(e => e.code !== undefined);
  return { name: chain[0].name, code: coded?.code ?? null, message: chain[0].message, chain };
}

/** Prints the result line and exits once stdout has flushed it (pipes are asynchronous on some platforms). */
let emitted = false;
function emitAndExit(result, exitCode) {
  if (emitted) return;
  emitted = true;
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(exitCode));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs one scenario. `scenario(args, startProducer)` returns the fields of a successful result;
 * `startProducer(extraProducerOptions)` builds and starts the producer (at most one per scenario).
 */
async function run(extraOptions, scenario) {
  let args;
  try {
    args = parseArguments(extraOptions);
  } catch (err) {
    emitAndExit({ ok: false, error: describeError(err) }, 1);
    return;
  }

  let producer;
  const watchdog = setTimeout(() => {
    const error = { name: 'Timeout', code: null, message: `scenario did not finish within ${args.timeoutMs} ms` };
    emitAndExit({ ok: false, clientId: producer?.clientId ?? null, error }, 3);
  }, args.timeoutMs);

  async function startProducer(extraProducerOptions = {}) {
    if (producer) throw new Error('a scenario starts one producer');
    producer = new Producer({
      endpoints: args.endpoint,
      namespace: args.namespace,
      sessionCredentials: args.accessKey ? { accessKey: args.accessKey, accessSecret: args.accessSecret ?? '' } : undefined,
      requestTimeout: args.requestTimeout,
      topics: args.prebind ? [ args.topic ] : undefined,
      logger: stderrLogger,
      ...extraProducerOptions,
    });
    log('INFO ', [ 'harness: starting producer clientId=%s endpoint=%s prebind=%s', producer.clientId, args.endpoint, args.prebind ]);
    await producer.startup();
    return producer;
  }

  let result;
  try {
    result = { ok: true, ...(await scenario(args, startProducer)) };
  } catch (err) {
    log('ERROR', [ 'harness: scenario failed: %s', err?.stack ?? err ]);
    result = { ok: false, error: describeError(err) };
  }
  result.clientId = producer?.clientId ?? null;

  if (producer?.isRunning()) {
    try {
      await withTimeout(producer.shutdown(), 5000, 'producer shutdown');
    } catch (err) {
      log('WARN ', [ 'harness: shutdown failed: %s', err?.stack ?? err ]);
    }
  }
  clearTimeout(watchdog);
  const asExpected = result.ok === (args.expect === 'success');
  // Exit explicitly: the client keeps gRPC channels and timers that would hold the event loop open.
  emitAndExit(result, asExpected ? 0 : 1);
}

/**
 * Starts a producer whose checker answers `answer` to every server check and records each check and each
 * EndTransaction (SOURCE_SERVER_CHECK) it sends. `answered(n)` resolves once n EndTransactions have completed.
 */
async function startCheckingProducer(startProducer, answerName) {
  const answer = TransactionResolution[answerName];
  if (answer === undefined) throw new TypeError(`--answer must be COMMIT|ROLLBACK, got '${answerName}'`);
  const checks = [];
  const endTransactions = [];
  const waiters = [];
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
      for (const waiter of waiters) if (endTransactions.length >= waiter.count) waiter.resolve();
    }
  };
  const answered = count => new Promise(resolve => {
    if (endTransactions.length >= count) resolve();
    else waiters.push({ count, resolve });
  });
  return { producer, checks, endTransactions, answered };
}

module.exports = { run, baseMessage, describeReceipt, describeError, log, TransactionResolution, startCheckingProducer };
