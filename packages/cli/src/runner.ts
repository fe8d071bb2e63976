/**
 * Applying migrations. Each one is one schema batch (core's `SchemaBatch`) that the engine runs
 * as one unit: its operations' steps and the history row (inserted or deleted), in one
 * transaction, after a guard that skips it when the history says another run got there first.
 * On SQLite the batch starts with BEGIN IMMEDIATE, SQLite's write lock: two `picco migrate` runs
 * at once take turns, and the second finds the first's work recorded and skips it.
 */
import { isPiccoError, PiccoError, PiccoErrorCode, type BatchStep, type CompiledQuery, type Engine, type SchemaState } from '@picco/core';
import type { MigrationDialect } from './dialect.js';
import { schemaOfMigrations, type MigrationFile } from './migration-files.js';

export interface AppliedMigration {
  readonly name: string;
  readonly appliedAt: string;
}

export interface RunnerOptions {
  /** Progress, one line per migration. */
  readonly log: (line: string) => void;
  /** How long to keep retrying while another process holds the write lock. Default 120 s. */
  readonly lockTimeoutMs?: number;
}

export class MigrationRunner {
  constructor(
    private readonly engine: Engine,
    private readonly dialect: MigrationDialect,
    private readonly options: RunnerOptions,
  ) {}

  async applied(): Promise<AppliedMigration[]> {
    // Under the lock too: two first runs at once must not both create it (PostgreSQL's catalog refuses the second).
    await this.retryWhileLocked(() => this.engine.execute(this.batch([{ kind: 'statement', sql: this.dialect.createHistory, params: [] }], undefined, '-- create the migration history')));
    return this.readHistory();
  }

  /** The applied migrations, reading only: none when the history table does not exist yet (`migrations status`). */
  async recorded(): Promise<AppliedMigration[]> {
    const exists = await this.engine.execute(raw(this.dialect.historyExists, [], true));
    return exists.rows.length === 0 ? [] : this.readHistory();
  }

  private async readHistory(): Promise<AppliedMigration[]> {
    const result = await this.engine.execute(raw(this.dialect.selectApplied, [], true));
    return result.rows.map((row) => ({ name: String(row['name']), appliedAt: String(row['applied_at']) }));
  }

  /** Applies every pending migration in order; returns the names it applied. */
  async forwards(migrations: readonly MigrationFile[]): Promise<string[]> {
    const applied = new Set((await this.applied()).map((row) => row.name));
    checkHistory(migrations, applied);
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      if (await this.apply(migrations, migration)) done.push(migration.name);
    }
    if (done.length === 0) this.options.log('No migrations to apply: the database is up to date.');
    return done;
  }

  /**
   * Applies one migration of `migrations`, unless the history, read inside its transaction
   * under the lock, says it is applied already (another run got there first): then it does
   * nothing and returns false.
   */
  async apply(migrations: readonly MigrationFile[], migration: MigrationFile): Promise<boolean> {
    const before = schemaOfMigrations(migrations.slice(0, migrations.indexOf(migration)));
    return this.run(migration, 'up', before, [this.dialect.recordApplied, [migration.name, new Date().toISOString()]], this.dialect.isApplied);
  }

  /** Undoes the last `count` applied migrations, newest first; returns the names it undid. */
  async backwards(migrations: readonly MigrationFile[], count: number): Promise<string[]> {
    const applied = new Set((await this.applied()).map((row) => row.name));
    checkHistory(migrations, applied);
    const targets = migrations.filter((migration) => applied.has(migration.name)).slice(-count).reverse();
    const done: string[] = [];
    for (const migration of targets) {
      const index = migrations.indexOf(migration);
      const after = schemaOfMigrations(migrations.slice(0, index + 1));
      const ran = await this.run(migration, 'down', after, [this.dialect.removeApplied, [migration.name]], this.dialect.isNotApplied);
      if (ran) done.push(migration.name);
    }
    if (targets.length === 0) this.options.log('No applied migrations to undo.');
    return done;
  }

  private async run(migration: MigrationFile, direction: 'up' | 'down', state: SchemaState, history: [string, string[]], skipIf: string): Promise<boolean> {
    const label = `${direction === 'up' ? 'Applying' : 'Undoing'} ${migration.name}`;
    let steps: BatchStep[];
    try {
      steps = this.dialect.steps(migration[direction], state);
    } catch (error) {
      throw failed(migration, direction, error);
    }
    steps.push({ kind: 'statement', sql: history[0], params: history[1] });
    const query = this.batch(steps, { sql: skipIf, params: [migration.name] }, `-- ${direction} ${migration.name}`);
    const started = performance.now();
    let result;
    try {
      result = await this.retryWhileLocked(() => this.engine.execute(query));
    } catch (error) {
      throw failed(migration, direction, error);
    }
    const milliseconds = Math.round(performance.now() - started);
    if (result.rows[0]?.['applied'] === 0) {
      this.options.log(`${label}: skipped, another run ${direction === 'up' ? 'applied' : 'undid'} it first.`);
      return false;
    }
    this.options.log(`${label} ... done in ${milliseconds} ms`);
    return true;
  }

  private batch(steps: BatchStep[], skipIf: { sql: string; params: string[] } | undefined, sql: string): CompiledQuery {
    const first = this.dialect.lock === undefined ? undefined : [{ sql: this.dialect.lock, params: [] }];
    return { sql, params: [], mode: 'batch', readOnly: false, safeIntegers: false, table: undefined, batch: { steps, ...(first === undefined ? {} : { first }), ...(skipIf === undefined ? {} : { skipIf }) } };
  }

  /** Retries while another connection holds SQLite's write lock past the busy timeout. */
  private async retryWhileLocked<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.options.lockTimeoutMs ?? 120_000);
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!isPiccoError(error) || !/^SQLITE_BUSY/.test(error.sqliteCode ?? '') || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

/** A migration recorded in the database but missing from the folder means the two are out of step. */
function checkHistory(migrations: readonly MigrationFile[], applied: ReadonlySet<string>): void {
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = [...applied].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new PiccoError(
      PiccoErrorCode.MIGRATION_FAILED,
      `The database records migrations that are not in the migrations folder: ${unknown.join(', ')}. ` +
        `Restore those files (or deploy the code that has them) before migrating.`,
    );
  }
}

function failed(migration: MigrationFile, direction: 'up' | 'down', error: unknown): PiccoError {
  const cause = error as { message?: string; sql?: string; sqliteCode?: string };
  return new PiccoError(
    PiccoErrorCode.MIGRATION_FAILED,
    `Migration ${migration.name} (${direction}) failed and was rolled back, none of it was applied: ${cause.message ?? String(error)}` +
      (cause.sql === undefined || (cause.message ?? '').includes(cause.sql) ? '' : ` Statement: ${cause.sql}`),
    { sql: cause.sql, sqliteCode: cause.sqliteCode, cause: error },
  );
}

function raw(sql: string, params: string[], readOnly: boolean): CompiledQuery {
  return { sql, params, mode: readOnly ? 'all' : 'run', readOnly, safeIntegers: false, table: undefined };
}
