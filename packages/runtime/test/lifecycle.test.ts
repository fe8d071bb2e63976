/**
 * The life of a file engine's worker pool: a program exits by itself when its work is done,
 * `close()` ends even a query that never ends, and what was in flight settles with a clear
 * code. Exit behaviour can only be seen from outside, so those tests run small programs in
 * child processes (each with a time limit, so that a hang fails instead of blocking the suite).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineTable, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { processRuns, runScript, startScript, type ScriptResult } from './child-script.js';
import { temporaryFolder } from './engine-configs.js';

/** Counts for ever: SQLite never returns from this statement. */
const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c';
/** Seconds of work inside one statement: longer than close()'s grace period. */
const LONG_QUERY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40000000) SELECT count(*) AS n FROM c';
/** How long after its work is done a program may take to exit. */
const PROMPT_EXIT_MS = 3000;

const scratch = temporaryFolder();
afterAll(() => scratch.remove());

let folder: ReturnType<typeof temporaryFolder>;
beforeEach(() => {
  folder = temporaryFolder();
});
afterEach(() => folder.remove());

function setup(workers: number): string {
  return `
const engine = new SQLiteEngine({ path: 'app.db', workers: ${workers} });
const Band = defineTable('band', { id: serial(), name: text() }, { db: engine });
`;
}
const SETUP = setup(3);
/**
 * One writer, one reader, both started (a worker process takes a moment to start; this way the
 * runaway query is really inside SQLite, and a write is not waiting for its worker to start).
 */
const START_RUNAWAY = `${setup(2)}
await Band.createTable();
await Band.count();
const runaway = engine.raw(${JSON.stringify(RUNAWAY)}).run();
runaway.catch(() => {});
await sleep(300);
`;

function expectPromptExit(result: ScriptResult): void {
  expect({ timedOut: result.timedOut, code: result.code, signal: result.signal, stderr: result.stderr }).toEqual({ timedOut: false, code: 0, signal: null, stderr: '' });
  expect(result.exitAfterDoneMs).toBeDefined();
  expect(result.exitAfterDoneMs!).toBeLessThan(PROMPT_EXIT_MS);
}

describe('a program on a file database exits by itself when its work is done', () => {
  it.each([
    ['async writes only, no close()', `await Band.createTable(); await Band.insert({ name: 'Pythonistas' }); report(Band.count().runSync());`, [1]],
    [
      'async reads only (every reader used), no close()',
      `Band.createTable().runSync(); Band.insert({ name: 'Pythonistas' }).runSync();
       report(await Promise.all(Array.from({ length: 8 }, () => Band.count())));`,
      [[1, 1, 1, 1, 1, 1, 1, 1]],
    ],
    ['runSync only, no close()', `Band.createTable().runSync(); Band.insert({ name: 'Pythonistas' }).runSync(); report(Band.count().runSync());`, [1]],
    [
      'a worker killed, then more queries on its replacement, no close()',
      `await Band.createTable();
       const [writer] = engine.workerProcesses();
       await writer.terminate();
       await Band.insert({ name: 'after the crash' });
       report(await Band.count());`,
      [1],
    ],
    [
      'a worker killed while its query was in flight, as the last thing, no close()',
      `await Band.createTable();
       const [writer] = engine.workerProcesses();
       const insert = Band.insert({ name: 'in flight' });
       await writer.terminate();
       report(await insert.then(() => 'ok', (error) => error.code));`,
      [expect.stringMatching(/^(ok|WORKER_CRASHED)$/)],
    ],
    ['a write not awaited when the script ends: it still lands', `await Band.createTable(); void Band.insert({ name: 'late' }).run();`, []],
    [
      'with close()',
      `await Band.createTable(); await Band.insert({ name: 'Pythonistas' }); report(await Band.count()); await engine.close();`,
      [1],
    ],
  ])('%s', async (_name, body, reports) => {
    const result = await runScript(folder.folder, SETUP + body);
    expectPromptExit(result);
    expect(result.reports).toEqual(reports);
    const check = new SQLiteEngine({ path: join(folder.folder, 'app.db'), workers: 0 });
    const rows = check.raw<{ name: string }>('SELECT name FROM band').runSync();
    await check.close();
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('close() during a query that never ends', () => {
  it('resolves within about 2 s, rejects every pending query with ENGINE_CLOSED, and the program exits', async () => {
    const result = await runScript(
      folder.folder,
      `${START_RUNAWAY}
       const behindIt = engine.raw('SELECT 1 AS one').run(); // the one reader is stuck: this waits behind the runaway
       const write = Band.insert({ name: 'quick' }).run();
       const settled = Promise.allSettled([runaway, behindIt, write]);
       const started = performance.now();
       await engine.close();
       const closeMs = performance.now() - started;
       const outcomes = await settled;
       report({ closeMs, outcomes: outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : o.reason.code)) });`,
    );
    expectPromptExit(result);
    const [{ closeMs, outcomes }] = result.reports as [{ closeMs: number; outcomes: string[] }];
    expect(closeMs).toBeLessThan(2500);
    expect(outcomes).toEqual(['ENGINE_CLOSED', 'ENGINE_CLOSED', 'ok']);
  });

  it('process.exit() during a runaway query ends the program', async () => {
    const result = await runScript(
      folder.folder,
      `${START_RUNAWAY}
       console.log('done');
       process.exit(0);`,
    );
    expectPromptExit(result);
  });

  it.each([
    ['stuck in a runaway query', START_RUNAWAY],
    ['idle', `${SETUP} Band.createTable().runSync(); await Band.insert({ name: 'x' }); await Band.count();`],
  ])('a program killed with SIGKILL leaves no worker process behind (workers %s)', async (_name, work) => {
    const script = startScript(
      folder.folder,
      `${work}
       report(engine.workerProcesses().map((worker) => worker.pid));
       await new Promise(() => setInterval(() => {}, 1000)); // keep running until killed`,
      15_000,
    );
    const pids = (await Promise.race([script.firstReport, script.result.then((result) => Promise.reject(new Error(`script ended: ${result.stderr}`)))])) as number[];
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.every(processRuns)).toBe(true);
    process.kill(script.pid, 'SIGKILL');
    await script.result;
    const deadline = performance.now() + 5000;
    while (pids.some(processRuns) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.filter(processRuns)).toEqual([]);
  });
});

describe('queries in flight at close()', () => {
  let engine: SQLiteEngine;
  beforeEach(() => {
    engine = new SQLiteEngine({ path: join(folder.folder, 'closing.db'), workers: 2 });
  });
  afterEach(() => engine.close());

  function bandTable() {
    return defineTable('band', { id: serial(), name: text() }, { db: engine });
  }

  it('finish if they can within the grace period; the rest reject with ENGINE_CLOSED, never WORKER_CRASHED', async () => {
    const Band = bandTable();
    await Band.createTable();
    const long = engine.raw(LONG_QUERY).run();
    const writes = Array.from({ length: 20 }, (_, index) => Band.insert({ name: `band ${index}` }).run());
    const closing = engine.close();
    await expect(long).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED, message: expect.not.stringContaining('retry') });
    const written = await Promise.all(writes);
    expect(written.every((result) => result.changes === 1)).toBe(true);
    await closing;
    expect(engine.workerProcesses().every((worker) => !worker.isAlive)).toBe(true);
    const check = new SQLiteEngine({ path: join(folder.folder, 'closing.db'), workers: 0 });
    expect(check.raw('SELECT count(*) AS n FROM band').runSync()).toEqual([{ n: 20 }]);
    await check.close();
  });

  it('an open transaction is rolled back and its callback sees ENGINE_CLOSED', async () => {
    const Band = bandTable();
    await Band.createTable();
    let closed!: Promise<void>;
    const transaction = engine.transaction(async () => {
      await Band.insert({ name: 'never committed' });
      closed = engine.close();
      await Band.insert({ name: 'after close' });
    });
    await expect(transaction).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    await closed;
    const check = new SQLiteEngine({ path: join(folder.folder, 'closing.db'), workers: 0 });
    expect(check.raw('SELECT count(*) AS n FROM band').runSync()).toEqual([{ n: 0 }]);
    await check.close();
  });

  it('a second close() waits for the first to finish', async () => {
    const Band = bandTable();
    await Band.createTable();
    const long = engine.raw(LONG_QUERY).run();
    const first = engine.close();
    let secondDone = false;
    const second = engine.close().then(() => (secondDone = true));
    await expect(long).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    await first;
    await second;
    expect(secondDone).toBe(true);
    expect(engine.workerProcesses().every((worker) => !worker.isAlive)).toBe(true);
  });
});

describe('worker processes', () => {
  it('start on demand: a program that only runs synchronous queries starts none', async () => {
    const engine = new SQLiteEngine({ path: join(scratch.folder, 'sync-only.db') });
    const Band = defineTable('band', { id: serial(), name: text() }, { db: engine });
    Band.createTable().runSync();
    Band.insert({ name: 'x' }).runSync();
    expect(engine.workerProcesses()).toEqual([]);
    await Band.count();
    expect(engine.workerProcesses()).toHaveLength(1);
    await engine.close();
  });
});
