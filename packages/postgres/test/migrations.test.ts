/**
 * `picco` migrations on the private PostgreSQL cluster: a sequence of table changes generates
 * migrations, forwards then backwards leaves the catalog as it started and the rows kept, a
 * failing migration leaves nothing half-applied, and two runs at once apply each migration once
 * (an advisory lock). The SQLite half: packages/cli/test/migrations.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MigrationRunner, migrationDialect, readMigrations, runCli } from '@picco/cli';
import { PostgresEngine } from '@picco/postgres';
import { admin, describeOnPostgres, urlWithSchema } from './server.js';

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let folder: string;
let schema: string;
let version = 0;

beforeEach(async () => {
  mkdirSync(join(repository, '.tmp'), { recursive: true });
  folder = mkdtempSync(join(repository, '.tmp', 'pg-migrations-'));
  schema = `picco_migrations_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
});
afterEach(async () => {
  rmSync(folder, { recursive: true, force: true });
  await admin(`DROP SCHEMA ${schema} CASCADE`);
});

function tables(source: string): void {
  const file = `tables-${++version}.mjs`;
  writeFileSync(
    join(folder, file),
    `import { defineTable, serial, text, integer, varchar, foreignKey } from '@picco/core';\n${source}\nexport const all = [${[...source.matchAll(/export const (\w+)/g)].map((match) => match[1]).join(', ')}];\n`,
  );
  writeFileSync(
    join(folder, 'picco.config.mjs'),
    `import { PostgresEngine } from '@picco/postgres';\nimport { all } from './${file}';\n` +
      `export default { engine: () => new PostgresEngine({ connectionString: ${JSON.stringify(urlWithSchema(schema))} }), tables: all };\n`,
  );
}

async function picco(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { cwd: folder, stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function sql<TRow extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<TRow[]> {
  return admin<TRow>(text.replaceAll('$schema', schema), params);
}

/** The catalog of the schema's tables: columns (by name: PostgreSQL appends re-added ones), constraints, indexes. */
async function catalog(): Promise<unknown> {
  return {
    columns: await sql(
      `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity FROM information_schema.columns
       WHERE table_schema = '$schema' AND table_name <> 'picco_migrations' ORDER BY table_name, column_name`,
    ),
    constraints: await sql(`SELECT conname, contype, conrelid::regclass::text AS "table", pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE connamespace = '$schema'::regnamespace AND conrelid::regclass::text <> 'picco_migrations' ORDER BY conname`),
    indexes: await sql(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '$schema' AND tablename <> 'picco_migrations' ORDER BY indexname`),
  };
}

async function history(): Promise<string[]> {
  return (await sql<{ name: string }>(`SELECT name FROM $schema.picco_migrations ORDER BY name`)).map((row) => row.name);
}

const V1 = `
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable() });
`;

describeOnPostgres('picco migrations on PostgreSQL', () => {
  it('`migrations status` only reads: it creates no history table', async () => {
    tables(V1);
    await picco('migrations', 'new', '--auto');
    expect(await picco('migrations', 'status')).toMatchObject({ code: 0, out: 'pending  0001_initial' });
    expect(await sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = '$schema'`)).toEqual([]);
    await picco('migrate');
    expect(await picco('migrations', 'status')).toMatchObject({ code: 0, out: expect.stringMatching(/^applied \S+ {2}0001_initial$/) });
  });

  it('two runs at once apply each migration once (the advisory lock)', async () => {
    tables(V1);
    await picco('migrations', 'new', '--auto');
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text().unique() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 0 }) });
`);
    await picco('migrations', 'new', '--auto');
    const migrations = await readMigrations(join(folder, 'migrations'));
    const engines = [0, 1, 2].map(() => new PostgresEngine({ connectionString: urlWithSchema(schema) }));
    const logs: string[] = [];
    try {
      const runners = engines.map((engine) => new MigrationRunner(engine, migrationDialect(engine, undefined), { log: (line) => logs.push(line) }));
      const applied = await Promise.all(runners.map((runner) => runner.forwards(migrations)));
      expect(applied.flat().sort()).toEqual(['0001_initial', '0002_auto']);
    } finally {
      await Promise.all(engines.map((engine) => engine.close()));
    }
    expect(logs.filter((line) => / \.\.\. done in /.test(line))).toHaveLength(2);
    expect(await history()).toEqual(['0001_initial', '0002_auto']);
  });

  it('generates migrations from a sequence of table changes; forwards then backwards leaves the catalog as it started, rows kept', async () => {
    tables(V1);
    await picco('migrations', 'new', '--auto');
    expect((await picco('migrate')).out).toMatch(/^Applying 0001_initial \.\.\. done in \d+ ms$/);
    await sql(`INSERT INTO $schema.manager (name) VALUES ('Guido'), ('Graydon'); INSERT INTO $schema.band (name, manager) VALUES ('Pythonistas', 1), ('Rustaceans', 2), ('C-Sharps', NULL)`);
    const start = await catalog();
    const startBands = await sql(`SELECT * FROM $schema.band ORDER BY id`);

    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 100 }), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 5 }), code: text().unique().nullable() });
export const Genre = defineTable('genre', { id: serial(), title: text().unique() });
`);
    await picco('migrations', 'new', '--auto', '--name', 'ratings and genres');
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    expect(await sql(`SELECT id, name, rating, code FROM $schema.band ORDER BY id`)).toEqual([
      { id: 1, name: 'Pythonistas', rating: 5, code: null },
      { id: 2, name: 'Rustaceans', rating: 5, code: null },
      { id: 3, name: 'C-Sharps', rating: 5, code: null },
    ]);

    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text(), email: text({ default: '' }) });
export const Band = defineTable('band', { id: serial(), title: varchar({ length: 100 }), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 5 }), code: text().unique().nullable() });
`);
    await picco('migrations', 'new', '--auto', '--name', 'title', '--rename', 'band.name=title');
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    expect(await sql(`SELECT id, title, manager FROM $schema.band ORDER BY id`)).toEqual([
      { id: 1, title: 'Pythonistas', manager: 1 },
      { id: 2, title: 'Rustaceans', manager: 2 },
      { id: 3, title: 'C-Sharps', manager: null },
    ]);

    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text().unique(), email: text({ default: '' }) });
export const Band = defineTable('band', { id: serial(), title: varchar({ length: 100 }), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 5 }), code: text().unique().nullable() });
`);
    await picco('migrations', 'new', '--auto', '--name', 'unique managers');
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    expect(await history()).toEqual(['0001_initial', '0002_ratings_and_genres', '0003_title', '0004_unique_managers']);

    const back = await picco('migrate', 'backwards', '3');
    expect(back.err).toBe('');
    expect(await catalog()).toEqual(start);
    expect(await sql(`SELECT * FROM $schema.band ORDER BY id`)).toEqual(startBands);
    expect(await history()).toEqual(['0001_initial']);
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    expect(await history()).toHaveLength(4);
  });

  it('a renamed column or table keeps its constraints findable: a later change to them applies, forwards and backwards', async () => {
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }).unique(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable() });
`);
    await picco('migrations', 'new', '--auto');
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    const start = await catalog();

    // Renames: the unique column, the foreign key column, then the table itself.
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Group = defineTable('group', { id: serial(), title: varchar({ length: 50 }).unique(), boss: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable() });
`);
    expect(await picco('migrations', 'new', '--auto', '--name', 'renames', '--rename', 'band=group', '--rename', 'group.name=title', '--rename', 'group.manager=boss')).toMatchObject({ code: 0, err: '' });
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    const constraints = async (): Promise<string[]> =>
      (await sql<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE connamespace = '$schema'::regnamespace AND conrelid::regclass::text LIKE '%group%' ORDER BY conname`)).map((row) => row.conname);
    expect(await constraints()).toEqual(['group_boss_fkey', 'group_pkey', 'group_title_key']);

    // Changes that drop and re-add those constraints by name.
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Group = defineTable('group', { id: serial(), title: varchar({ length: 50 }), boss: foreignKey(() => Manager, { onDelete: 'restrict' }).nullable() });
`);
    await picco('migrations', 'new', '--auto', '--name', 'loosen');
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    expect(await constraints()).toEqual(['group_boss_fkey', 'group_pkey']);

    expect(await picco('migrate', 'backwards', '2')).toMatchObject({ code: 0, err: '' });
    expect(await catalog()).toEqual(start);
  });

  // PostgreSQL keeps a name to 63 bytes by shortening the table and column parts, not the label
  // (`..._key`): a plain cut of `<table>_<column>_key` names a constraint that does not exist.
  it('constraints of long (and multi-byte) names are found by the names PostgreSQL gave them', async () => {
    const table = 'orchestra_members_of_the_philharmonic_society';
    const unique = 'principal_instrument_größe_of_the_member';
    const reference = 'section_leader_responsible_for_rehearsals';
    const define = (uniqueColumn: string, isUnique: boolean, onDelete: string) => `
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Members = defineTable('${table}', { id: serial(), '${uniqueColumn}': varchar({ length: 50 })${isUnique ? '.unique()' : ''}, '${reference}': foreignKey(() => Manager, { onDelete: '${onDelete}' }).nullable() });
`;
    tables(define(unique, true, 'cascade'));
    await picco('migrations', 'new', '--auto');
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    const start = await catalog();
    const names = async (): Promise<string[]> =>
      (await sql<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE connamespace = '$schema'::regnamespace AND conrelid::regclass::text LIKE '%orchestra%' ORDER BY conname`)).map((row) => row.conname);
    // PostgreSQL's own shortening, as its catalog shows it (each 63 bytes or less, labels whole).
    const given = await names();
    expect(given).toHaveLength(3);
    expect(given.every((name) => Buffer.byteLength(name) <= 63 && /_(key|fkey|pkey)$/.test(name))).toBe(true);

    // A rename, then changes that drop and re-add the renamed column's constraints by name.
    tables(define('principal_instrument_größe_of_each_member', true, 'cascade'));
    expect(await picco('migrations', 'new', '--auto', '--name', 'rename', '--rename', `${table}.${unique}=principal_instrument_größe_of_each_member`)).toMatchObject({ code: 0, err: '' });
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    tables(define('principal_instrument_größe_of_each_member', false, 'restrict'));
    await picco('migrations', 'new', '--auto', '--name', 'loosen');
    expect(await picco('migrate')).toMatchObject({ code: 0, err: '' });
    expect(await names()).toHaveLength(2);

    expect(await picco('migrate', 'backwards', '2')).toMatchObject({ code: 0, err: '' });
    expect(await catalog()).toEqual(start);
  });

  it('a failing migration is rolled back whole (transactional DDL), named with its statement, and not recorded', async () => {
    tables(V1);
    await picco('migrations', 'new', '--auto');
    await picco('migrate');
    await sql(`INSERT INTO $schema.band (name) VALUES ('Twins'), ('Twins'), ('Solo')`);
    const before = await catalog();
    tables(`
export const Manager = defineTable('manager', { id: serial(), name: text() });
export const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }).unique(), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(), rating: integer({ default: 0 }) });
`);
    await picco('migrations', 'new', '--auto', '--name', 'unique names');
    const failed = await picco('migrate');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^MIGRATION_FAILED: Migration 0002_unique_names \(up\) failed and was rolled back, none of it was applied: .*could not create unique index "band_name_key".*ALTER TABLE "band" ADD CONSTRAINT "band_name_key" UNIQUE \("name"\)/s);
    expect(await catalog()).toEqual(before);
    expect(await history()).toEqual(['0001_initial']);
  });

  it('a run that saw a migration pending finds it recorded under the lock, and skips it', async () => {
    tables(V1);
    await picco('migrations', 'new', '--auto');
    const migrations = await readMigrations(join(folder, 'migrations'));
    const engines = [0, 1].map(() => new PostgresEngine({ connectionString: urlWithSchema(schema) }));
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
    expect(await history()).toEqual(['0001_initial']);
  });
});
