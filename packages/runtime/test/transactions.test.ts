/**
 * Transaction semantics under misuse, on every engine kind: a callback that returns its query
 * instead of awaiting it, queries leaked past their transaction, concurrent work beside an open
 * savepoint, synchronous calls against a held writer. Nothing may hang and no acknowledged write
 * may vanish. A hang would show as a test timeout; `settlesWithin` turns it into a clear failure.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTable, integer, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { ENGINE_CONFIGS, temporaryFolder } from './engine-configs.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects with "did not settle" instead of letting a hang eat the test's whole timeout. */
function settlesWithin<T>(promise: PromiseLike<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function notesTable(engine: SQLiteEngine) {
  return defineTable('notes', { id: serial(), body: text(), n: integer({ default: 0 }) }, { db: engine });
}

for (const config of ENGINE_CONFIGS) {
  describe(`transactions on ${config.name}`, () => {
    async function setup() {
      const { engine, cleanup } = config.create();
      cleanups.push(cleanup);
      const Notes = notesTable(engine);
      await Notes.createTable();
      return { engine, Notes };
    }

    async function bodies(Notes: ReturnType<typeof notesTable>): Promise<string[]> {
      return (await settlesWithin(Notes.select(Notes.body).orderBy(Notes.id))).map((row) => row.body);
    }

    describe('a callback that returns its query instead of awaiting it', () => {
      it('runs the query inside the transaction and resolves with its result', async () => {
        const { engine, Notes } = await setup();
        const result = await settlesWithin(engine.transaction(() => Notes.insert({ body: 'returned' })));
        expect(result.changes).toBe(1);
        await settlesWithin(Notes.insert({ body: 'later write' }));
        expect(await bodies(Notes)).toEqual(['returned', 'later write']);
      });

      it('rolls back when the returned query fails, and the engine keeps working', async () => {
        const { engine, Notes } = await setup();
        await Notes.insert({ body: 'first' });
        const failing = engine.transaction(() => engine.raw('INSERT INTO no_such_table VALUES (1)'));
        await expect(settlesWithin(failing)).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED });
        await settlesWithin(Notes.insert({ body: 'second' }));
        expect(await bodies(Notes)).toEqual(['first', 'second']);
      });

      it('works for a nested transaction that returns its query, and Promise.all of queries', async () => {
        const { engine, Notes } = await setup();
        await settlesWithin(
          engine.transaction(async () => {
            await engine.transaction(() => Notes.insert({ body: 'nested returned' }));
            return Promise.all([Notes.insert({ body: 'all 1' }), Notes.insert({ body: 'all 2' })]);
          }),
        );
        expect(await bodies(Notes)).toEqual(['nested returned', 'all 1', 'all 2']);
      });
    });

    describe('a query started from a transaction that has already ended', () => {
      it('is refused with TRANSACTION_ENDED, not run and not deadlocked, even when awaited in another transaction', async () => {
        const { engine, Notes } = await setup();
        let leaked: Promise<unknown> | undefined;
        await engine.transaction(async () => {
          setTimeout(() => {
            leaked = Notes.insert({ body: 'leaked' }).run();
            leaked.catch(() => undefined);
          }, 20);
        });
        const second = engine.transaction(async () => {
          await Notes.insert({ body: 'second transaction' });
          await sleep(60);
          expect(leaked).toBeDefined();
          await expect(leaked).rejects.toMatchObject({ code: PiccoErrorCode.TRANSACTION_ENDED });
        });
        await settlesWithin(second);
        expect(await bodies(Notes)).toEqual(['second transaction']);
      });

      it('refuses a leaked .then continuation and a leaked nested transaction too', async () => {
        const { engine, Notes } = await setup();
        const outcomes: Promise<unknown>[] = [];
        await engine.transaction(async () => {
          const continuation = sleep(10).then(() => Notes.insert({ body: 'continuation' }).run());
          const nested = sleep(10).then(() => engine.transaction(async () => Notes.insert({ body: 'nested' })));
          outcomes.push(continuation, nested);
          continuation.catch(() => undefined);
          nested.catch(() => undefined);
        });
        for (const outcome of outcomes) await expect(settlesWithin(outcome)).rejects.toMatchObject({ code: PiccoErrorCode.TRANSACTION_ENDED });
        expect(await bodies(Notes)).toEqual([]);
      });

      it('refuses a synchronous query from an ended transaction', async () => {
        const { engine, Notes } = await setup();
        let later: Promise<unknown> | undefined;
        await engine.transaction(async () => {
          later = sleep(20).then(() => {
            try {
              return Notes.count().runSync();
            } catch (error) {
              return error;
            }
          });
        });
        expect(await settlesWithin(later!)).toMatchObject({ code: PiccoErrorCode.TRANSACTION_ENDED });
      });

      it('lets code after the transaction (outside its context) run normally', async () => {
        const { engine, Notes } = await setup();
        await engine.transaction(async () => {
          await Notes.insert({ body: 'inside' });
        });
        await Notes.insert({ body: 'after' });
        expect(Notes.count().runSync()).toBe(2);
      });
    });

    describe('concurrent work inside one transaction', () => {
      it('keeps a sibling write out of a concurrent savepoint that rolls back: the acknowledged write is committed', async () => {
        const { engine, Notes } = await setup();
        let acknowledged = false;
        await settlesWithin(
          engine.transaction(() =>
            Promise.all([
              engine
                .transaction(async () => {
                  await Notes.insert({ body: 'a (nested, rolled back)' });
                  await sleep(30);
                  throw new Error('nested fails');
                })
                .catch(() => undefined),
              sleep(10)
                .then(() => Notes.insert({ body: 'b (sibling)' }))
                .then(() => {
                  acknowledged = true;
                }),
            ]),
          ),
        );
        expect(acknowledged).toBe(true);
        expect(await bodies(Notes)).toEqual(['b (sibling)']);
      });

      it('makes sibling queries wait for an open savepoint, so they see its outcome', async () => {
        const { engine, Notes } = await setup();
        const order: string[] = [];
        await settlesWithin(
          engine.transaction(async () => {
            const nested = engine.transaction(async () => {
              await Notes.insert({ body: 'nested' });
              await sleep(20);
              order.push('nested done');
            });
            await sleep(5);
            const count = await Notes.count();
            order.push(`sibling saw ${count}`);
            await nested;
          }),
        );
        expect(order).toEqual(['nested done', 'sibling saw 1']);
      });

      it('finishes work the callback started but did not await before committing', async () => {
        const { engine, Notes } = await setup();
        await settlesWithin(
          engine.transaction(async () => {
            void engine.transaction(async () => {
              await sleep(20);
              await Notes.insert({ body: 'unawaited nested' });
            });
            void sleep(5).then(() => Notes.insert({ body: 'queued behind the savepoint' }).run());
            await sleep(10);
          }),
        );
        // Neither ran outside the transaction or after its COMMIT; both were committed with it.
        expect(await bodies(Notes)).toEqual(['unawaited nested', 'queued behind the savepoint']);
      });

      it('rolls back queued sibling work with the transaction and rejects what had not run', async () => {
        const { engine, Notes } = await setup();
        let queued: Promise<unknown> | undefined;
        const failing = engine.transaction(async () => {
          void engine
            .transaction(async () => {
              await sleep(20);
              await Notes.insert({ body: 'nested' });
            })
            .catch(() => undefined);
          await sleep(5);
          queued = Notes.insert({ body: 'queued' }).run();
          queued.catch(() => undefined);
          throw new Error('outer fails');
        });
        await expect(settlesWithin(failing)).rejects.toThrow('outer fails');
        await expect(settlesWithin(queued!)).rejects.toMatchObject({ code: PiccoErrorCode.TRANSACTION_ENDED });
        expect(await bodies(Notes)).toEqual([]);
        await Notes.insert({ body: 'after' });
        expect(await bodies(Notes)).toEqual(['after']);
      });
    });
  });
}

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
