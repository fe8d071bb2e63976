/**
 * The parity suite: Piccolo's own tests, translated behaviour by behaviour (each test is named
 * after the Piccolo test it translates: `file.py::test_name`), run on shared memory and on a
 * file database with the worker pool.
 *
 * Three kinds of entry, which the README's count is generated from (scripts/parity-report.mjs):
 * - `behaviour(name, fn)`: Picco does what Piccolo's test checks;
 * - `differs(name, why, fn)`: Picco deliberately behaves otherwise; the test asserts Picco's
 *   behaviour and `why` says why (counted as covered);
 * - `missing(name, what)`: not supported yet; an `it.todo`, so the count stays honest.
 */
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createTables, defineTable, foreignKey, integer, serial, varchar, type Engine } from '@picco/core';
import type { SQLiteEngine } from '@picco/runtime';
import { ENGINE_CONFIGS } from '../engine-configs.js';

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

export type Music = ReturnType<typeof musicSchema<SQLiteEngine>>;

export interface ParityContext extends Music {
  readonly db: SQLiteEngine;
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

/** The engines the parity suite runs on. */
const PARITY_ENGINES = ENGINE_CONFIGS.filter((config) => config.name.startsWith('shared memory') || config.name.includes('worker pool'));

/** Registers a Piccolo test file's translated behaviours, on every parity engine. */
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

  describe.each(PARITY_ENGINES)(`parity ${file} ($name)`, (config) => {
    let engine: SQLiteEngine;
    let cleanup: () => Promise<void>;
    let context: ParityContext;

    beforeAll(async () => {
      ({ engine, cleanup } = config.create());
      const music = musicSchema(engine);
      await createTables([music.Manager, music.Band, music.Venue, music.Concert]);
      context = {
        ...music,
        db: engine,
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
      // A clean database per test; serial ids start again at 1 (no AUTOINCREMENT).
      for (const table of [context.Concert, context.Venue, context.Band, context.Manager]) await table.delete({ force: true });
    });

    for (const entry of entries) {
      if (entry.kind === 'missing') it.todo(`${entry.name} [missing: ${entry.note}]`);
      else it(entry.kind === 'differs' ? `${entry.name} [differs: ${entry.note}]` : entry.name, () => entry.body!(context));
    }
  });
}
