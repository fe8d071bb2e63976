/**
 * Transactions on SQLite: the shared misuse suite (test/suites/transactions.ts) on every SQLite
 * configuration, then what only SQLite has: synchronous calls beside an async transaction on one
 * connection or a worker pool's writer, and the call site in errors.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTable, integer, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { runTransactionSuite } from '../../../test/suites/transactions.js';
import { SQLITE_ENGINES, temporaryFolder } from './engine-configs.js';

import { settlesWithin, sleep } from '../../../test/suites/timing.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function notesTable(engine: SQLiteEngine) {
  return defineTable('notes', { id: serial(), body: text(), n: integer({ default: 0 }) }, { db: engine });
}

runTransactionSuite(SQLITE_ENGINES);

describe('synchronous calls beside an open savepoint on a one-connection engine', () => {
  it('are refused with TRANSACTION_CONFLICT instead of running inside the savepoint and being rolled back with it', async () => {
    const engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
    cleanups.push(() => engine.close());
    const Notes = notesTable(engine);
    Notes.createTable().runSync();
    await settlesWithin(
      engine.transaction(async () => {
        const nested = engine
          .transaction(async () => {
            await Notes.insert({ body: 'nested' });
            await sleep(20);
            throw new Error('roll back the savepoint');
          })
          .catch(() => undefined);
        await sleep(5);
        expect(() => Notes.insert({ body: 'sync sibling' }).runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.TRANSACTION_CONFLICT }));
        await nested;
        Notes.insert({ body: 'sync after the savepoint' }).runSync();
      }),
    );
    expect(Notes.select(Notes.body).runSync()).toEqual([{ body: 'sync after the savepoint' }]);
  });
});

describe('synchronous calls while an async transaction holds the writer of a worker pool', () => {
  function fileEngine() {
    const { folder, remove } = temporaryFolder();
    const engine = new SQLiteEngine({ path: join(folder, 'held.db'), workers: 2, busyTimeoutMs: 4000 });
    cleanups.push(async () => {
      await engine.close();
      remove();
    });
    return engine;
  }

  it('refuses a runSync write and transactionSync at once with TRANSACTION_CONFLICT, and allows runSync reads', async () => {
    const engine = fileEngine();
    const Notes = notesTable(engine);
    await Notes.createTable();
    await Notes.insert({ body: 'committed' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = engine.transaction(async () => {
      await Notes.insert({ body: 'uncommitted' });
      await held;
    });
    await sleep(20);
    const started = performance.now();
    expect(() => Notes.insert({ body: 'sync write' }).runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.TRANSACTION_CONFLICT }));
    expect(() => engine.transactionSync(() => Notes.count().runSync())).toThrow(expect.objectContaining({ code: PiccoErrorCode.TRANSACTION_CONFLICT }));
    // A read needs no write lock (WAL): it runs and sees only committed rows.
    expect(Notes.count().runSync()).toBe(1);
    // Refused at once, not after busyTimeoutMs (4 s).
    expect(performance.now() - started).toBeLessThan(2000);
    release();
    await settlesWithin(transaction);
    Notes.insert({ body: 'sync write after' }).runSync();
    expect(Notes.count().runSync()).toBe(3);
  });
});

describe('the async call site in errors', () => {
  it('shows the line that awaited a failing query in the error stack', async () => {
    const engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
    cleanups.push(() => engine.close());
    const Missing = defineTable('missing_table', { id: serial() }, { db: engine });
    async function applicationCode() {
      await Missing.select();
    }
    const error = await applicationCode().then(
      () => undefined,
      (caught: unknown) => caught as Error & { code: string },
    );
    expect(error?.code).toBe(PiccoErrorCode.QUERY_FAILED);
    expect(error?.stack).toContain('applicationCode');
    expect(error?.stack).toContain('transactions.test.ts');
  });

  it('shows it for a worker pool query and for a refusal made before running', async () => {
    const { folder, remove } = temporaryFolder();
    const engine = new SQLiteEngine({ path: join(folder, 'stack.db'), workers: 1 });
    cleanups.push(async () => {
      await engine.close();
      remove();
    });
    const Missing = defineTable('missing_table', { id: serial() }, { db: engine });
    async function readFromPool() {
      await Missing.select();
    }
    async function deleteEverything() {
      await Missing.delete();
    }
    const failed = await readFromPool().catch((caught: unknown) => caught as Error);
    expect(failed?.stack).toContain('readFromPool');
    const refused = await deleteEverything().catch((caught: unknown) => caught as Error & { code: string });
    expect(refused?.code).toBe(PiccoErrorCode.UNFILTERED_MUTATION);
    expect(refused?.stack).toContain('deleteEverything');
  });
});
