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
import type { CompiledQuery } from '@picco/core';
import { READY, answerCount, encodeAnswer, encodeFailure, type AnswerBatch, type OpenMessage, type ParentMessage, type RequestBatch, type WatchdogData } from './protocol.js';
import { RequestQueue, type Request } from './request-queue.js';
import { WriteGroups, joinsWriteGroup, type Outcome } from './write-group.js';

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

/** Answers in the first message a run sends (see `drain`). */
const FIRST_GROUP = 8;
/** A finished answer is held back at most this long while later requests run (milliseconds). */
const MAX_HOLD_MS = 1;
/**
 * Answers are held back only while a statement runs whose last run here took less than this
 * (microseconds): one that may run long (a report, an endless recursive CTE) must not keep
 * finished answers from their callers.
 */
const QUICK_MICROS = 1000;
/** Statements whose last run time is remembered (by SQL text); past it, the memory starts afresh. */
const REMEMBERED_STATEMENTS = 1024;
/** Longer SQL (a script, a statement with its values written in) is not remembered: never held for. */
const REMEMBERED_SQL_LENGTH = 2000;

const queue = new RequestQueue();
let writeGroups: WriteGroups | undefined;
let drainScheduled = false;
const lastRunMicros = new Map<string, number>();

function receive(batch: RequestBatch): void {
  queue.push(batch);
  scheduleDrain();
}

// Every message in or out costs both processes a system call and most often a wake-up of the
// other (BENCHMARKS.md, issue 13: on these VMs that, not SQLite, is what a pooled insert pays
// beyond inline), so requests run in order and their answers leave in groups:
// - requests that arrive while others wait join the same run: a run starts after the event
//   loop has read every message it could (setImmediate), and steps back to the event loop after
//   each message it sends, to take in requests the parent sent meanwhile;
// - answers are held until there are at least FIRST_GROUP of them and at least as many as the
//   requests still waiting, then sent: the parent turns them into new requests while this
//   process still has as much work of its own, so neither sits idle waiting for the other (one
//   message per batch made them take turns, and halved 16 callers' throughput; fixed groups of
//   8, 16, 32... cut a 256-caller stream into messages of ~15 answers);
// - never longer than MAX_HOLD_MS, never while a statement not known to be quick runs, and all
//   of them when the queue runs dry.
//
// Plain writes waiting together run as one transaction, answered once it commits (see
// write-group.ts).
function drain(): void {
  drainScheduled = false;
  let answers: AnswerBatch = [];
  let heldSince = 0;
  while (queue.waiting > 0) {
    const request = queue.take();
    const { id, query } = request;
    if (answers.length > 0 && !knownQuick(query.sql)) answers = sent(answers);
    const heldBefore = answers.length;
    const groups = queue.waiting > 0 && joinsGroup(request) ? writeGroupsNow() : undefined;
    if (groups !== undefined) runGroup(groups, request, answers);
    else remember(query.sql, run(id, query, answers));
    const now = performance.now();
    const held = answerCount(answers);
    if (heldBefore === 0 && held > 0) heldSince = now;
    const waiting = queue.waiting;
    if (waiting === 0 || (held >= FIRST_GROUP && held >= waiting) || now - heldSince > MAX_HOLD_MS) {
      answers = sent(answers);
      if (waiting > 0) return scheduleDrain();
    }
  }
}

function scheduleDrain(): void {
  if (drainScheduled) return;
  drainScheduled = true;
  setImmediate(drain);
}

/** Runs one request and adds its answer; returns how long it ran (microseconds). */
function run(id: number, query: CompiledQuery, answers: AnswerBatch): number {
  const outcome = runOne(query);
  addAnswer(answers, id, outcome);
  return outcome.micros;
}

/** Runs one query on this process's connection: what it returned or threw, and for how long. */
function runOne(query: CompiledQuery): Outcome {
  const started = performance.now();
  try {
    if (connection === undefined) throw openError;
    const result = connection.executeForTransfer(query);
    return { failed: false, result, micros: micros(started) };
  } catch (error) {
    return { failed: true, error, micros: micros(started) };
  }
}

function addAnswer(answers: AnswerBatch, id: number, outcome: Outcome): void {
  if (outcome.failed) encodeFailure(answers, id, outcome.error, outcome.micros);
  else encodeAnswer(answers, id, outcome.result, outcome.micros);
}

/** Runs a write group from `first` (see write-group.ts) and adds its answers, in order. */
function runGroup(groups: WriteGroups, first: Request, answers: AnswerBatch): void {
  const { members, outcomes } = groups.run(first, () => queue.takeIf(joinsGroup));
  for (let index = 0; index < members.length; index++) {
    const { id, query } = members[index]!;
    const outcome = outcomes[index]!;
    addAnswer(answers, id, outcome);
    remember(query.sql, outcome.micros);
  }
}

function joinsGroup(request: Request): boolean {
  return joinsWriteGroup(request.query) && knownQuick(request.query.sql);
}

/** The connection's write groups, when one may start now (an open connection outside any transaction). */
function writeGroupsNow(): WriteGroups | undefined {
  if (connection === undefined) return undefined;
  writeGroups ??= new WriteGroups(connection, runOne);
  return writeGroups.canStart ? writeGroups : undefined;
}

function sent(answers: AnswerBatch): AnswerBatch {
  send(answers);
  return [];
}

function knownQuick(sql: string): boolean {
  const last = lastRunMicros.get(sql);
  return last !== undefined && last < QUICK_MICROS;
}

function remember(sql: string, took: number): void {
  if (sql.length > REMEMBERED_SQL_LENGTH) return;
  if (lastRunMicros.size >= REMEMBERED_STATEMENTS) lastRunMicros.clear();
  lastRunMicros.set(sql, took);
}

function micros(since: number): number {
  return Math.round((performance.now() - since) * 1000);
}

process.on('message', (message: ParentMessage) => {
  if (Array.isArray(message)) receive(message);
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
