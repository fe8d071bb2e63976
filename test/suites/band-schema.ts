/** The schema the behaviour suite uses: Piccolo's own example, managers and bands. */
import { bigint, boolean, defineTable, foreignKey, integer, json, real, serial, text, timestamp, varchar, type Engine } from '@picco/core';

export function bandSchema<E extends Engine>(db: E) {
  const Manager = defineTable('manager', { id: serial(), name: varchar({ length: 50 }) }, { db });
  const Band = defineTable(
    'band',
    {
      id: serial(),
      name: varchar({ length: 50 }).unique(),
      popularity: integer({ default: 0 }),
      active: boolean({ default: true }),
      manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(),
    },
    { db },
  );
  const Concert = defineTable(
    'concert',
    {
      id: serial(),
      band: foreignKey(() => Band, { onDelete: 'set null' }).nullable(),
      startsAt: timestamp(),
      details: json<{ venue: string; capacity: number }>().nullable(),
      ticketsSold: bigint({ default: 0n }),
      rating: real().nullable(),
      notes: text().nullable().index(),
    },
    { db },
  );
  return { Manager, Band, Concert };
}
