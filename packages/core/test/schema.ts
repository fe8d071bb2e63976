/**
 * The tables most tests share: DESIGN.md's Manager and Band, plus `Everything` with one
 * column of each type. All run on a FakeEngine: tests only compile their queries.
 */
import { bigint, boolean, defineTable, foreignKey, integer, json, real, serial, text, timestamp, varchar } from '@picco/core';
import { FakeEngine } from './helpers.js';

export const DB = new FakeEngine('app.db');

export const Manager = defineTable('manager', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });

export const Band = defineTable(
  'band',
  {
    id: serial(),
    name: varchar({ length: 50 }).unique(),
    popularity: integer({ default: 0 }),
    active: boolean({ default: true }),
    manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(),
  },
  { db: DB },
);

export const Everything = defineTable(
  'everything',
  {
    id: serial(),
    amount: integer(),
    big: bigint(),
    ratio: real(),
    note: text().nullable(),
    code: varchar({ length: 8 }),
    flag: boolean(),
    at: timestamp(),
    data: json<{ tags: string[] }>(),
  },
  { db: DB },
);
