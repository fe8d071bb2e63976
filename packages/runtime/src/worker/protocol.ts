/**
 * Messages between the engine's process and a database worker process, over the IPC channel of
 * `child_process.fork` with `serialization: 'advanced'` (V8's structured serialization: bigints,
 * Buffers and typed arrays arrive as they left).
 *
 * The worker speaks first: `READY` once its listener is in place (a message sent before that
 * could be lost), then answers. The parent then sends one `OpenMessage`, then request batches.
 *
 * Both directions carry batches: every request made in one turn of the parent's event loop
 * goes as one message, and the worker sends its answers back in groups (see worker-main.ts). A
 * message between processes has a fixed cost on both sides (serialization, a system call, a
 * wake-up, an event) that dwarfs a point query.
 *
 * A batch is one flat array, a fixed number of slots per request or answer, rather than an
 * object each: structured clone pays per object, and measured with `v8.serialize` a point
 * select's request costs ~3x less to serialize and ~4x less to deserialize flat, its answer
 * ~2x less. Only the functions below know the layout.
 */
import type { CompiledQuery, ExecutionResult } from '@picco/core';
import type { TransferResult } from '../connection/connection.js';
import type { OpenOptions } from '../connection/open-options.js';
import { rowsOf } from '../connection/row-maker.js';
import type { SerializedError } from '../connection/errors.js';

/** The worker's first message: its listener is in place. */
export const READY = 'ready';

/** The parent's first message: the connection to open. */
export interface OpenMessage {
  readonly open: OpenOptions;
}

export type ParentMessage = OpenMessage | RequestBatch;
export type WorkerMessage = typeof READY | AnswerBatch;

/** What the watchdog thread inside a worker process is given (see parent-watchdog.ts). */
export interface WatchdogData {
  /** The parent's process id when the worker started. */
  readonly parentPid: number;
}

/** Requests, flattened: id, sql, params, mode, readOnly, safeIntegers, table, batch; then the next. */
export type RequestBatch = unknown[];
/**
 * Answers, flattened: id, then rows, changes, lastInsertRowid, or `FAILED`, the error, 0; then
 * how long the query ran in the worker, in microseconds (the session learns which read shapes
 * are cheap from it: see session/read-placement.ts); then the rows' column names when the rows
 * are arrays of values (a table query's read: see connection.ts `executeForTransfer`), else 0.
 */
export type AnswerBatch = unknown[];

const REQUEST_SLOTS = 8;
const ANSWER_SLOTS = 6;
/** In an answer's rows slot: the query failed and the next slot holds the error. */
const FAILED = 0;

export function encodeRequest(batch: RequestBatch, id: number, query: CompiledQuery): void {
  batch.push(id, query.sql, query.params, query.mode, query.readOnly, query.safeIntegers, query.table, query.batch);
}

export function requestCount(batch: RequestBatch): number {
  return batch.length / REQUEST_SLOTS;
}

/** The `index`th request of a batch: its id and its query. */
export function decodeRequest(batch: RequestBatch, index: number): { readonly id: number; readonly query: CompiledQuery } {
  const at = index * REQUEST_SLOTS;
  const query = {
    sql: batch[at + 1],
    params: batch[at + 2],
    mode: batch[at + 3],
    readOnly: batch[at + 4],
    safeIntegers: batch[at + 5],
    table: batch[at + 6],
    batch: batch[at + 7],
  } as CompiledQuery;
  return { id: batch[at] as number, query };
}

export function encodeAnswer(batch: AnswerBatch, id: number, result: TransferResult, micros: number): void {
  batch.push(id, result.rows, result.changes, result.lastInsertRowid, micros, result.columns ?? 0);
}

/**
 * What the worker sends for a failed query: mostly SQLite's and better-sqlite3's errors; a
 * schema batch (connection/schema-batch.ts) raises PiccoErrors of its own, recognised by name
 * so that this file need not load @picco/core, and sent with their code, SQLite code and SQL.
 */
export function encodeFailure(batch: AnswerBatch, id: number, error: unknown, micros: number): void {
  const { code, sqliteCode, sql } = (error ?? {}) as { code?: unknown; sqliteCode?: unknown; sql?: unknown };
  const picco = error instanceof Error && error.name === 'PiccoError' && typeof code === 'string';
  const serialized: SerializedError =
    error instanceof Error
      ? picco
        ? {
            name: error.name,
            message: error.message,
            code: typeof sqliteCode === 'string' ? sqliteCode : undefined,
            piccoCode: code,
            ...(typeof sql === 'string' ? { sql } : {}),
          }
        : { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined, piccoCode: undefined }
      : { name: 'Error', message: String(error), code: undefined, piccoCode: undefined };
  batch.push(id, FAILED, serialized, 0, micros, 0);
}

export function answerCount(batch: AnswerBatch): number {
  return batch.length / ANSWER_SLOTS;
}

export function forEachAnswer(
  batch: AnswerBatch,
  visit: (id: number, result: ExecutionResult | undefined, error: SerializedError | undefined, micros: number) => void,
): void {
  for (let at = 0; at < batch.length; at += ANSWER_SLOTS) {
    const id = batch[at] as number;
    const rows = batch[at + 1];
    const micros = batch[at + 4] as number;
    const columns = batch[at + 5] as readonly string[] | 0;
    if (rows === FAILED) visit(id, undefined, batch[at + 2] as SerializedError, micros);
    else {
      const objects = columns === 0 ? (rows as ExecutionResult['rows']) : rowsOf(rows as unknown[], columns);
      visit(id, { rows: objects, changes: batch[at + 2] as number, lastInsertRowid: batch[at + 3] as number | bigint }, undefined, micros);
    }
  }
}
