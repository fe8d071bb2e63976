/**
 * Transactions on a real PostgreSQL server: the misuse patterns every engine is held to (the
 * shared suite, test/suites/transactions.ts, with the same outcomes as on SQLite, since both
 * engines share core's `Transactions`); then what only PostgreSQL and a pool of connections have
 * (an aborted transaction, deferred constraints, concurrent top-level transactions, a lost
 * connection, close() with a transaction open).
 */
import { expect, it } from 'vitest';
import { PiccoErrorCode } from '@picco/core';
import { CLOSE_GRACE_MS, type PostgresEngine } from '@picco/postgres';
import { runTransactionSuite } from '../../../test/suites/transactions.js';
import { POSTGRES_ENGINE } from './engine-under-test.js';
import { admin, describeOnPostgres, freshEngine, settlesWithin, sleep } from './server.js';

describeOnPostgres('the shared transaction suite', () => runTransactionSuite([POSTGRES_ENGINE]));

async function setup(options: { max?: number } = {}) {
  const { engine, schema } = await freshEngine(options);
  await engine.raw('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL UNIQUE, n integer NOT NULL DEFAULT 0)');
  const insert = (body: string) => engine.raw('INSERT INTO notes (body) VALUES ($1) RETURNING id', [body]);
  return { engine, schema, insert };
}

async function bodies(engine: PostgresEngine): Promise<string[]> {
  return (await settlesWithin(engine.raw<{ body: string }>('SELECT body FROM notes ORDER BY id'))).map((row) => row.body);
}

describeOnPostgres('transactions on PostgreSQL', () => {
  describeOnPostgres('savepoints and PostgreSQL errors', () => {
    it('a failed statement aborts the whole transaction (SQLSTATE 25P02 after it) and nothing is committed', async () => {
      const { engine, insert } = await setup();
      await insert('taken');
      const outcome = engine.transaction(async () => {
        await insert('kept?');
        await insert('taken').run().catch(() => undefined); // unique violation, swallowed
        await insert('after the error');
      });
      await expect(settlesWithin(outcome)).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqlState: '25P02' });
      expect(await bodies(engine)).toEqual(['taken']);
    });

    it('a nested transaction contains a failure: its savepoint rolls back and the outer transaction goes on', async () => {
      const { engine, insert } = await setup();
      await insert('taken');
      await settlesWithin(
        engine.transaction(async () => {
          await insert('before');
          await expect(engine.transaction(() => insert('taken'))).rejects.toMatchObject({ sqlState: '23505' });
          await insert('after');
        }),
      );
      expect(await bodies(engine)).toEqual(['taken', 'before', 'after']);
    });

    it('nested savepoints roll back only their own work', async () => {
      const { engine, insert } = await setup();
      await settlesWithin(
        engine.transaction(async () => {
          await insert('outer');
          await engine.transaction(async () => {
            await insert('middle');
            await engine
              .transaction(async () => {
                await insert('inner');
                throw new Error('inner fails');
              })
              .catch(() => undefined);
          });
        }),
      );
      expect(await bodies(engine)).toEqual(['outer', 'middle']);
    });

    it('a COMMIT that fails (a deferred constraint) rejects the transaction and keeps nothing', async () => {
      const { engine } = await setup();
      await engine.raw('CREATE TABLE parent (id integer PRIMARY KEY)');
      await engine.raw('CREATE TABLE child (parent integer REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');
      const outcome = engine.transaction(async () => {
        await engine.raw('INSERT INTO child VALUES (1)'); // checked only at COMMIT
      });
      await expect(settlesWithin(outcome)).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqlState: '23503' });
      expect(await engine.raw('SELECT * FROM child')).toEqual([]);
      // The connection went back clean: the next transaction commits.
      await engine.transaction(async () => {
        await engine.raw('INSERT INTO parent VALUES (1)');
        await engine.raw('INSERT INTO child VALUES (1)');
      });
      expect(await engine.raw('SELECT parent FROM child')).toEqual([{ parent: 1 }]);
    });
  });

  describeOnPostgres('one pinned connection per top-level transaction', () => {
    it('runs every query of a transaction, nested ones included, on one server session', async () => {
      const { engine } = await setup({ max: 4 });
      const pids = await engine.transaction(async () => {
        const nested = await engine.transaction(() => engine.raw<{ pid: number }>('SELECT pg_backend_pid() AS pid'));
        const all = await Promise.all([1, 2, 3].map(() => engine.raw<{ pid: number }>('SELECT pg_backend_pid() AS pid')));
        return [...nested, ...all.flat()].map((row) => row.pid);
      });
      expect(new Set(pids).size).toBe(1);
    });

    it('runs top-level transactions side by side on separate connections, isolated until COMMIT', async () => {
      const { engine, insert } = await setup({ max: 2 });
      let firstInserted!: () => void;
      const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
      let secondSawCount: number | undefined;
      const first = engine.transaction(async () => {
        await insert('first');
        firstInserted();
        await sleep(50);
      });
      // Would deadlock if transactions ran one at a time: this one waits for the first's insert.
      const second = engine.transaction(async () => {
        await inserted;
        const [{ count }] = await engine.raw<{ count: number }>('SELECT count(*) FROM notes');
        secondSawCount = count;
        await insert('second');
      });
      await settlesWithin(Promise.all([first, second]));
      expect(secondSawCount).toBe(0);
      expect((await bodies(engine)).sort()).toEqual(['first', 'second']);
    });

    it('with max: 1, a query from outside waits for the transaction and sees what it committed', async () => {
      const { engine, insert } = await setup({ max: 1 });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const holding = new Promise<void>((resolve) => (inserted = resolve));
      const transaction = engine.transaction(async () => {
        await insert('committed by the transaction');
        inserted();
        await held;
      });
      await settlesWithin(holding);
      const outside = engine.raw<{ body: string }>('SELECT body FROM notes').run();
      let outsideDone = false;
      void outside.then(() => (outsideDone = true));
      await sleep(50);
      expect(outsideDone).toBe(false);
      release();
      await settlesWithin(transaction);
      expect(await settlesWithin(outside)).toEqual([{ body: 'committed by the transaction' }]);
    });

    it('a transaction whose connection the server ends fails with CONNECTION_FAILED, and the engine goes on', async () => {
      const { engine, insert } = await setup({ max: 1 });
      const outcome = engine.transaction(async () => {
        const [{ pid }] = await engine.raw<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await insert('lost with the connection');
        await admin('SELECT pg_terminate_backend($1)', [pid]);
        await sleep(50); // idle in transaction when it dies: the client's 'error' event must not crash
        await insert('after the end');
      });
      await expect(settlesWithin(outcome)).rejects.toMatchObject({ code: PiccoErrorCode.CONNECTION_FAILED });
      // A fresh connection replaces the dead one (max: 1, so the slot was given back).
      await settlesWithin(insert('next'));
      expect(await bodies(engine)).toEqual(['next']);
    });

    it('close() refuses the queries of an open transaction too (it rolls back); one whose callback is done still commits', async () => {
      const { engine, schema, insert } = await setup({ max: 2 });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      // Each transaction says when its first insert is done (a fixed sleep was too short under load).
      let refusedStarted!: () => void;
      let committingStarted!: () => void;
      const bothStarted = Promise.all([new Promise<void>((resolve) => (refusedStarted = resolve)), new Promise<void>((resolve) => (committingStarted = resolve))]);
      const refused = engine.transaction(async () => {
        await insert('rolled back with its transaction');
        refusedStarted();
        await held;
        await insert('after close, inside the transaction');
      });
      const committing = engine.transaction(async () => {
        await insert('committed: its callback needs no query after close');
        committingStarted();
        await held;
      });
      await settlesWithin(bothStarted);
      const closing = engine.close();
      await expect(engine.raw('SELECT 1')).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
      await expect(engine.transaction(async () => undefined)).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
      release();
      await expect(settlesWithin(refused)).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
      await settlesWithin(committing);
      await settlesWithin(closing);
      const rows = await admin<{ body: string }>(`SELECT body FROM ${schema}.notes ORDER BY id`);
      expect(rows.map((row) => row.body)).toEqual(['committed: its callback needs no query after close']);
    });

    it('close() cuts what still runs after CLOSE_GRACE_MS (ENGINE_CLOSED, transaction rolled back) and resolves within about a second', async () => {
      const { engine, schema, insert } = await setup({ max: 3 });
      const stuckTransaction = engine.transaction(async () => {
        await insert('never committed');
        await engine.raw('SELECT pg_sleep(30)');
      });
      const stuckQuery = engine.raw('SELECT pg_sleep(30)').run();
      const neverEnding = engine.transaction(() => new Promise<never>(() => undefined));
      for (const outcome of [stuckTransaction, stuckQuery, neverEnding]) outcome.catch(() => undefined);
      // Both sleepers must be running on the server before close() (a fixed pause was too short under load).
      await settlesWithin(sleepersRunning(schema, 2), 10_000);
      const started = performance.now();
      await settlesWithin(engine.close(), 10_000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(CLOSE_GRACE_MS - 50);
      expect(performance.now() - started).toBeLessThan(CLOSE_GRACE_MS + 4000);
      await expect(settlesWithin(stuckTransaction)).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED, message: expect.stringContaining('grace period') });
      await expect(settlesWithin(stuckQuery)).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
      // The server notices a vanished client only when it next writes to it: end the sleepers now.
      await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [schema]);
      expect(await admin(`SELECT body FROM ${schema}.notes`)).toEqual([]);
    });
  });

  describeOnPostgres('under load', () => {
    it('keeps exactly the acknowledged writes: 24 callers mixing plain writes, transactions, rollbacks and savepoints on 3 connections', async () => {
      const { engine, insert } = await setup({ max: 3 });
      const acknowledged = new Set<string>();
      const unexpected: unknown[] = [];
      const caller = async (id: number) => {
        for (let step = 0; step < 6; step++) {
          const tag = `${id}-${step}`;
          try {
            switch ((id + step) % 4) {
              case 0:
                await insert(tag);
                acknowledged.add(tag);
                break;
              case 1:
                await engine.transaction(() => Promise.all([insert(`${tag} a`), insert(`${tag} b`)]));
                acknowledged.add(`${tag} a`).add(`${tag} b`);
                break;
              case 2: {
                const failing = engine.transaction(async () => {
                  await insert(tag);
                  throw new Error('roll back');
                });
                await failing.catch((error: unknown) => (error as Error).message === 'roll back' || unexpected.push(error));
                break;
              }
              case 3:
                await engine.transaction(async () => {
                  await insert(`${tag} outer`);
                  await engine
                    .transaction(async () => {
                      await insert(`${tag} savepoint`);
                      throw new Error('roll back the savepoint');
                    })
                    .catch(() => undefined);
                  await insert(`${tag} after`);
                });
                acknowledged.add(`${tag} outer`).add(`${tag} after`);
                break;
            }
          } catch (error) {
            unexpected.push(error);
          }
        }
      };
      await settlesWithin(Promise.all(Array.from({ length: 24 }, (_, id) => caller(id))), 25_000);
      expect(unexpected).toEqual([]);
      expect((await bodies(engine)).sort()).toEqual([...acknowledged].sort());
    });
  });

  describeOnPostgres('synchronous calls', () => {
    it('are refused with SYNC_UNSUPPORTED inside a transaction too, and the transaction is unaffected', async () => {
      const { engine, insert } = await setup();
      await settlesWithin(
        engine.transaction(async () => {
          await insert('inside');
          // eslint-disable-next-line @picco/no-sync-on-async-only-engine -- the refusal is what this test checks
          expect(() => insert('sync').runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.SYNC_UNSUPPORTED }));
          // eslint-disable-next-line @picco/no-sync-on-async-only-engine -- the refusal is what this test checks
          expect(() => engine.transactionSync(() => 1)).toThrow(expect.objectContaining({ code: PiccoErrorCode.SYNC_UNSUPPORTED }));
        }),
      );
      expect(await bodies(engine)).toEqual(['inside']);
    });
  });
});

/** Resolves once `count` `pg_sleep` queries of this test's engine (its application_name) are running. */
async function sleepersRunning(applicationName: string, count: number): Promise<void> {
  for (;;) {
    const [{ running }] = await admin<{ running: number }>(
      `SELECT count(*)::int AS running FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep(30)%'`,
      [applicationName],
    );
    if (running >= count) return;
    await sleep(10);
  }
}
