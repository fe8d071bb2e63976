/**
 * Index names are unambiguous across tables (issue 8, item 12): `a_b`.`c` and `a`.`b_c` once
 * both got `a_b_c_idx`, and with `ifNotExists` the second index was silently skipped.
 */
import { describe, expect, it } from 'vitest';
import { defineTable, integer, text } from '@picco/core';

function indexNames(table: string, column: string): string[] {
  const sql = defineTable(table, { [column]: integer().index() }).createTable({ ifNotExists: true }).toSQL().sql;
  return [...sql.matchAll(/CREATE INDEX IF NOT EXISTS ("(?:[^"]|"")*")/g)].map((match) => match[1]!);
}

describe('index names', () => {
  it('a_b.c and a.b_c get different indexes', () => {
    expect(indexNames('a_b', 'c')).toEqual(['"a_b_c_idx_3"']);
    expect(indexNames('a', 'b_c')).toEqual(['"a_b_c_idx"']);
  });

  it('stay as before for table names without "_" (databases made earlier keep their indexes)', () => {
    expect(indexNames('song', 'title')).toEqual(['"song_title_idx"']);
    expect(indexNames('we"ird', 'co"l')).toEqual(['"we""ird_co""l_idx"']);
  });

  it('never collide over every split of a name into table and column', () => {
    // Every way to cut these strings into a table and a column name, with and without "_".
    const pieces = ['a', 'a_', '_a', 'a_b', 'a__b', '_', 'idx', '_idx', 'idx_3', 'a_idx_1', '3', '_3'];
    const seen = new Map<string, string>();
    for (const table of pieces) {
      for (const column of pieces) {
        const [name] = indexNames(table, column);
        const owner = `${table}.${column}`;
        expect(seen.get(name!) ?? owner, `${name} is claimed by ${seen.get(name!)} and ${owner}`).toBe(owner);
        seen.set(name!, owner);
      }
    }
    expect(seen.size).toBe(pieces.length ** 2);
  });

  it('a text index keeps its plain column expression', () => {
    expect(defineTable('tag_list', { label: text().index() }).createTable().toSQL().sql).toBe(
      'CREATE TABLE "tag_list" ("label" TEXT NOT NULL); CREATE INDEX "tag_list_label_idx_8" ON "tag_list" ("label")',
    );
  });
});
