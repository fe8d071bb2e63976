/**
 * The parity suite: Piccolo's own tests, translated behaviour by behaviour (each test is named
 * after the Piccolo test it translates: `file.py::test_name`), run on every engine: SQLite
 * shared memory and a file database with the worker pool (packages/runtime/test/parity/), and
 * PostgreSQL (packages/postgres/test/parity.test.ts). This folder imports no engine: each
 * package's runner passes its own (`runParity`), so the engines stay siblings.
 *
 * Three kinds of entry, which the README's count is generated from (scripts/parity-report.mjs):
 * - `behaviour(name, fn)`: Picco does what Piccolo's test checks;
 * - `differs(name, why, fn)`: Picco deliberately behaves otherwise; the test asserts Picco's
 *   behaviour and `why` says why (counted as covered);
 * - `missing(name, what)`: not supported yet; an `it.todo`, so the count stays honest.
 * Where PostgreSQL answers differently from SQLite, the body asserts each engine's answer
 * (`context.dialect`), and postgres-differences.ts says why.
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createTables, defineTable, foreignKey, integer, serial, varchar, type DialectName, type Engine } from '@picco/core';
import { columnNames, dialectOf, indexNames, placeholders, schemaRefusal, type EngineUnderTest, type TestEngine } from '../engines.js';
import { POSTGRES_DIFFERENCES } from './postgres-differences.js';

export type { EngineUnderTest, TestEngine };

/** Piccolo's music example app (tests/example_apps/music/tables.py), in Picco. */
export function musicSchema<E extends Engine>(db: E) {
  const Manager = defineTable('manager', { id: serial(), name: varchar({ length: 50 }) }, { db });
  const Band = defineTable(
    'band',
    { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager).nullable(), popularity: integer({ default: 0 }) },
    { db },
  );
  const Venue = defineTable('venue', { id: serial(), name: varchar({ length: 100 }), capacity: integer({ default: 0 }) }, { db });
  const Concert = defineTable('concert', { id: serial(), band1: foreignKey(() => Band), band2: foreignKey(() => Band), venue: foreignKey(() => Venue) }, { db });
  return { Manager, Band, Venue, Concert };
}

export type Music = ReturnType<typeof musicSchema<TestEngine>>;

export interface ParityContext extends Music {
  readonly db: TestEngine;
  /** The SQL the engine speaks: where PostgreSQL answers otherwise, the test asserts each answer. */
  readonly dialect: DialectName;
  /** SQLite's SQL text as this engine's: `?` numbered `$1, $2, ...` on PostgreSQL. */
  placeholders(sql: string): string;
  /** The names of a table's indexes, in name order (SQLite's automatic ones left out). */
  indexNames(table: string): Promise<string[]>;
  /** The names of a table's columns, in order. */
  columnNames(table: string): Promise<string[]>;
  /**
   * What a write the schema refuses fails with: SQLite's CHECK constraint, or on PostgreSQL
   * the column type's own SQLSTATE (`postgresState`).
   */
  schemaRefusal(postgresState: string): { sqliteCode: string } | { sqlState: string };
  /** Piccolo's `insert_rows`: three managers and their bands. */
  insertRows(): Promise<void>;
  /** Piccolo's `insert_many_rows`. */
  insertManyRows(count: number): Promise<void>;
}

type Body = (context: ParityContext) => Promise<void> | void;

interface Entry {
  readonly name: string;
  readonly kind: 'behaviour' | 'differs' | 'missing';
  readonly note?: string;
  readonly body?: Body;
}

const registered: { file: string; entries: Entry[] }[] = [];

/** Registers a Piccolo test file's translated behaviours; `runParity` runs them. */
export function parity(file: string, define: (entries: { behaviour: typeof behaviour; differs: typeof differs; missing: typeof missing }) => void): void {
  const entries: Entry[] = [];
  function behaviour(name: string, body: Body): void {
    entries.push({ name, kind: 'behaviour', body });
  }
  function differs(name: string, why: string, body: Body): void {
    entries.push({ name, kind: 'differs', note: why, body });
  }
  function missing(name: string, what: string): void {
    entries.push({ name, kind: 'missing', note: what });
  }
  define({ behaviour, differs, missing });
  registered.push({ file, entries });
}

/** Runs every registered file's behaviours on each engine. */
export function runParity(engines: readonly EngineUnderTest[]): void {
  for (const { file, entries } of registered) {
    describe.each(engines)(`parity ${file} ($name)`, (config) => {
      let cleanup: () => Promise<void>;
      let context: ParityContext;

      beforeAll(async () => {
        const created = await config.create();
        cleanup = created.cleanup;
        const engine = created.engine;
        const music = musicSchema(engine);
        await createTables([music.Manager, music.Band, music.Venue, music.Concert]);
        context = {
          ...music,
          db: engine,
          dialect: dialectOf(engine),
          placeholders: (sql) => placeholders(engine, sql),
          indexNames: (table) => indexNames(engine, table),
          columnNames: (table) => columnNames(engine, table),
          schemaRefusal: (postgresState) => schemaRefusal(engine, postgresState),
          insertRows: async () => {
            await music.Manager.insert([{ name: 'Guido' }, { name: 'Graydon' }, { name: 'Mads' }]);
            await music.Band.insert([
              { name: 'Pythonistas', manager: 1, popularity: 1000 },
              { name: 'Rustaceans', manager: 2, popularity: 2000 },
              { name: 'CSharps', manager: 3, popularity: 10 },
            ]);
          },
          insertManyRows: async (count) => {
            await music.Manager.insert(Array.from({ length: count }, (_, index) => ({ name: `name_${index}` })));
          },
        };
      });
      afterAll(async () => cleanup());
      beforeEach(async () => {
        // A clean database per test, serial ids starting again at 1: on SQLite deleting the rows
        // does it (no AUTOINCREMENT); PostgreSQL's identity sequences must be restarted.
        if (context.dialect === 'postgres') {
          await context.db.raw('TRUNCATE TABLE "concert", "venue", "band", "manager" RESTART IDENTITY');
          return;
        }
        for (const table of [context.Concert, context.Venue, context.Band, context.Manager]) await table.delete({ force: true });
      });

      for (const entry of entries) {
        if (entry.kind === 'missing') {
          it.todo(`${entry.name} [missing: ${entry.note}]`);
          continue;
        }
        const title = entry.kind === 'differs' ? `${entry.name} [differs: ${entry.note}]` : entry.name;
        it(title, async (test) => {
          const difference = context.dialect === 'postgres' ? POSTGRES_DIFFERENCES[entry.name] : undefined;
          if (difference !== undefined) await test.annotate(`differs on PostgreSQL: ${difference}`);
          await entry.body!(context);
        });
      }
    });
  }
}

