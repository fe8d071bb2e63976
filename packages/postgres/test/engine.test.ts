/**
 * PostgresEngine against a real PostgreSQL server: raw queries and the values they bring back,
 * errors with their SQLSTATE, connection failures, the refusals (sync calls, bad options), close(),
 * the pool's `max`, and a process that ends by itself without close(). Table queries: compile.test.ts,
 * queries.test.ts and the shared suites (parity.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PiccoError, PiccoErrorCode, defineTable, serial, text } from '@picco/core';
import { PostgresEngine } from '@picco/postgres';
import { admin, describeOnPostgres, freshEngine, postgresUrl, settlesWithin, sleep, urlWithSchema } from './server.js';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

describeOnPostgres('raw queries', () => {
  it('binds $1..$n parameters and returns rows', async () => {
    const { engine } = await freshEngine();
    const rows = await engine.raw<{ sum: number; label: string }>('SELECT $1::int + $2::int AS sum, $3::text AS label', [2, 3, 'five']);
    expect(rows).toEqual([{ sum: 5, label: 'five' }]);
    expect(engine.raw('SELECT $1::int AS n', [1]).toSQL()).toMatchObject({ sql: 'SELECT $1::int AS n', params: [1] });
  });

  it('writes and reads back a table, with RETURNING, and resolves to [] for statements without rows', async () => {
    const { engine } = await freshEngine();
    expect(await engine.raw('CREATE TABLE band (id serial PRIMARY KEY, name text NOT NULL, popularity int NOT NULL DEFAULT 0)')).toEqual([]);
    const inserted = await engine.raw<{ id: number }>('INSERT INTO band (name) VALUES ($1), ($2) RETURNING id', ['Pythonistas', 'Rustaceans']);
    expect(inserted).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await engine.raw('UPDATE band SET popularity = popularity + $1 WHERE id = $2', [10, 2])).toEqual([]);
    expect(await engine.raw('SELECT name, popularity FROM band ORDER BY popularity DESC').run()).toEqual([
      { name: 'Rustaceans', popularity: 10 },
      { name: 'Pythonistas', popularity: 0 },
    ]);
  });

  it('reads PostgreSQL values as JavaScript values, and bigint without losing digits', async () => {
    const { engine } = await freshEngine();
    const [row] = await engine.raw<Record<string, unknown>>(
      `SELECT 42::int8 AS small_int8, 9007199254740993::int8 AS huge_int8, count(*) AS counted, true AS yes, NULL AS nothing,
              '12.50'::numeric AS exact, '{"a": [1, 2]}'::jsonb AS document, '2026-01-02T03:04:05Z'::timestamptz AS at,
              $1::bytea AS bytes, $2::int8 AS bound_bigint
       FROM (VALUES (1), (2)) AS t`,
      [new Uint8Array([0, 1, 255]), 2n ** 62n],
    );
    expect(row).toEqual({
      small_int8: 42,
      huge_int8: 9007199254740993n,
      counted: 2,
      yes: true,
      nothing: null,
      exact: '12.50', // numeric stays exact: a string
      document: { a: [1, 2] },
      at: new Date('2026-01-02T03:04:05Z'),
      bytes: Buffer.from([0, 1, 255]),
      bound_bigint: 2n ** 62n,
    });
  });

  it('runs several parameterless statements in one raw call (atomically) and returns the last one\'s rows', async () => {
    const { engine } = await freshEngine();
    const rows = await engine.raw('CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2); SELECT sum(n) AS total FROM t');
    expect(rows).toEqual([{ total: 3 }]);
    await expect(engine.raw('INSERT INTO t VALUES (3); INSERT INTO t VALUES (NULL::text::int / 0); INSERT INTO t VALUES (oops)')).rejects.toMatchObject({
      code: PiccoErrorCode.QUERY_FAILED,
    });
    expect(await engine.raw('SELECT count(*) AS n FROM t')).toEqual([{ n: 2 }]);
  });
});

describeOnPostgres('errors', () => {
  it('keeps the SQLSTATE, the SQL, the detail and the driver error of a refused statement', async () => {
    const { engine } = await freshEngine();
    await engine.raw('CREATE TABLE person (email text PRIMARY KEY, age int NOT NULL CHECK (age >= 0))');
    await engine.raw('INSERT INTO person VALUES ($1, $2)', ['a@example.com', 30]);
    const error = await engine.raw('INSERT INTO person VALUES ($1, $2)', ['a@example.com', 31]).run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PiccoError);
    expect(error).toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqlState: '23505', sql: 'INSERT INTO person VALUES ($1, $2)', sqliteCode: undefined });
    expect((error as Error).message).toContain('Key (email)=(a@example.com) already exists');
    expect((error as Error).cause).toMatchObject({ code: '23505', constraint: 'person_pkey' });
  });

  it('maps each kind of refusal to QUERY_FAILED with its own SQLSTATE', async () => {
    const { engine } = await freshEngine();
    await engine.raw('CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (parent int REFERENCES parent (id), n int NOT NULL CHECK (n > 0))');
    const cases: [string, unknown[], string][] = [
      ['INSERT INTO child VALUES (1, 1)', [], '23503'], // foreign key
      ['INSERT INTO child (parent) VALUES (NULL)', [], '23502'], // not null
      ['INSERT INTO child VALUES (NULL, -1)', [], '23514'], // check
      ['SELECT * FROM missing_table', [], '42P01'], // undefined table
      ['SELEKT 1', [], '42601'], // syntax
      ['SELECT $1::int', ['not a number'], '22P02'], // invalid text representation
      ['SELECT $1::int, $2::int', [1], '08P01'], // one parameter missing: a protocol error, not a lost connection
    ];
    for (const [sql, params, sqlState] of cases) {
      await expect(engine.raw(sql, params as never[]), sql).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqlState });
    }
    // None of them broke the engine.
    expect(await engine.raw('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('fails with CONNECTION_FAILED, naming the server without its password, when the server cannot be reached', async () => {
    const engine = new PostgresEngine({ connectionString: 'postgresql://someone:secret-password@localhost/app?host=/nonexistent-picco-folder', connectionTimeoutMs: 2000 });
    try {
      const error = await settlesWithin(engine.raw('SELECT 1').run().catch((caught: unknown) => caught));
      expect(error).toMatchObject({ code: PiccoErrorCode.CONNECTION_FAILED });
      const { message } = error as Error;
      expect(message).toContain('Could not connect to PostgreSQL at');
      expect(message).toContain('someone:***@localhost/app');
      expect(message).not.toContain('secret-password');
      expect(engine.path).not.toContain('secret-password');
      await expect(engine.transaction(async () => undefined)).rejects.toMatchObject({ code: PiccoErrorCode.CONNECTION_FAILED });
    } finally {
      await engine.close();
    }
  });

  it('gives up with CONNECTION_FAILED after connectionTimeoutMs when the server never answers, instead of hanging', async () => {
    // A socket that accepts connections and never says a word.
    const folder = mkdtempSync(join(tmpdir(), 'picco-silent-'));
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(join(folder, '.s.PGSQL.5432'), resolve));
    const engine = new PostgresEngine({ connectionString: `postgresql://someone@localhost/app?host=${encodeURIComponent(folder)}`, connectionTimeoutMs: 300 });
    try {
      const started = performance.now();
      await expect(settlesWithin(engine.raw('SELECT 1'))).rejects.toMatchObject({ code: PiccoErrorCode.CONNECTION_FAILED, message: expect.stringContaining('timeout') });
      expect(performance.now() - started).toBeLessThan(4000);
    } finally {
      await engine.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('fails with CONNECTION_FAILED and the SQLSTATE when the server refuses the login', async () => {
    const missingDatabase = new URL(postgresUrl!);
    missingDatabase.pathname = '/no_such_database';
    const engine = new PostgresEngine({ connectionString: missingDatabase.toString() });
    try {
      await expect(engine.raw('SELECT 1')).rejects.toMatchObject({ code: PiccoErrorCode.CONNECTION_FAILED, sqlState: '3D000' });
    } finally {
      await engine.close();
    }
  });

  it('turns a connection the server ends mid-query into CONNECTION_FAILED, and replaces it', async () => {
    const { engine } = await freshEngine({ max: 1 });
    const [{ pid }] = await engine.raw<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const running = engine.raw('SELECT pg_sleep(5)').run();
    running.catch(() => undefined); // awaited below
    await sleep(100);
    await admin('SELECT pg_terminate_backend($1)', [pid]);
    await expect(settlesWithin(running)).rejects.toMatchObject({ code: PiccoErrorCode.CONNECTION_FAILED });
    const [{ pid: next }] = await settlesWithin(engine.raw<{ pid: number }>('SELECT pg_backend_pid() AS pid'));
    expect(next).not.toBe(pid);
  });

  it('survives the server ending an idle pooled connection (no crash), and uses a new one', async () => {
    const { engine, schema } = await freshEngine({ max: 1 });
    const [{ pid }] = await engine.raw<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await admin('SELECT pg_terminate_backend($1)', [pid]);
    await sleep(100);
    expect(await engine.raw('SELECT current_schema() AS s')).toEqual([{ s: schema }]);
  });
});

describeOnPostgres('refusals', () => {
  it('refuses .runSync() and transactionSync() at once with SYNC_UNSUPPORTED, running nothing', async () => {
    const { engine } = await freshEngine();
    await engine.raw('CREATE TABLE t (n int)');
    const insert = engine.raw('INSERT INTO t VALUES (1)');
    let thrown: unknown;
    try {
      // eslint-disable-next-line @picco/no-sync-on-async-only-engine -- the refusal is what this test checks
      insert.runSync();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: PiccoErrorCode.SYNC_UNSUPPORTED });
    expect((thrown as Error).message).toMatch(/no synchronous mode.*await/s);
    let called = false;
    expect(() =>
      // eslint-disable-next-line @picco/no-sync-on-async-only-engine -- the refusal is what this test checks
      engine.transactionSync(() => {
        called = true;
      }),
    ).toThrow(expect.objectContaining({ code: PiccoErrorCode.SYNC_UNSUPPORTED }));
    expect(called).toBe(false);
    expect(await engine.raw('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('runs table queries in PostgreSQL\'s SQL (they were refused before the compiler had a PostgreSQL dialect)', async () => {
    const { engine } = await freshEngine();
    const Band = defineTable('band', { id: serial(), name: text() }, { db: engine });
    await Band.createTable();
    expect(await engine.transaction(() => Band.insert({ name: 'x' }).returning(Band.id))).toEqual([{ id: 1 }]);
    expect(await Band.select()).toEqual([{ id: 1, name: 'x' }]);
    expect(await engine.raw(`SELECT to_regclass('band') IS NOT NULL AS found`)).toEqual([{ found: true }]);
  });

  it("says `$1` in raw()'s message about its parameters (SQLite's says `?`)", () => {
    const { engine } = { engine: new PostgresEngine({ connectionString: postgresUrl }) };
    expect(() => engine.raw('SELECT 1', 'x' as never)).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_QUERY, message: expect.stringContaining('WHERE id = $1') }));
  });

  it('checks its options in the constructor (INVALID_OPTION, naming the option)', () => {
    const attempts: [unknown, RegExp][] = [
      [{ url: 'postgresql://x' }, /"url" is not an option of PostgresEngine; did you mean "connectionString"/],
      [{ connectionString: '' }, /"connectionString" must be a non-empty string/],
      [{ connectionString: 42 }, /"connectionString" must be a non-empty string/],
      [{ max: 0 }, /"max" must be a whole number of connections from 1/],
      [{ max: 2.5 }, /"max"/],
      [{ connectionTimeoutMs: -1 }, /"connectionTimeoutMs"/],
      [null, /takes an options object/],
    ];
    for (const [options, message] of attempts) {
      expect(() => new PostgresEngine(options as never), JSON.stringify(options)).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_OPTION, message: expect.stringMatching(message) }));
    }
  });
});

describeOnPostgres('close()', () => {
  it('refuses later queries and transactions with ENGINE_CLOSED, and is idempotent', async () => {
    const { engine } = await freshEngine();
    await engine.raw('SELECT 1');
    const first = engine.close();
    expect(engine.close()).toBe(first);
    await first;
    expect(engine.isClosed).toBe(true);
    await expect(engine.raw('SELECT 1')).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    await expect(engine.transaction(async () => undefined)).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
  });

  it('lets a running query finish, refuses those still waiting for a connection, and ends every connection', async () => {
    const { engine, schema } = await freshEngine({ max: 1 });
    await engine.raw('CREATE TABLE t (n int)');
    const running = engine.raw('INSERT INTO t SELECT 1 FROM pg_sleep(0.2)').run();
    const waiting = [2, 3, 4].map((n) => engine.raw('INSERT INTO t VALUES ($1)', [n]).run());
    await sleep(50);
    const order: string[] = [];
    void running.then(() => order.push('running finished'));
    for (const query of waiting) query.catch(() => order.push('waiting refused'));
    const closing = engine.close();
    await settlesWithin(running);
    for (const query of waiting) await expect(settlesWithin(query)).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    // Refused at close(), not only once the running query gave its connection back.
    expect(order).toEqual(['waiting refused', 'waiting refused', 'waiting refused', 'running finished']);
    await settlesWithin(closing);
    expect(await admin(`SELECT n FROM ${schema}.t`)).toEqual([{ n: 1 }]);
    const sessions = await admin(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [schema]);
    expect(sessions).toEqual([{ n: 0 }]);
  });
});

describeOnPostgres('the pool', () => {
  it('never opens more than max connections, and runs every caller', async () => {
    const { engine, schema } = await freshEngine({ max: 3 });
    const calls = Array.from({ length: 12 }, (_, index) => engine.raw<{ pid: number; index: number }>('SELECT pg_backend_pid() AS pid, $1::int AS index FROM pg_sleep(0.05)', [index]).run());
    let peak = 0;
    const watching = (async () => {
      for (let look = 0; look < 8; look++) {
        const [{ n }] = await admin<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [schema]);
        peak = Math.max(peak, n);
        await sleep(20);
      }
    })();
    const rows = (await settlesWithin(Promise.all(calls))).flat();
    await watching;
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(3);
    expect(rows.map((row) => row.index)).toEqual(Array.from({ length: 12 }, (_, index) => index));
    expect(new Set(rows.map((row) => row.pid)).size).toBeLessThanOrEqual(3);
  });

  it('hands a connection from one waiting caller to the next, but never one the server has ended', async () => {
    const { engine } = await freshEngine({ max: 1 });
    // 30 callers on one connection, every third one failing with a plain SQL error: each gets its own answer, on the one session.
    const calls = Array.from({ length: 30 }, (_, index) =>
      (index % 3 === 2 ? engine.raw('SELECT 1 / $1::int AS x', [0]) : engine.raw<{ pid: number; index: number }>('SELECT pg_backend_pid() AS pid, $1::int AS index', [index])).run().then(
        (rows) => rows,
        (error: PiccoError) => error.sqlState,
      ),
    );
    const outcomes = await settlesWithin(Promise.all(calls));
    expect(outcomes.filter((outcome) => outcome === '22012')).toHaveLength(10); // division_by_zero
    const rows = outcomes.filter(Array.isArray).flat() as { pid: number; index: number }[];
    expect(rows.map((row) => row.index)).toEqual(Array.from({ length: 30 }, (_, index) => index).filter((index) => index % 3 !== 2));
    expect(new Set(rows.map((row) => row.pid)).size).toBe(1);
    // A connection the server ends under a query is not handed to the caller waiting behind it.
    const [{ pid }] = rows;
    const doomed = engine.raw('SELECT pg_sleep(5)').run();
    doomed.catch(() => undefined);
    const behind = engine.raw<{ pid: number }>('SELECT pg_backend_pid() AS pid').run();
    await sleep(100);
    await admin('SELECT pg_terminate_backend($1)', [pid]);
    await expect(settlesWithin(doomed)).rejects.toMatchObject({ code: PiccoErrorCode.CONNECTION_FAILED });
    const [{ pid: next }] = await settlesWithin(behind);
    expect(next).not.toBe(pid);
  });

  it('runs callers side by side up to max (two sessions can wait for each other)', async () => {
    const { engine } = await freshEngine({ max: 2 });
    await engine.raw('CREATE TABLE t (n int)');
    // The first waits for a row that only the second writes: with one connection this would never end.
    const waiter = engine.raw(`DO $$ BEGIN WHILE NOT EXISTS (SELECT 1 FROM t) LOOP PERFORM pg_sleep(0.01); END LOOP; END $$`).run();
    await sleep(50);
    await engine.raw('INSERT INTO t VALUES (1)');
    await settlesWithin(waiter);
  });

  it('lets a script that never calls close() exit by itself', () => {
    const script = `
      import { PostgresEngine } from '@picco/postgres';
      const DB = new PostgresEngine({ connectionString: ${JSON.stringify(urlWithSchema('public'))}, max: 4 });
      const [row] = await DB.raw('SELECT 1 + 1 AS two');
      await DB.transaction(async () => { await DB.raw('SELECT 1'); });
      await Promise.all([DB.raw('SELECT 1'), DB.raw('SELECT 2'), DB.raw('SELECT 3')]);
      const done = performance.now();
      process.on('exit', () => console.log(JSON.stringify({ row, exitAfterMs: performance.now() - done })));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repositoryRoot, encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const { row, exitAfterMs } = JSON.parse(child.stdout) as { row: unknown; exitAfterMs: number };
    expect(row).toEqual({ two: 2 });
    // Held by its idle connections, it would wait for the pool's 10 s idle timeout.
    expect(exitAfterMs).toBeLessThan(5000);
  });
});
