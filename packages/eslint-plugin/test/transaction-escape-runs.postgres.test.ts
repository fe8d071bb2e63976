/**
 * no-transaction-escape on Drizzle over node-postgres, backed by a real PostgreSQL server (the
 * private cluster of the PostgreSQL suites): the outer `db` inside `db.transaction(...)` takes
 * another connection of pg's pool, so its writes commit outside the transaction and survive its
 * rollback; with a pool of one it waits forever. The fixed programs use the callback's `tx`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import plugin from '@picco/eslint-plugin';
import { Linter } from 'eslint';
import { afterAll, expect, it } from 'vitest';
import { admin, afterThisTest, describeOnPostgres, urlWithSchema } from '../../postgres/test/server.js';
import { REPO, code } from './rule-tester.js';

// Inside the repository, so that the programs resolve drizzle-orm and pg.
const WORK = path.join(REPO, '.tmp', 'test-transaction-escape-postgres');
mkdirSync(WORK, { recursive: true });
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const RULE = '@picco/no-transaction-escape';
const linter = new Linter({ configType: 'flat' });
const config = [{ ...plugin.configs.recommended, languageOptions: { ecmaVersion: 'latest' as const, sourceType: 'module' as const } }] as Linter.Config[];
const HANG_MS = 5000;

const reports = (source: string) => linter.verify(source, config, 'program.mjs').filter((message) => message.ruleId === RULE);
const fixed = (source: string) => linter.verifyAndFix(source, config, 'program.mjs').output;

/** Runs a program against a fresh schema of the test server (its URL in PICCO_ESCAPE_PG_URL). */
async function run(name: string, source: string): Promise<{ hung: boolean; stdout: string; stderr: string }> {
  const schema = `picco_escape_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  afterThisTest(() => admin(`DROP SCHEMA ${schema} CASCADE`).then(() => undefined));
  const file = path.join(WORK, `${name}.mjs`);
  writeFileSync(file, source);
  const child = spawnSync(process.execPath, [file], {
    encoding: 'utf8',
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, PICCO_ESCAPE_PG_URL: urlWithSchema(schema) },
  });
  return { hung: child.signal === 'SIGKILL', stdout: child.stdout.trim(), stderr: child.stderr };
}

const PROGRAM = (pool: string, body: string) => code`
  import { sql } from 'drizzle-orm';
  import { drizzle } from 'drizzle-orm/node-postgres';
  import { pgTable, serial, text } from 'drizzle-orm/pg-core';
  import pg from 'pg';
  const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name') });
  const pool = new pg.Pool({ connectionString: process.env.PICCO_ESCAPE_PG_URL${pool} });
  const db = drizzle(pool);
  await db.execute(sql\`create table users (id serial primary key, name text)\`);
  try {
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'tx' });
  ${body}
      throw new Error('roll back');
    });
  } catch (error) {
    console.log(error.message);
  }
  console.log(JSON.stringify((await db.select().from(users)).map((row) => row.name)));
  await pool.end();
`;

describeOnPostgres('Drizzle 0.45 on node-postgres (pg 8)', () => {
  it("a pool (the default, 10): the outer handle's insert commits outside the transaction and survives its rollback; the fix rolls back", async () => {
    const source = PROGRAM('', "    await db.insert(users).values({ name: 'escaped' });");
    expect(reports(source).map((message) => [message.line, message.column])).toEqual([[12, 11]]);
    const output = fixed(source);
    expect(output).toContain("await tx.insert(users).values({ name: 'escaped' });");
    expect(reports(output)).toEqual([]);

    const before = await run('drizzle-pg-pool', source);
    expect(before.stderr).toBe('');
    expect(before.stdout).toBe('roll back\n["escaped"]');
    const after = await run('drizzle-pg-pool-fixed', output);
    expect(after.stdout).toBe('roll back\n[]');
  });

  it('a pool of one: the outer handle waits forever for the connection the transaction holds; the fix runs', async () => {
    const source = PROGRAM(', max: 1', "    await db.select().from(users);");
    expect(reports(source)).toHaveLength(1);
    const output = fixed(source);
    expect(output).toContain('await tx.select().from(users);');

    const before = await run('drizzle-pg-one', source);
    expect(before.hung).toBe(true);
    const after = await run('drizzle-pg-one-fixed', output);
    expect(after.hung).toBe(false);
    expect(after.stdout).toBe('roll back\n[]');
  });

  it("a nested transaction on the outer handle commits on its own (reported, no autofix); `tx.transaction` is a savepoint that rolls back", async () => {
    const source = PROGRAM('', "    await db.transaction(async (inner) => { await inner.insert(users).values({ name: 'nested' }); });");
    const found = reports(source);
    expect(found.map((message) => [message.line, message.fix])).toEqual([[12, undefined]]);
    const byHand = source.replace('await db.transaction(async (inner)', 'await tx.transaction(async (inner)');
    expect(reports(byHand)).toEqual([]);

    const before = await run('drizzle-pg-nested', source);
    expect(before.stdout).toBe('roll back\n["nested"]');
    const after = await run('drizzle-pg-nested-fixed', byHand);
    expect(after.stdout).toBe('roll back\n[]');
  });
});
