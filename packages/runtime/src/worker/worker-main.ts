/**
 * The entry point of a database worker process (see worker-pool.ts): one connection, one query
 * at a time, in the order the parent sent them. Ordering is what makes a pinned transaction work.
 *
 * The process lives as long as its IPC channel to the parent: when the parent disconnects (it
 * closed the engine, or it exited) the connection is closed and the process exits. A process
 * whose main thread is stuck inside SQLite cannot notice that, so a watchdog thread
 * (parent-watchdog.ts) ends it if the parent dies without a word (SIGKILL, a crash).
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Connection } from '../connection/connection.js';
import {
  READY,
  answerCount,
  encodeAnswer,
  encodeFailure,
  forEachRequest,
  type AnswerBatch,
  type OpenMessage,
  type ParentMessage,
  type WatchdogData,
} from './protocol.js';

const send = process.send!.bind(process);


let connection: Connection | undefined;
let openError: unknown;

function open({ open }: OpenMessage): void {
  try {
    connection = new Connection(open);
  } catch (error) {
    openError = error;
  }
}

/** While a long batch runs, finished answers are sent at least this often (milliseconds). */
const MAX_HOLD_MS = 1;
/** Answers in the first message of a batch's answers; each next message may hold twice as many. */
const FIRST_GROUP = 8;

// One batch of requests in; its answers out in a few messages (see protocol.ts). Not one message
// at the end of the batch: the parent would sit idle until then, and this process would then
// sit idle while the parent turns the answers into its next batch (with 16 concurrent callers
// that halved throughput). The first answers leave early so that the parent works while this
// process carries on; later ones go in groups twice as large each time (8, 16, 32...), so a
// large batch still costs few messages.
function answer(batch: unknown[]): void {
  let answers: AnswerBatch = [];
  let group = FIRST_GROUP;
  let since = performance.now();
  forEachRequest(batch, (id, query) => {
    const started = performance.now();
    try {
      if (connection === undefined) throw openError;
      const result = connection.execute(query);
      encodeAnswer(answers, id, result, micros(started));
    } catch (error) {
      encodeFailure(answers, id, error, micros(started));
    }
    if (answerCount(answers) >= group || performance.now() - since > MAX_HOLD_MS) {
      send(answers);
      answers = [];
      group *= 2;
      since = performance.now();
    }
  });
  if (answers.length > 0) send(answers);
}

function micros(since: number): number {
  return Math.round((performance.now() - since) * 1000);
}

process.on('message', (message: ParentMessage) => {
  if (Array.isArray(message)) answer(message);
  else open(message);
});

// The parent closed the engine or exited. Closing the connection ends any transaction left open
// (SQLite rolls it back) and checkpoints the WAL if this was the last connection.
process.on('disconnect', () => {
  connection?.close();
  process.exit(0);
});

// Started before any query can arrive (the first one might never end), and without waiting for
// it: the thread starts beside this one. (Had the parent died before this line, the channel is
// closed already and 'disconnect' below ends this process.)
const watchdog = new Worker(new URL('./parent-watchdog.js', import.meta.url), {
  workerData: { parentPid: process.ppid } satisfies WatchdogData,
});
// Only a guard: it must never keep this process alive once the channel is gone.
watchdog.unref();

// Messages sent before the listener above existed could be lost: the parent waits for this.
send(READY);
