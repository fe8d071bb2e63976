/**
 * One database worker: a child process (`child_process.fork`) that owns one connection and runs
 * the queries it is sent, in order (see worker-main.ts).
 *
 * Why a process and not a thread: a query can run inside SQLite for ever (an endless recursive
 * CTE), and better-sqlite3 has no way to interrupt it. A worker thread stuck there cannot be
 * terminated (`worker.terminate()` waits for it to return to JavaScript), and Node joins every
 * worker thread when the process exits, so the whole program could never exit again, not even
 * with `process.exit()`. A process can always be killed. BENCHMARKS.md has what it costs.
 *
 * Keeping the program alive: a worker keeps its parent alive only while it has queries in
 * flight (or is being closed). Idle, its process and IPC channel are unref'd, so a program whose
 * work is done exits, and the worker, seeing its channel close, closes its connection and exits.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PiccoError, PiccoErrorCode, type CompiledQuery, type ExecutionResult } from '@picco/core';
import type { OpenOptions } from '../connection/open-options.js';
import { deserializeError, type SerializedError } from '../connection/errors.js';
import { READY, encodeRequest, forEachAnswer, type RequestBatch, type WorkerMessage } from './protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.js', import.meta.url));

/** How long, after a worker exited, its channel may take to deliver what it had sent. */
const CHANNEL_DRAIN_MS = 200;

interface Pending {
  readonly query: CompiledQuery;
  readonly resolve: (result: ExecutionResult) => void;
  readonly reject: (error: unknown) => void;
}

export class DatabaseWorker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  /** Requests made in this turn of the event loop (or before the worker was ready), posted together by `flush`. */
  private outbox: RequestBatch = [];
  private nextId = 1;
  private ready = false;
  private exited = false;
  /** Set by `close()`: queries still unanswered when the process ends were cut off by close(), not by a crash. */
  private closeGraceMs: number | undefined;
  /** True while this worker keeps the parent process alive. */
  private held = true;
  /** Resolves once the process has exited and its queries are settled. */
  private readonly ended: Promise<void>;
  private markEnded!: () => void;

  constructor(
    private readonly open: OpenOptions,
    private readonly onExit: (worker: DatabaseWorker) => void,
    /** Told how long each query ran in the worker (microseconds), once it is answered. */
    private readonly onCost?: (query: CompiledQuery, micros: number) => void,
  ) {
    this.child = fork(WORKER_ENTRY, [], {
      serialization: 'advanced',
      // No stdin or stdout of its own; a crash of the worker still prints to the program's stderr.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // The program's own flags (--inspect=PORT, --cpu-prof, loaders...) are not the worker's.
      execArgv: [],
    });
    // Idle until a query is sent. Explicit unref()s: Node's own reference counting of the IPC
    // channel (by 'message' listeners) is then left out of it.
    this.letProcessExit();
    this.child.on('message', this.receive);
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    this.child.once('exit', (code, signal) => {
      const end = (): void => this.finish(signal === null ? `exited with code ${String(code)}` : `killed by ${signal}`);
      // Answers the worker sent before it died may still be in the channel: read it to its end
      // (the channel then disconnects) before calling the rest unanswered.
      if (!this.child.connected) return end();
      this.child.once('disconnect', end);
      setTimeout(end, CHANNEL_DRAIN_MS).unref();
    });
    this.child.on('error', (error) => {
      // Spawning failed (no 'exit' may follow) or a message could not be sent (the process is
      // going away; 'exit' follows). Either way this worker is done.
      if (this.child.pid === undefined) this.finish(`could not start: ${error.message}`);
      else this.child.kill('SIGKILL');
    });
    track(this);
  }

  /** The worker's operating-system process id (undefined if it could not be started). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** True once the process has started and can take queries (false again once it is gone). */
  get isReady(): boolean {
    return this.ready && this.isAlive;
  }

  /** False once the process has exited, or once close() was called on it. */
  get isAlive(): boolean {
    return !this.exited && this.closeGraceMs === undefined;
  }

  send(query: CompiledQuery): Promise<ExecutionResult> {
    if (this.closeGraceMs !== undefined) return Promise.reject(closedBeforeRunning(query));
    if (this.exited) return Promise.reject(crashed(query, 'the worker process had already exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.keepProcessAlive();
      this.pending.set(id, { query, resolve, reject });
      if (this.outbox.length === 0) queueMicrotask(this.flush);
      encodeRequest(this.outbox, id, query);
    });
  }

  /**
   * Kills the process at once, as a crash would (in-flight queries reject with
   * `WORKER_CRASHED`); the pool starts a new worker for the next query. For fault tests.
   */
  terminate(): Promise<void> {
    // Awaiting the end of a worker is work in progress: the program must not exit under it.
    if (!this.exited) this.keepProcessAlive();
    this.child.kill('SIGKILL');
    return this.ended;
  }

  /**
   * Lets the queries already sent finish for up to `graceMs`, then ends the process: gently
   * (the worker closes its connection) if it is idle by then, with SIGKILL if it is still busy,
   * whatever it is doing, even inside SQLite. Queries left unanswered reject with
   * `ENGINE_CLOSED`; new ones are refused at once. Resolves once the process has exited.
   */
  close(graceMs: number): Promise<void> {
    if (this.closeGraceMs === undefined && !this.exited) {
      this.closeGraceMs = graceMs;
      // An awaited close() must not see the program exit under it.
      this.keepProcessAlive();
      const deadline = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      void this.ended.then(() => clearTimeout(deadline));
      this.disconnectIfIdle();
    }
    return this.ended;
  }

  /**
   * Posts every request made since the last flush as one message (see protocol.ts). With one
   * message per query, 256 concurrent callers got ~30% of inline throughput (`pnpm bench`,
   * table 2a). Requests still arrive in the order they were made.
   */
  private readonly flush = (): void => {
    if (!this.ready || this.exited || this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    this.child.send(batch);
  };

  private readonly receive = (message: WorkerMessage): void => {
    if (message === READY) {
      this.ready = true;
      this.child.send({ open: this.open });
      this.flush();
      this.disconnectIfIdle();
    } else {
      forEachAnswer(message, this.settle);
    }
  };

  private readonly settle = (id: number, result: ExecutionResult | undefined, error: SerializedError | undefined, micros: number): void => {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    this.onCost?.(pending.query, micros);
    if (this.pending.size === 0) {
      if (this.closeGraceMs === undefined) this.letProcessExit();
      else this.disconnectIfIdle();
    }
    if (error === undefined) pending.resolve(result!);
    else pending.reject(deserializeError(error, pending.query));
  };

  /** While closing: once nothing is left to answer, closing the channel tells the worker to close its connection and exit. */
  private disconnectIfIdle(): void {
    if (this.closeGraceMs !== undefined && this.pending.size === 0 && this.child.connected) this.child.disconnect();
  }

  private finish(reason: string): void {
    if (this.exited) return;
    this.exited = true;
    this.outbox = [];
    liveWorkers.delete(this);
    this.letProcessExit();
    const closing = this.closeGraceMs;
    for (const { query, reject } of this.pending.values()) {
      reject(closing === undefined ? crashed(query, reason) : closedWhileRunning(query, closing));
    }
    this.pending.clear();
    this.onExit(this);
    this.markEnded();
  }

  private keepProcessAlive(): void {
    if (this.held) return;
    this.held = true;
    this.child.ref();
    this.child.channel?.ref();
  }

  private letProcessExit(): void {
    if (!this.held) return;
    this.held = false;
    this.child.unref();
    this.child.channel?.unref();
  }

  /** Called as the program exits: a worker with work in hand can never answer; it must not run on. */
  killIfBusy(): void {
    if (this.pending.size > 0 || this.closeGraceMs !== undefined) this.child.kill('SIGKILL');
  }
}

/**
 * Workers whose process runs. When the program exits (`process.exit()`, or the end of its work
 * while a query still runs unawaited), a busy worker is killed: its answer has nowhere to go,
 * and it might be inside a query that never ends. Idle workers need nothing: their channel
 * closes with the program, and they close their connection and exit.
 */
const liveWorkers = new Set<DatabaseWorker>();
let exitHookInstalled = false;

function track(worker: DatabaseWorker): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const live of liveWorkers) live.killIfBusy();
    });
  }
  liveWorkers.add(worker);
}

function crashed(query: CompiledQuery, reason: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.WORKER_CRASHED,
    `The worker process running this query died (${reason}); the query may or may not have been applied if it was a write ` +
      `outside a transaction, and a transaction in progress was rolled back. A new worker takes its place for the next query: retry the operation. SQL: ${query.sql}`,
    { sql: query.sql },
  );
}

function closedWhileRunning(query: CompiledQuery, graceMs: number): PiccoError {
  return new PiccoError(
    PiccoErrorCode.ENGINE_CLOSED,
    `The engine was closed with close() while this query was running or waiting to run, and it did not finish within the ` +
      `${graceMs} ms close() allows; its worker process was killed. If it was a write outside a transaction it may or may not ` +
      `have been applied; a transaction in progress was rolled back. SQL: ${query.sql}`,
    { sql: query.sql },
  );
}

function closedBeforeRunning(query: CompiledQuery): PiccoError {
  return new PiccoError(
    PiccoErrorCode.ENGINE_CLOSED,
    `The engine was closed with close() before this query was sent; it was not applied. Create a new SQLiteEngine to keep going. SQL: ${query.sql}`,
    { sql: query.sql },
  );
}
