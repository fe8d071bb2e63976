/**
 * Transaction semantics under misuse, on every engine (SQLite's configurations from
 * packages/runtime/test/transactions.test.ts, PostgreSQL from packages/postgres/test/transactions.test.ts;
 * both engines share core's `Transactions`): a callback that returns its query instead of awaiting
 * it, queries leaked past their transaction, concurrent work beside an open savepoint. Nothing may
 * hang and no acknowledged write may vanish. A hang would show as a test timeout; `settlesWithin`
 * turns it into a clear failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineTable, integer, PiccoErrorCode, serial, text } from '@picco/core';
import { dialectOf, type EngineUnderTest, type TestEngine } from './engines.js';

import { settlesWithin, sleep } from './timing.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function notesTable(engine: TestEngine) {
  return defineTable('notes', { id: serial(), body: text(), n: integer({ default: 0 }) }, { db: engine });
}

export function runTransactionSuite(engines: readonly EngineUnderTest[]): void {
  for (const config of engines) {
    describe(`transactions on ${config.name}`, () => {
      async function setup() {
        const { engine, cleanup } = await config.create();
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
          // PostgreSQL refuses every synchronous call (no synchronous driver); SQLite this one, for having outlived its transaction.
          const expected = dialectOf(engine) === 'postgres' ? PiccoErrorCode.SYNC_UNSUPPORTED : PiccoErrorCode.TRANSACTION_ENDED;
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
          expect(await settlesWithin(later!)).toMatchObject({ code: expected });
        });

        it('lets code after the transaction (outside its context) run normally', async () => {
          const { engine, Notes } = await setup();
          await engine.transaction(async () => {
            await Notes.insert({ body: 'inside' });
          });
          await Notes.insert({ body: 'after' });
          expect(await Notes.count()).toBe(2);
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
}
