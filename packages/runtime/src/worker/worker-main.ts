/**
 * The entry point of a database worker thread: one connection, one query at a time, in the
 * order the main thread sent them. Ordering is what makes a pinned transaction work.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Connection } from '../connection/connection.js';
import { serializeError } from '../connection/errors.js';
import { answerCount, encodeAnswer, encodeFailure, forEachRequest, type AnswerBatch, type RequestBatch, type WorkerData } from './protocol.js';

const port = parentPort!;
const { open } = workerData as WorkerData;
let connection: Connection | undefined;
let openError: unknown;
try {
  connection = new Connection(open);
} catch (error) {
  openError = error;
}

/** While a long batch runs, finished answers are sent at least this often (milliseconds). */
const MAX_HOLD_MS = 1;
/** Answers in the first message of a batch's answers; each next message may hold twice as many. */
const FIRST_GROUP = 8;

// One batch of requests in; its answers out in a few messages (see protocol.ts). Not one message
// at the end of the batch: the main thread would sit idle until then, and the worker would then
// sit idle while the main thread turns the answers into its next batch (with 16 concurrent
// callers that halved throughput). The first answers leave early so that the main thread works
// while this thread carries on; later ones go in groups twice as large each time (8, 16, 32...),
// so a large batch still costs few messages.
port.on('message', (batch: RequestBatch) => {
  let answers: AnswerBatch = [];
  let group = FIRST_GROUP;
  let since = performance.now();
  forEachRequest(batch, (id, query) => {
    try {
      if (connection === undefined) throw openError;
      encodeAnswer(answers, id, connection.execute(query));
    } catch (error) {
      encodeFailure(answers, id, serializeError(error));
    }
    if (answerCount(answers) >= group || performance.now() - since > MAX_HOLD_MS) {
      port.postMessage(answers);
      answers = [];
      group *= 2;
      since = performance.now();
    }
  });
  if (answers.length > 0) port.postMessage(answers);
});

port.on('close', () => connection?.close());
