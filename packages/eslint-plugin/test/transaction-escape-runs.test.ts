/**
 * no-transaction-escape's reports, backed by the real libraries: each reported program is run
 * and misbehaves (hangs, commits outside the rollback, or is refused), the fixed program runs
 * right, and what the rule leaves alone is shown to work.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import plugin from '@picco/eslint-plugin';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, code } from './rule-tester.js';

// Inside the repository, so that the programs resolve knex, kysely, drizzle-orm and `@picco/*`.
const WORK = path.join(REPO, '.tmp', 'test-transaction-escape');
mkdirSync(WORK, { recursive: true });
const DATA = mkdtempSync(path.join(tmpdir(), 'picco-escape-'));
afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
  rmSync(DATA, { recursive: true, force: true });
});

const RULE = '@picco/no-transaction-escape';
const linter = new Linter({ configType: 'flat' });
const config = [{ ...plugin.configs.recommended, languageOptions: { ecmaVersion: 'latest' as const, sourceType: 'module' as const } }] as Linter.Config[];

/** A hang is a program still running after this long (each finishes in well under a second when it works). */
const HANG_MS = 4000;

interface Run {
  readonly hung: boolean;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program in a folder of its own (where its database files go). */
function run(name: string, source: string, args: string[] = []): Run {
  const file = path.join(WORK, `${name}.mjs`);
  writeFileSync(file, source);
  const cwd = path.join(DATA, name);
  mkdirSync(cwd);
  const child = spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8', timeout: HANG_MS, killSignal: 'SIGKILL' });
  return { hung: child.signal === 'SIGKILL', status: child.status, stdout: child.stdout.trim(), stderr: child.stderr };
}

function reports(source: string): Linter.LintMessage[] {
  return linter.verify(source, config, 'program.mjs').filter((message) => message.ruleId === RULE);
}

function fixed(source: string): string {
  return linter.verifyAndFix(source, config, 'program.mjs').output;
}

/** Keeps the event loop alive as a server would, so that a query waiting forever shows as a hang. */
const SERVER = 'const server = setInterval(() => {}, 1000);\n';
const STOP = 'clearInterval(server);\n';

describe('knex 3.3 on better-sqlite3', () => {
  const oneConnection = code`
    import knexFactory from 'knex';
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    await knex.schema.createTable('users', (table) => { table.increments('id'); table.string('name'); });
    await knex.transaction(async (trx) => {
      await trx('users').insert({ name: 'inside' });
      await knex('users').insert({ name: 'outer handle' });
    });
    console.log(JSON.stringify(await knex('users').pluck('name')));
    await knex.destroy();
  `;

  it('the default pool (one connection): the outer handle waits forever; the fix runs', () => {
    expect(reports(oneConnection).map((message) => [message.line, message.column])).toEqual([[6, 9]]);
    const output = fixed(oneConnection);
    expect(output).toContain("await trx('users').insert({ name: 'outer handle' });");
    expect(reports(output)).toEqual([]);

    const before = run('knex-one-connection', SERVER + oneConnection + STOP);
    expect(before.hung).toBe(true);
    const after = run('knex-one-connection-fixed', SERVER + output + STOP);
    expect(after.hung).toBe(false);
    expect(after.stdout).toBe('["inside","outer handle"]');
  });

  const pooled = code`
    import knexFactory from 'knex';
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: 'app.db' }, useNullAsDefault: true, pool: { min: 1, max: 2 } });
    await knex.schema.createTable('users', (table) => { table.increments('id'); table.string('name'); });
    await knex
      .transaction(async (trx) => {
        await knex('users').insert({ name: 'escaped' });
        throw new Error('roll back');
      })
      .catch(() => {});
    console.log(JSON.stringify(await knex('users').pluck('name')));
    await knex.destroy();
  `;

  it('a pool of two: the outer handle commits outside the transaction and survives its rollback; the fix rolls back', () => {
    expect(reports(pooled)).toHaveLength(1);
    const output = fixed(pooled);
    expect(output).toContain("await trx('users').insert({ name: 'escaped' });");
    const before = run('knex-pool', pooled);
    expect(before.stdout).toBe('["escaped"]');
    const after = run('knex-pool-fixed', output);
    expect(after.stdout).toBe('[]');
  });

  it('knex.raw as a value inside a trx query, and knex.fn, are not reported, and run', () => {
    const source = code`
      import knexFactory from 'knex';
      const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
      await knex.schema.createTable('users', (table) => { table.increments('id'); table.string('name'); table.timestamp('at'); });
      await knex.transaction(async (trx) => {
        await trx('users').insert({ name: knex.raw('upper(?)', ['a']), at: knex.fn.now() });
      });
      console.log(JSON.stringify(await knex('users').pluck('name')));
      await knex.destroy();
    `;
    expect(reports(source)).toEqual([]);
    const result = run('knex-values', SERVER + source + STOP);
    expect(result.hung).toBe(false);
    expect(result.stdout).toBe('["A"]');
  });
});

describe('Kysely 0.28 on better-sqlite3 (SqliteDialect: one connection)', () => {
  const source = code`
    import Database from 'better-sqlite3';
    import { Kysely, SqliteDialect, sql } from 'kysely';
    const db = new Kysely({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    await sql\`create table users (id integer primary key, name text)\`.execute(db);
    const names = await db.transaction().execute(async (trx) => {
      await sql\`insert into users (name) values ('raw')\`.execute(db);
      await trx.insertInto('users').values({ name: 'built' }).execute();
      return db.selectFrom('users').select('name').execute();
    });
    console.log(JSON.stringify(names.map((row) => row.name)));
    await db.destroy();
  `;

  it('the outer handle waits forever for the connection; the fix runs', () => {
    expect(reports(source).map((message) => message.line)).toEqual([6, 8]);
    const output = fixed(source);
    expect(output).toContain('.execute(trx);');
    expect(output).toContain("return trx.selectFrom('users')");
    expect(reports(output)).toEqual([]);

    const before = run('kysely', SERVER + source + STOP);
    expect(before.hung).toBe(true);
    const after = run('kysely-fixed', SERVER + output + STOP);
    expect(after.hung).toBe(false);
    expect(after.stdout).toBe('["raw","built"]');
  });
});

describe('Drizzle 0.45 on better-sqlite3 (synchronous transactions)', () => {
  it('the outer handle inside a synchronous transaction is inside it (same connection): not reported, and rolled back with it', () => {
    const source = code`
      import Database from 'better-sqlite3';
      import { sql } from 'drizzle-orm';
      import { drizzle } from 'drizzle-orm/better-sqlite3';
      import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
      const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });
      const db = drizzle(new Database(':memory:'));
      db.run(sql\`create table users (id integer primary key, name text)\`);
      try {
        db.transaction((tx) => {
          tx.insert(users).values({ name: 'tx' }).run();
          db.insert(users).values({ name: 'outer handle' }).run();
          throw new Error('roll back');
        });
      } catch {}
      console.log(JSON.stringify(db.select().from(users).all()));
    `;
    expect(reports(source)).toEqual([]);
    expect(run('drizzle-sync', source).stdout).toBe('[]');
  });

  it('an async callback (the issue\'s `await db.insert(...)` example) is refused by better-sqlite3: reported', () => {
    const source = code`
      import Database from 'better-sqlite3';
      import { sql } from 'drizzle-orm';
      import { drizzle } from 'drizzle-orm/better-sqlite3';
      import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
      const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });
      const db = drizzle(new Database(':memory:'));
      db.run(sql\`create table users (id integer primary key, name text)\`);
      try {
        await db.transaction(async (tx) => {
          await db.insert(users).values({ name: 'a' });
        });
      } catch (error) {
        console.log(error.message);
      }
      console.log(JSON.stringify(db.select().from(users).all()));
    `;
    const found = reports(source);
    expect(found.map((message) => [message.line, message.fix])).toEqual([[9, undefined]]);
    expect(found[0]!.message).toContain('synchronously');
    const result = run('drizzle-async', source);
    expect(result.stdout).toBe('Transaction function cannot return a promise\n[]');
  });
});

describe('Drizzle 0.45 on @libsql/client 0.17 (a file: the transaction holds the connection)', () => {
  const source = code`
    import { createClient } from '@libsql/client';
    import { sql } from 'drizzle-orm';
    import { drizzle } from 'drizzle-orm/libsql';
    import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
    const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });
    const db = drizzle(createClient({ url: 'file:app.db' }));
    await db.run(sql\`create table users (id integer primary key, name text)\`);
    try {
      await db.transaction(async (tx) => {
        await tx.insert(users).values({ name: 'tx' });
        await db.insert(users).values({ name: 'outer handle' });
      });
    } catch (error) {
      console.log(error.cause?.code);
    }
    console.log(JSON.stringify((await db.select().from(users)).map((row) => row.name)));
  `;

  it("the outer handle (the issue's `await db.insert(...)`) is locked out with SQLITE_BUSY and the transaction fails; the fix commits both", () => {
    expect(reports(source).map((message) => [message.line, message.column])).toEqual([[11, 11]]);
    const output = fixed(source);
    expect(output).toContain("await tx.insert(users).values({ name: 'outer handle' });");
    expect(reports(output)).toEqual([]);

    const before = run('drizzle-libsql', source);
    expect(before.stdout).toBe('SQLITE_BUSY\n[]');
    const after = run('drizzle-libsql-fixed', output);
    expect(after.stdout).toBe('["tx","outer handle"]');
  });
});

describe("Picco's async transaction on a pooled file engine", () => {
  const source = code`
    import { defineTable, text } from '@picco/core';
    import { SQLiteEngine } from '@picco/runtime';
    const DB = new SQLiteEngine({ path: 'app.db' });
    const Users = defineTable('users', { name: text() }, { db: DB });
    await Users.createTable();
    try {
      await DB.transaction(async () => {
        await Users.insert({ name: 'awaited' });
        Users.insert({ name: 'sync' }).runSync();
      });
    } catch (error) {
      console.log(error.code);
    }
    console.log(JSON.stringify((await Users.select()).map((row) => row.name)));
    await DB.close();
  `;

  it('`.runSync()` inside is refused with TRANSACTION_CONFLICT; the suggestion awaits it, and runs', () => {
    const found = reports(source);
    expect(found.map((message) => message.line)).toEqual([9]);
    expect(found[0]!.message).toContain('TRANSACTION_CONFLICT');
    expect(found[0]!.fix).toBeUndefined();
    const suggestion = found[0]!.suggestions?.[0];
    expect(suggestion?.desc).toBe('Await the query inside the transaction instead.');
    const output = source.slice(0, suggestion!.fix.range[0]) + suggestion!.fix.text + source.slice(suggestion!.fix.range[1]);
    expect(output).toContain("await Users.insert({ name: 'sync' });");
    expect(reports(output)).toEqual([]);

    const before = run('picco', source);
    expect(before.stdout).toBe('TRANSACTION_CONFLICT\n[]');
    const after = run('picco-fixed', output);
    expect(after.stdout).toBe('["awaited","sync"]');
  });

  it("the outer engine's tables awaited inside the transaction are in it (AsyncLocalStorage carries it): not reported, rolled back", () => {
    const inside = code`
      import { defineTable, text } from '@picco/core';
      import { SQLiteEngine } from '@picco/runtime';
      const DB = new SQLiteEngine({ path: 'app.db' });
      const Users = defineTable('users', { name: text() }, { db: DB });
      await Users.createTable();
      await DB.transaction(async () => {
        await Users.insert({ name: 'rolled back' });
        await DB.raw("INSERT INTO users (name) VALUES ('raw')");
        throw new Error('roll back');
      }).catch(() => {});
      console.log(JSON.stringify(await Users.count()));
      await DB.close();
    `;
    expect(reports(inside)).toEqual([]);
    expect(run('picco-awaited', inside).stdout).toBe('0');
  });

  it('with workers: 0 the transaction runs on the main connection and `.runSync()` joins it: not reported', () => {
    const inline = source.replace("path: 'app.db'", "path: 'app.db', workers: 0");
    expect(reports(inline)).toEqual([]);
    expect(run('picco-inline', inline).stdout).toBe('["awaited","sync"]');
  });
});
