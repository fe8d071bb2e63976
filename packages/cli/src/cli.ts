/**
 * `picco`: the commands. `runCli(argv)` does the work and returns the exit code, so tests run it
 * in-process; `bin.ts` is the executable.
 *
 *   picco migrations new --auto [--name NAME] [--rename table.old=new ...] [--sql]
 *   picco migrations status
 *   picco migrations check
 *   picco migrate
 *   picco migrate backwards [N]
 *
 * Every command takes `--config FILE` (default: picco.config.mjs, .js or .cjs in the working folder).
 */
import { parseArgs } from 'node:util';
import { isPiccoError, replayOperations, sameColumn, tableSchemaOf, type Engine, type SchemaState, type TableSchema } from '@picco/core';
import { engineOf, loadConfig, usage, type LoadedConfig } from './config.js';
import { migrationDialect } from './dialect.js';
import { diffSchemas, downOperations, parseRenames } from './diff.js';
import { migrationSource, nextMigrationName, readMigrations, readSnapshot, schemaOfMigrations, SNAPSHOT_FILE, writeMigration, writeSnapshot } from './migration-files.js';
import { MigrationRunner } from './runner.js';

export interface CliIo {
  readonly cwd: string;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

const HELP = `Usage:
  picco migrations new --auto [--name NAME] [--rename table.old=new | old_table=new_table]... [--sql]
      Writes a migration from the difference between the config's tables and the migrations' schema.
  picco migrations status      Lists the migrations, applied or pending.
  picco migrations check       Exits 1 when the tables and the migrations disagree (for CI).
  picco migrate                Applies every pending migration, each in a transaction.
  picco migrate backwards [N]  Undoes the last N applied migrations (default 1).
Options: --config FILE (default picco.config.mjs in the working folder).`;

export async function runCli(argv: readonly string[], io: CliIo = { cwd: process.cwd(), stdout: console.log, stderr: console.error }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        auto: { type: 'boolean' },
        name: { type: 'string' },
        rename: { type: 'string', multiple: true },
        sql: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals.join(' ');
  if (values.help === true || positionals.length === 0) {
    io.stdout(HELP);
    return values.help === true ? 0 : 2;
  }
  let engine: Engine | undefined;
  try {
    const loaded = await loadConfig(io.cwd, values.config);
    const connect = async (): Promise<{ engine: Engine; runner: MigrationRunner }> => {
      engine = await engineOf(loaded.config);
      return { engine, runner: new MigrationRunner(engine, migrationDialect(engine, loaded.config.dialect), { log: io.stdout }) };
    };
    switch (true) {
      case command === 'migrations new':
        if (values.auto !== true) throw usage(`picco migrations new needs --auto (migrations are generated from the tables; edit the file afterwards if needed).`);
        return await newMigration(loaded, io, { name: values.name, renames: values.rename ?? [], sql: values.sql === true }, connect);
      case command === 'migrations status': {
        const migrations = await readMigrations(loaded.folder);
        const { runner } = await connect();
        const applied = new Map((await runner.recorded()).map((row) => [row.name, row.appliedAt]));
        for (const migration of migrations) io.stdout(`${applied.has(migration.name) ? `applied ${applied.get(migration.name)}` : 'pending'}  ${migration.name}`);
        for (const name of applied.keys()) if (!migrations.some((migration) => migration.name === name)) io.stdout(`applied, but no file  ${name}`);
        if (migrations.length === 0 && applied.size === 0) io.stdout(`No migrations in ${loaded.folder}.`);
        return 0;
      }
      case command === 'migrations check':
        return await check(loaded, io);
      case command === 'migrate': {
        const { runner } = await connect();
        await runner.forwards(await readMigrations(loaded.folder));
        return 0;
      }
      case positionals[0] === 'migrate' && positionals[1] === 'backwards' && positionals.length <= 3: {
        const count = positionals[2] === undefined ? 1 : Number(positionals[2]);
        if (!Number.isSafeInteger(count) || count < 1) throw usage(`picco migrate backwards takes a positive whole number of migrations to undo, got ${JSON.stringify(positionals[2])}.`);
        const { runner } = await connect();
        await runner.backwards(await readMigrations(loaded.folder), count);
        return 0;
      }
      default:
        io.stderr(`Unknown command "picco ${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    io.stderr(isPiccoError(error) ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error));
    return 1;
  } finally {
    await (engine as { close?: () => Promise<void> } | undefined)?.close?.();
  }
}

async function newMigration(
  loaded: LoadedConfig,
  io: CliIo,
  options: { name: string | undefined; renames: readonly string[]; sql: boolean },
  connect: () => Promise<{ engine: Engine }>,
): Promise<number> {
  const migrations = await readMigrations(loaded.folder);
  const before = schemaOfMigrations(migrations);
  const after = schemaOfTables(loaded);
  const { operations, notes } = diffSchemas(before, after, parseRenames(options.renames));
  if (operations.length === 0) {
    io.stdout('No changes: the tables match the migrations.');
    return 0;
  }
  const down = downOperations(operations);
  let sql: { up: string[]; down: string[] } | undefined;
  if (options.sql) {
    const { engine } = await connect();
    const dialect = migrationDialect(engine, loaded.config.dialect);
    const text = (steps: ReturnType<typeof dialect.steps>): string[] => steps.flatMap((step) => (step.kind === 'statement' ? [step.sql] : [`-- rebuild of "${step.table}" (SQLite's twelve steps, foreign keys off around the transaction):`, step.create, step.copy, `DROP TABLE "${step.table}"`, `ALTER TABLE "${step.temporaryName}" RENAME TO "${step.table}"`, ...step.indexes]));
    sql = { up: text(dialect.steps(operations, before)), down: text(dialect.steps(down, replayOperations(operations, before))) };
  }
  const name = nextMigrationName(migrations, options.name ?? (migrations.length === 0 ? 'initial' : 'auto'));
  const file = writeMigration(loaded.folder, name, migrationSource(name, { up: operations, down }, sql, notes));
  writeSnapshot(loaded.folder, after);
  io.stdout(`Wrote ${file} (${operations.length} operation${operations.length === 1 ? '' : 's'}) and ${SNAPSHOT_FILE}.`);
  for (const note of notes) io.stdout(`Note: ${note}`);
  return 0;
}

async function check(loaded: LoadedConfig, io: CliIo): Promise<number> {
  const migrations = await readMigrations(loaded.folder);
  const replayed = schemaOfMigrations(migrations);
  const snapshot = readSnapshot(loaded.folder);
  const tables = schemaOfTables(loaded);
  let agree = true;
  if (snapshot !== undefined && !sameSchema(snapshot, replayed)) {
    io.stderr(`${SNAPSHOT_FILE} does not match the schema the migration files produce: a migration was edited or deleted after it was generated.`);
    agree = false;
  }
  const { operations } = diffSchemas(replayed, tables, { tables: new Map(), columns: new Map() });
  if (operations.length > 0) {
    io.stderr(`The tables and the migrations disagree; \`picco migrations new --auto\` would write:`);
    for (const operation of operations) io.stderr(`  ${operation.op} ${JSON.stringify(operation).slice(0, 200)}`);
    agree = false;
  }
  if (agree) io.stdout(`The tables and the ${migrations.length} migration${migrations.length === 1 ? '' : 's'} agree.`);
  return agree ? 0 : 1;
}

function schemaOfTables(loaded: LoadedConfig): SchemaState {
  const state = new Map<string, TableSchema>();
  for (const table of loaded.config.tables) {
    const schema = tableSchemaOf(table);
    if (state.has(schema.name)) throw usage(`The config lists table "${schema.name}" twice.`);
    state.set(schema.name, schema);
  }
  return state;
}

/** Same tables with the same columns, whatever their order (SQLite cannot reorder columns anyway). */
function sameSchema(a: SchemaState, b: SchemaState): boolean {
  if (a.size !== b.size) return false;
  for (const [name, table] of a) {
    const other = b.get(name);
    if (other === undefined || other.columns.length !== table.columns.length) return false;
    for (const column of table.columns) {
      const match = other.columns.find((candidate) => candidate.name === column.name);
      if (match === undefined || !sameColumn(column, match)) return false;
    }
  }
  return true;
}
