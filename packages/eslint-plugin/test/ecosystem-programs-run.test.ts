/**
 * Every report on another library is backed by a failure reproduced with that library: each
 * program below runs for real (knex 3.3 on better-sqlite3 and node-sqlite3, MikroORM 6.6,
 * @libsql/client 0.17.4 and 0.18.0, Drizzle on libsql, TypeORM 1.1 and 0.3, Sequelize 6.37,
 * node-sqlite3 6.0), fails as written, is linted with the real ESLint and the plugin, gets its
 * fixes (or its first suggestions) applied, and then works. The working variants run too, and
 * get no report.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import plugin from '@picco/eslint-plugin';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './rule-tester.js';

// Inside the repository, so that the programs resolve the libraries from its node_modules.
const WORK = path.join(REPO, '.tmp', 'test-ecosystem-programs');
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

interface Program {
  readonly name: string;
  /** File name -> source. `.cjs` files are CommonJS, the others ES modules. */
  readonly files: Readonly<Record<string, string>>;
  /** The file that is run. */
  readonly main: string;
  /** The rules that report on the program as written, as `file: rule` (empty: a working variant). */
  readonly reports: readonly string[];
  /** What the program as written prints when it fails (on its second run when `runs` is 2). */
  readonly failure?: RegExp;
  /** 2 for programs whose failure is a file left on disk: the second run finds the first one's data. */
  readonly runs?: 1 | 2;
  /** Packages installed in the program's own node_modules: name -> package in the repository's node_modules. */
  readonly installed?: Readonly<Record<string, string>>;
}

/** A program body in an ES module, printing `OK <result>` or `FAILED <message>`. */
function esm(imports: string, body: string): string {
  return `${imports}\ntry {\n${body}\n} catch (error) {\n  console.log('FAILED ' + error.message + (error.cause ? ' (' + error.cause.message + ')' : ''));\n  process.exitCode = 1;\n}\nprocess.exit();\n`;
}

const KNEX_INSERTS = `await db.schema.createTable('t', (table) => table.integer('x'));
  await Promise.all([1, 2, 3, 4, 5].map((x) => db('t').insert({ x })));
  console.log('OK', JSON.stringify(await db('t').count({ n: '*' })));`;

const KNEX_IDLE = `await db.schema.createTable('t', (table) => table.integer('x'));
  await new Promise((resolve) => setTimeout(resolve, 600));
  console.log('OK', JSON.stringify(await db('t').count({ n: '*' })));`;

const MIKRO_ENTITY = `const Item = new EntitySchema({ name: 'Item', properties: { id: { type: 'number', primary: true }, x: { type: 'number' } } });`;

const LIBSQL_TRANSACTION = `await client.execute('CREATE TABLE t (x)');
  const tx = await client.transaction('write');
  await tx.execute('INSERT INTO t VALUES (1)');
  await tx.commit();
  console.log('OK', (await client.execute('SELECT count(*) AS n FROM t')).rows[0].n);`;

/** Creates a table and a row: on a database that persists in a file, the second run fails. */
const CREATE_TWICE = "CREATE TABLE t (x); INSERT INTO t VALUES (1)";

const PROGRAMS: readonly Program[] = [
  // knex: a pool over ':memory:'.
  {
    name: 'knex better-sqlite3, pool max 5',
    files: { 'app.mjs': esm("import knex from 'knex';", `  const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { max: 5 } });\n  ${KNEX_INSERTS}`) },
    main: 'app.mjs',
    reports: ['app.mjs: no-pooled-memory-database'],
    failure: /no such table: t/,
  },
  {
    name: 'knex sqlite3 (CommonJS), pool max 5',
    files: {
      'app.cjs': `const knex = require('knex');\nconst db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { max: 5 } });\n(async () => {\n  ${KNEX_INSERTS}\n})().catch((error) => { console.log('FAILED ' + error.message); process.exitCode = 1; }).finally(() => process.exit());\n`,
    },
    main: 'app.cjs',
    reports: ['app.cjs: no-pooled-memory-database'],
    failure: /no such table: t/,
  },
  {
    name: 'knex better-sqlite3, pool min 0: the idle connection is closed with the database',
    files: {
      'app.mjs': esm(
        "import knex from 'knex';",
        `  const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 0, idleTimeoutMillis: 200, reapIntervalMillis: 50 } });\n  ${KNEX_IDLE}`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-pooled-memory-database'],
    failure: /no such table: t/,
  },
  {
    name: 'a knexfile per environment, used by the app',
    files: {
      'knexfile.cjs': `module.exports = {\n  development: { client: 'sqlite3', connection: { filename: './dev.sqlite3' }, useNullAsDefault: true },\n  test: { client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 0, idleTimeoutMillis: 200, reapIntervalMillis: 50 } },\n};\n`,
      'app.mjs': esm("import knex from 'knex';\nimport config from './knexfile.cjs';", `  const db = knex(config.test);\n  ${KNEX_IDLE}`),
    },
    main: 'app.mjs',
    reports: ['knexfile.cjs: no-pooled-memory-database'],
    failure: /no such table: t/,
  },
  {
    name: 'knex, working: the default pool, and min 1 / max 1 with a short idle timeout',
    files: {
      'app.mjs': esm(
        "import knex from 'knex';",
        `  const a = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1, idleTimeoutMillis: 200, reapIntervalMillis: 50 } });
  await a.schema.createTable('t', (table) => table.integer('x'));
  await Promise.all([1, 2, 3].map((x) => a('t').insert({ x })));
  ${KNEX_IDLE}`,
      ),
    },
    main: 'app.mjs',
    reports: [],
  },
  // MikroORM 6 (knex inside).
  {
    name: 'MikroORM 6, pool max 5',
    files: {
      'app.mjs': esm(
        "import { MikroORM, EntitySchema } from '@mikro-orm/better-sqlite';",
        `  ${MIKRO_ENTITY}
  const orm = await MikroORM.init({ dbName: ':memory:', entities: [Item], allowGlobalContext: true, pool: { max: 5 } });
  await orm.schema.createSchema();
  await Promise.all([1, 2, 3, 4, 5].map((x) => orm.em.fork().insert(Item, { x })));
  console.log('OK', await orm.em.fork().count(Item));`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-pooled-memory-database'],
    failure: /no such table: item/,
  },
  {
    name: 'MikroORM 6 config file, pool min 0',
    files: {
      'mikro-orm.config.mjs': `import { defineConfig, EntitySchema } from '@mikro-orm/better-sqlite';\n${MIKRO_ENTITY}\nexport default defineConfig({ dbName: ':memory:', entities: [Item], allowGlobalContext: true, pool: { min: 0, idleTimeoutMillis: 200, reapIntervalMillis: 50 } });\n`,
      'app.mjs': esm(
        "import { MikroORM } from '@mikro-orm/better-sqlite';\nimport config from './mikro-orm.config.mjs';",
        `  const orm = await MikroORM.init(config);
  await orm.schema.createSchema();
  await new Promise((resolve) => setTimeout(resolve, 600));
  console.log('OK', await orm.em.fork().count('Item'));`,
      ),
    },
    main: 'app.mjs',
    reports: ['mikro-orm.config.mjs: no-pooled-memory-database'],
    failure: /no such table: item/,
  },
  // @libsql/client: a transaction on ':memory:'.
  {
    name: '@libsql/client 0.17.4, transaction on :memory:',
    files: { 'app.mjs': esm("import { createClient } from '@libsql/client';", `  const client = createClient({ url: ':memory:' });\n  ${LIBSQL_TRANSACTION}`) },
    main: 'app.mjs',
    reports: ['app.mjs: no-libsql-memory-transaction'],
    failure: /no such table: t/,
  },
  {
    name: '@libsql/client 0.18.0: the same program works, and gets no report',
    files: { 'app.mjs': esm("import { createClient } from '@libsql/client';", `  const client = createClient({ url: ':memory:' });\n  ${LIBSQL_TRANSACTION}`) },
    main: 'app.mjs',
    reports: [],
    installed: { '@libsql/client': 'libsql-client-018' },
  },
  {
    name: 'Drizzle on @libsql/client 0.17.4, transaction on :memory:',
    files: {
      'app.mjs': esm(
        "import { createClient } from '@libsql/client';\nimport { drizzle } from 'drizzle-orm/libsql';\nimport { sql } from 'drizzle-orm';",
        `  const db = drizzle(createClient({ url: ':memory:' }));
  await db.run(sql\`CREATE TABLE t (x)\`);
  await db.transaction(async (tx) => { await tx.run(sql\`INSERT INTO t VALUES (1)\`); });
  console.log('OK', JSON.stringify(await db.all(sql\`SELECT count(*) AS n FROM t\`)));`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-libsql-memory-transaction'],
    failure: /no such table: t/,
  },
  {
    name: 'Drizzle with a libsql URL of its own, @libsql/client 0.17.4',
    files: {
      'app.mjs': esm(
        "import { drizzle } from 'drizzle-orm/libsql';\nimport { sql } from 'drizzle-orm';",
        `  const db = drizzle(':memory:');
  await db.run(sql\`CREATE TABLE t (x)\`);
  await db.transaction(async (tx) => { await tx.run(sql\`INSERT INTO t VALUES (1)\`); });
  console.log('OK', JSON.stringify(await db.all(sql\`SELECT count(*) AS n FROM t\`)));`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-libsql-memory-transaction'],
    failure: /no such table: t/,
  },
  {
    name: '@libsql/client, :memory:?cache=shared is refused',
    files: { 'app.mjs': esm("import { createClient } from '@libsql/client';", `  const client = createClient({ url: ':memory:?cache=shared' });\n  ${LIBSQL_TRANSACTION}`) },
    main: 'app.mjs',
    reports: ['app.mjs: no-misleading-sqlite-path'],
    failure: /URL_INVALID/,
  },
  // Paths that become files.
  {
    name: 'TypeORM better-sqlite3, database :memory:?cache=shared',
    files: {
      'app.mjs': esm(
        "import { DataSource } from 'typeorm';",
        `  const source = new DataSource({ type: 'better-sqlite3', database: ':memory:?cache=shared' });\n  await source.initialize();\n  for (const statement of '${CREATE_TWICE}'.split('; ')) await source.query(statement);\n  console.log('OK', JSON.stringify(await source.query('SELECT count(*) AS n FROM t')));\n  await source.destroy();`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-misleading-sqlite-path'],
    runs: 2,
    failure: /table t already exists/,
  },
  {
    name: 'TypeORM 0.3, type sqlite (node-sqlite3), database file::memory:?cache=shared',
    files: {
      'app.mjs': esm(
        "import { DataSource } from 'typeorm';",
        `  const source = new DataSource({ type: 'sqlite', database: 'file::memory:?cache=shared' });\n  await source.initialize();\n  for (const statement of '${CREATE_TWICE}'.split('; ')) await source.query(statement);\n  console.log('OK', JSON.stringify(await source.query('SELECT count(*) AS n FROM t')));\n  await source.destroy();`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-misleading-sqlite-path'],
    runs: 2,
    failure: /table t already exists/,
    installed: { typeorm: 'typeorm-03' },
  },
  {
    name: 'TypeORM 0.3, type sqlite with OPEN_URI in flags: shared in memory, no file, no report',
    files: {
      'app.mjs': esm(
        "import { DataSource } from 'typeorm';\nimport sqlite3 from 'sqlite3';",
        `  const source = new DataSource({ type: 'sqlite', database: 'file::memory:?cache=shared', flags: sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_URI });\n  await source.initialize();\n  for (const statement of '${CREATE_TWICE}'.split('; ')) await source.query(statement);\n  console.log('OK', JSON.stringify(await source.query('SELECT count(*) AS n FROM t')));\n  await source.destroy();`,
      ),
    },
    main: 'app.mjs',
    reports: [],
    runs: 2,
    installed: { typeorm: 'typeorm-03' },
  },
  {
    name: 'Sequelize, storage file::memory:?cache=shared',
    files: {
      'app.mjs': esm(
        "import { Sequelize } from 'sequelize';",
        `  const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'file::memory:?cache=shared', logging: false });\n  for (const statement of '${CREATE_TWICE}'.split('; ')) await sequelize.query(statement);\n  console.log('OK', JSON.stringify(await sequelize.query('SELECT count(*) AS n FROM t')));\n  await sequelize.close();`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-misleading-sqlite-path'],
    runs: 2,
    failure: /table t already exists/,
  },
  {
    name: 'Sequelize, a sqlite://file: URL',
    files: {
      'app.mjs': esm(
        "import { Sequelize } from 'sequelize';",
        `  const sequelize = new Sequelize('sqlite://file::memory:?cache=shared', { logging: false });\n  for (const statement of '${CREATE_TWICE}'.split('; ')) await sequelize.query(statement);\n  console.log('OK', JSON.stringify(await sequelize.query('SELECT count(*) AS n FROM t')));\n  await sequelize.close();`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-misleading-sqlite-path'],
    runs: 2,
    failure: /table t already exists/,
  },
  {
    name: 'knex sqlite3, filename file::memory:?cache=shared',
    files: {
      'app.mjs': esm(
        "import knex from 'knex';",
        `  const db = knex({ client: 'sqlite3', connection: { filename: 'file::memory:?cache=shared' }, useNullAsDefault: true });\n  for (const statement of '${CREATE_TWICE}'.split('; ')) await db.raw(statement);\n  console.log('OK', JSON.stringify(await db('t').count({ n: '*' })));\n  await db.destroy();`,
      ),
    },
    main: 'app.mjs',
    reports: ['app.mjs: no-misleading-sqlite-path'],
    runs: 2,
    failure: /table t already exists/,
  },
  {
    name: 'node-sqlite3 (CommonJS, verbose), file::memory:?cache=shared without OPEN_URI',
    files: {
      'app.cjs': `const sqlite3 = require('sqlite3').verbose();\nconst db = new sqlite3.Database('file::memory:?cache=shared');\ndb.exec('${CREATE_TWICE}', (error) => {\n  if (error) { console.log('FAILED ' + error.message); process.exitCode = 1; } else console.log('OK');\n  db.close();\n});\n`,
    },
    main: 'app.cjs',
    reports: ['app.cjs: no-misleading-sqlite-path'],
    runs: 2,
    failure: /table t already exists/,
  },
  {
    name: 'node-sqlite3 with OPEN_URI: file::memory:?cache=shared is shared in memory, no file, no report',
    files: {
      'app.mjs': esm(
        "import sqlite3 from 'sqlite3';",
        `  const flags = sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_URI;
  const open = () => new sqlite3.Database('file::memory:?cache=shared', flags);
  const run = (db, sql) => new Promise((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
  const first = open();
  const second = open();
  await run(first, 'CREATE TABLE t (x)');
  await run(first, 'INSERT INTO t VALUES (1)');
  console.log('OK', JSON.stringify(await run(second, 'SELECT count(*) AS n FROM t')));`,
      ),
    },
    main: 'app.mjs',
    reports: [],
    runs: 2,
  },
];

describe('programs on other libraries: failing as written, working after the fix', () => {
  it.each(PROGRAMS)('$name', async (program) => {
    const folder = path.join(WORK, program.name.replace(/[^a-z0-9]+/gi, '-'));
    const original = path.join(folder, 'original');
    const fixed = path.join(folder, 'fixed');
    const reports: string[] = [];
    const fixedFiles: Record<string, string> = {};
    for (const target of [original, fixed]) setUp(target, program.installed);
    for (const [name, source] of Object.entries(program.files)) {
      const fileName = path.join(original, name);
      for (const message of lint(source, fileName)) reports.push(`${name}: ${message.ruleId!.replace('@picco/', '')}`);
      fixedFiles[name] = applyFixes(source, fileName);
      // A second pass finds nothing left: the fixed program is clean.
      expect(lint(fixedFiles[name], path.join(fixed, name))).toEqual([]);
    }
    expect(reports).toEqual(program.reports);
    writeFiles(original, program.files);
    writeFiles(fixed, fixedFiles);

    const runs = program.runs ?? 1;
    const before = await runTimes(original, program.main, runs);
    if (program.reports.length === 0) {
      expect(before.output).toMatch(/^OK/m);
      expect(before.status).toBe(0);
    } else {
      expect(before.output).toMatch(program.failure!);
      expect(before.status).not.toBe(0);
    }
    expect(leftOnDisk(original, program.files).length > 0).toBe(program.failure?.source.includes('already exists') === true);

    const after = await runTimes(fixed, program.main, runs);
    expect(after.output).not.toMatch(/FAILED/);
    expect(after.output).toMatch(/^OK/m);
    expect(after.status).toBe(0);
    expect(leftOnDisk(fixed, program.files)).toEqual([]);
    // Each program starts a Node process per run, loading its library: seconds on a busy machine.
  }, 120_000);
});

describe('a NUL in a path (no fix: only the author knows the name meant)', () => {
  it('is reported on node-sqlite3, TypeORM and libsql, which open the name cut at the NUL or abort the process', async () => {
    const folder = path.join(WORK, 'nul');
    setUp(folder, undefined);
    const files = {
      'sqlite3.cjs': "const sqlite3 = require('sqlite3');\nconst db = new sqlite3.Database('a\\0b.db');\ndb.run('CREATE TABLE t (x)', () => db.close());\n",
      'typeorm.mjs': esm("import { DataSource } from 'typeorm';", "  const source = new DataSource({ type: 'better-sqlite3', database: 'c\\0d.db' });\n  await source.initialize();\n  await source.query('CREATE TABLE t (x)');\n  console.log('OK');"),
      'libsql.mjs': esm("import { createClient } from '@libsql/client';", "  const client = createClient({ url: 'file:e\\0f.db' });\n  await client.execute('CREATE TABLE t (x)');\n  console.log('OK');"),
    };
    writeFiles(folder, files);
    for (const [name, source] of Object.entries(files)) {
      expect(lint(source, path.join(folder, name)).map((message) => [message.ruleId, message.message.includes('NUL character')]), name).toEqual([['@picco/no-misleading-sqlite-path', true]]);
    }
    expect((await runNode(folder, 'sqlite3.cjs')).status).toBe(0);
    expect((await runNode(folder, 'typeorm.mjs')).output).toBe('OK');
    expect(leftOnDisk(folder, files).sort()).toEqual(['a', 'c']);
    // libsql's native part panics on the NUL and takes the whole process down.
    const libsql = await runNode(folder, 'libsql.mjs');
    expect(libsql.status).not.toBe(0);
    expect(libsql.output).toContain('NulError');
  }, 120_000);
});

const linter = new Linter({ configType: 'flat' });

function config(fileName: string): Linter.Config[] {
  return [{ ...plugin.configs.recommended, languageOptions: { ecmaVersion: 'latest', sourceType: fileName.endsWith('.cjs') ? 'commonjs' : 'module' } }] as Linter.Config[];
}

function lint(source: string, fileName: string): Linter.LintMessage[] {
  const messages = linter.verify(source, config(fileName), fileName);
  const fatal = messages.find((message) => message.fatal === true);
  if (fatal !== undefined) throw new Error(`${fileName}: ${fatal.message}`);
  return messages;
}

/** `eslint --fix`, then each remaining report's first suggestion, as a user would pick it. */
function applyFixes(source: string, fileName: string): string {
  const fixed = linter.verifyAndFix(source, config(fileName), fileName).output;
  const edits = lint(fixed, fileName)
    .flatMap((message) => (message.suggestions?.[0] === undefined ? [] : [message.suggestions[0].fix]))
    .sort((a, b) => b.range[0] - a.range[0]);
  let text = fixed;
  for (const edit of edits) text = text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
  return text;
}

function setUp(folder: string, installed: Program['installed']): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [name, from] of Object.entries(installed ?? {})) {
    const link = path.join(folder, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(realpathSync(path.join(REPO, 'node_modules', from)), link, 'dir');
  }
}

function writeFiles(folder: string, files: Readonly<Record<string, string>>): void {
  for (const [name, source] of Object.entries(files)) writeFileSync(path.join(folder, name), source);
}

/** What the program left in its folder besides its sources: the junk files. */
function leftOnDisk(folder: string, files: Readonly<Record<string, string>>): string[] {
  return readdirSync(folder).filter((name) => !(name in files) && name !== 'node_modules');
}

/** Runs the program `times` times in `folder` (its working directory); the last run's output. */
async function runTimes(folder: string, main: string, times: number): Promise<{ status: number | null; output: string }> {
  let result = { status: null as number | null, output: '' };
  for (let run = 0; run < times; run++) result = await runNode(folder, main);
  return result;
}

function runNode(folder: string, main: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-deprecation', main], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output: output.trim() });
    });
  });
}
