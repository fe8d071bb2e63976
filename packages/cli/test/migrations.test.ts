/**
 * `picco` on real SQLite files: a sequence of table changes generates migrations; applying them
 * forwards then backwards leaves the catalog as it started; rows survive every rebuild; a failing
 * migration leaves nothing half-applied; two `picco migrate` at once apply each migration once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationRunner, migrationDialect, readMigrations, runCli } from '@picco/cli';
import { SQLiteEngine } from '@picco/runtime';

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repository, 'packages', 'cli', 'dist', 'bin.js');

/** A project folder inside the repository, so that its config finds @picco/core and @picco/runtime. */
let folder: string;
let version = 0;

beforeEach(() => {
  mkdirSync(join(repository, '.tmp'), { recursive: true });
  folder = mkdtempSync(join(repository, '.tmp', 'cli-test-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Writes the tables as the user's code says them now, and a config naming them. */
function tables(source: string, options: { workers?: number } = {}): void {
  const file = `tables-${++version}.mjs`;
  writeFileSync(
    join(folder, file),
    `import { defineTable, serial, text, integer, varchar, foreignKey } from '@picco/core';\n${source}\nexport const all = [${[...source.matchAll(/export const (\w+)/g)].map((match) => match[1]).join(', ')}];\n`,
  );
  writeFileSync(
    join(folder, 'picco.config.mjs'),
    `import { SQLiteEngine } from '@picco/runtime';\nimport { all } from './${file}';\n` +
      `export default { engine: () => new SQLiteEngine({ path: ${JSON.stringify(join(folder, 'app.db'))}, workers: ${options.workers ?? 0} }), tables: all };\n`,
  );
}

async function picco(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { cwd: folder, stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function database(): Database.Database {
  return new Database(join(folder, 'app.db'));
}

/** The catalog of every user table: columns, indexes (with their columns), foreign keys, triggers. */
function catalog(): unknown {
  const db = database();
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'picco_migrations' ORDER BY name`).all() as { name: string }[];
    return tables.map(({ name }) => ({
      name,
      columns: db.prepare(`SELECT * FROM pragma_table_xinfo(?)`).all(name),
      indexes: (db.prepare(`SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name`).all(name) as { name: string }[]).map((index) => ({
        ...index,
        columns: db.prepare(`SELECT seqno, cid, name FROM pragma_index_info(?)`).all(index.name),
      })),
      foreignKeys: db.prepare(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?)`).all(name),
      objects: db.prepare(`SELECT type, name FROM sqlite_schema WHERE tbl_name = ? AND type <> 'table' ORDER BY name`).all(name),
    }));
  } finally {
    db.close();
  }
}

function rows(sql: string): unknown[] {
  const db = database();
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function history(): string[] {
  return (rows(`SELECT name FROM picco_migrations ORDER BY name`) as { name: string }[]).map((row) => row.name);
}

const V1 = `
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable() });
`;

describe('picco migrations', () => {
  it('generates migrations from a sequence of table changes; forwards then backwards leaves the catalog as it started, rows kept', async () => {
    tables(V1);
    expect(await picco('migrations', 'new', '--auto')).toMatchObject({ code: 0, out: expect.stringContaining('0001_initial.mjs (2 operations)') });
    expect((await picco('migrate')).out).toMatch(/^Applying 0001_initial \.\.\. done in \d+ ms$/);
    const db = database();
    db.exec(`INSERT INTO manager (name) VALUES ('Guido'), ('Graydon');
             INSERT INTO band (name, manager) VALUES ('Pythonistas', 1), ('Rustaceans', 2), ('C-Sharps', NULL);`);
    db.close();
    const startCatalog = catalog();
    const startBands = rows(`SELECT * FROM band ORDER BY id`);
    expect((await picco('migrations', 'check')).code).toBe(0);

    // v2: an in-place column, a UNIQUE column and a longer name (rebuilds), a new table.
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 100 }), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 5 }), code: text().unique().nullable() });
export const Genre = defineTable('genre', { id: serial(), title: text().unique() });
`);
    const check = await picco('migrations', 'check');
    expect(check.code).toBe(1);
    expect(check.err).toMatch(/The tables and the migrations disagree/);
    expect(await picco('migrations', 'new', '--auto', '--name', 'ratings and genres', '--sql')).toMatchObject({ code: 0, out: expect.stringContaining('0002_ratings_and_genres.mjs (4 operations)') });
    const second = readFileSync(join(folder, 'migrations', '0002_ratings_and_genres.mjs'), 'utf8');
    expect(second).toContain(`// alter column band.name`);
    expect(second).toContain(`//   CREATE TABLE "picco_rebuild_band"`);
    expect(second).toContain(`//   ALTER TABLE "band" ADD COLUMN "rating" INTEGER NOT NULL DEFAULT 5`);
    expect((await picco('migrations', 'check')).code).toBe(0);
    expect((await picco('migrations', 'status')).out).toMatch(/^applied \S+ {2}0001_initial\npending {2}0002_ratings_and_genres$/);
    await picco('migrate');
    expect(rows(`SELECT id, name, manager, rating, code FROM band ORDER BY id`)).toEqual([
      { id: 1, name: 'Pythonistas', manager: 1, rating: 5, code: null },
      { id: 2, name: 'Rustaceans', manager: 2, rating: 5, code: null },
      { id: 3, name: 'C-Sharps', manager: null, rating: 5, code: null },
    ]);

    // v3: a rename (never guessed), an indexed column dropped (a rebuild), a table dropped, a column added.
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text(), email: text({ default: '' }) });
export const Band = defineTable('band', { id: serial(), title: varchar({ length: 100 }), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 5 }), code: text().unique().nullable() });
`);
    const guessed = await picco('migrations', 'new', '--auto');
    expect(guessed.out).toMatch(/band: name, popularity dropped and title added\. If a column was renamed, its values are lost this way: delete this file and run again with --rename band\.name=title or --rename band\.popularity=title/);
    rmSync(join(folder, 'migrations', '0003_auto.mjs'));
    await picco('migrations', 'new', '--auto', '--name', 'title', '--rename', 'band.name=title');
    expect(readFileSync(join(folder, 'migrations', '0003_title.mjs'), 'utf8')).toContain(`{ op: 'renameColumn', table: 'band', from: 'name', to: 'title' }`);
    // The snapshot written by the deleted run says v3 already: check compares it with the files.
    expect((await picco('migrations', 'check')).code).toBe(0);
    await picco('migrate');
    expect(rows(`SELECT id, title, manager FROM band ORDER BY id`)).toEqual([
      { id: 1, title: 'Pythonistas', manager: 1 },
      { id: 2, title: 'Rustaceans', manager: 2 },
      { id: 3, title: 'C-Sharps', manager: null },
    ]);
    expect(rows(`SELECT name, email FROM manager ORDER BY id`)).toEqual([
      { name: 'Guido', email: '' },
      { name: 'Graydon', email: '' },
    ]);

    // v4: a column made NOT NULL (filled), one made unique.
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text().unique(), email: text({ default: '' }) });
export const Band = defineTable('band', { id: serial(), title: varchar({ length: 100 }), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 5 }), code: text().unique().nullable() });
`);
    await picco('migrations', 'new', '--auto', '--name', 'unique managers');
    expect((await picco('migrate')).out).toMatch(/^Applying 0004_unique_managers \.\.\. done in \d+ ms$/);
    expect(history()).toEqual(['0001_initial', '0002_ratings_and_genres', '0003_title', '0004_unique_managers']);
    expect(rows(`SELECT count(*) AS n FROM band`)).toEqual([{ n: 3 }]);
    expect(rows(`PRAGMA foreign_key_check`)).toEqual([]);

    // Backwards to the start: the same catalog, the same rows (no ON DELETE CASCADE ran on a rebuild).
    const back = await picco('migrate', 'backwards', '3');
    expect(back.err).toBe('');
    expect(back.out.split('\n').map((line) => line.replace(/\d+ ms/, 'N ms'))).toEqual([
      'Undoing 0004_unique_managers ... done in N ms',
      'Undoing 0003_title ... done in N ms',
      'Undoing 0002_ratings_and_genres ... done in N ms',
    ]);
    expect(catalog()).toEqual(startCatalog);
    expect(rows(`SELECT * FROM band ORDER BY id`)).toEqual(startBands);
    expect(history()).toEqual(['0001_initial']);
    // And forwards again.
    await picco('migrate');
    expect(history()).toHaveLength(4);
    expect((await picco('migrate')).out).toBe('No migrations to apply: the database is up to date.');
  });

  it('a failing migration is rolled back whole, named with its statement, and not recorded', async () => {
    tables(V1);
    await picco('migrations', 'new', '--auto');
    await picco('migrate');
    const db = database();
    db.exec(`INSERT INTO band (name) VALUES ('Twins'), ('Twins'), ('Solo')`);
    db.close();
    const before = catalog();
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }).unique(), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 0 }) });
`);
    await picco('migrations', 'new', '--auto', '--name', 'unique names');
    const failed = await picco('migrate');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      /^MIGRATION_FAILED: Migration 0002_unique_names \(up\) failed and was rolled back, none of it was applied: Rebuilding table "band" failed and was rolled back, nothing was changed: UNIQUE constraint failed: picco_rebuild_band\.name \(SQLITE_CONSTRAINT_UNIQUE\)\. SQL: INSERT INTO "picco_rebuild_band"/,
    );
    // The rating column (added in place before the failing rebuild) is gone with it.
    expect(catalog()).toEqual(before);
    expect(history()).toEqual(['0001_initial']);
    expect(rows(`PRAGMA foreign_keys`)).toEqual([{ foreign_keys: 1 }]);
  });

  it('two `picco migrate` at once apply each migration once (SQLite\'s write lock)', async () => {
    tables(V1, { workers: 2 });
    await picco('migrations', 'new', '--auto');
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text().unique() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 0 }) });
`, { workers: 2 });
    await picco('migrations', 'new', '--auto');
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text().unique() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }).unique(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 0 }) });
`, { workers: 2 });
    await picco('migrations', 'new', '--auto');
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, 'migrate'], { cwd: folder });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    const [first, second] = await Promise.all([run(), run()]);
    expect([first.code, second.code]).toEqual([0, 0]);
    const output = first.out + second.out;
    for (const name of ['0001_initial', '0002_auto', '0003_auto']) {
      expect(output.match(new RegExp(`Applying ${name} \\.\\.\\. done`, 'g'))).toHaveLength(1);
    }
    expect(history()).toEqual(['0001_initial', '0002_auto', '0003_auto']);
    expect((rows(`SELECT name FROM pragma_table_info('band')`) as { name: string }[]).map((row) => row.name)).toEqual(['id', 'name', 'manager', 'rating']);
  });

  it('a run that saw a migration pending finds it recorded under the lock, and skips it', async () => {
    tables(V1, { workers: 2 });
    await picco('migrations', 'new', '--auto');
    const migrations = await readMigrations(join(folder, 'migrations'));
    const engines = [0, 1].map(() => new SQLiteEngine({ path: join(folder, 'app.db'), workers: 2 }));
    const logs: string[] = [];
    try {
      const [first, second] = engines.map((engine) => new MigrationRunner(engine, migrationDialect(engine, undefined), { log: (line) => logs.push(line) }));
      // The second has read the history (nothing applied) before the first applies the migration.
      expect(await second!.applied()).toEqual([]);
      expect(await first!.forwards(migrations)).toEqual(['0001_initial']);
      expect(await second!.apply(migrations, migrations[0]!)).toBe(false);
      expect(logs).toEqual([expect.stringMatching(/^Applying 0001_initial \.\.\. done in \d+ ms$/), 'Applying 0001_initial: skipped, another run applied it first.']);
    } finally {
      await Promise.all(engines.map((engine) => engine.close()));
    }
    expect(history()).toEqual(['0001_initial']);
  });

  it('`migrations status` only reads: it creates no history table, and works on a read-only database', async () => {
    tables(V1);
    await picco('migrations', 'new', '--auto');
    const db = database();
    db.exec(`CREATE TABLE notes (body TEXT)`);
    db.close();
    expect(await picco('migrations', 'status')).toMatchObject({ code: 0, out: 'pending  0001_initial' });
    expect(rows(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)).toEqual([{ name: 'notes' }]);

    await picco('migrate');
    const readOnly = readFileSync(join(folder, 'picco.config.mjs'), 'utf8').replace('workers: 0', 'workers: 0, readonly: true');
    writeFileSync(join(folder, 'picco.config.mjs'), readOnly);
    expect(await picco('migrations', 'status')).toMatchObject({ code: 0, out: expect.stringMatching(/^applied \S+ {2}0001_initial$/) });
  });

  it('says what is wrong: no config, a bad --rename, an unknown dialect, a snapshot out of step', async () => {
    expect(await picco('migrate')).toMatchObject({ code: 1, err: expect.stringMatching(/^INVALID_OPTION: No config file: looked for picco\.config\.mjs/) });
    tables(V1);
    expect((await picco('migrations', 'new', '--auto', '--rename', 'band.nope=title')).err).toMatch(/--rename band\.nope=title: the migrations' schema has no column "nope" in a table "band"/);
    expect((await picco('migrations', 'new')).err).toMatch(/needs --auto/);
    expect((await picco('frobnicate')).code).toBe(2);
    await picco('migrations', 'new', '--auto');
    expect((await picco('migrations', 'new', '--auto')).out).toBe('No changes: the tables match the migrations.');
    writeFileSync(join(folder, 'migrations', 'picco-schema.json'), JSON.stringify({ tables: [] }));
    expect(await picco('migrations', 'check')).toMatchObject({ code: 1, err: expect.stringContaining('picco-schema.json does not match the schema the migration files produce') });
    writeFileSync(join(folder, 'picco.config.mjs'), `export default { engine: { dialect: 'oracle', execute() {} }, tables: [] };\n`);
    expect((await picco('migrate')).err).toMatch(/Migrations know the dialects "sqlite" and "postgres", not "oracle"/);
    expect(existsSync(join(folder, 'app.db'))).toBe(false);
  });
});
