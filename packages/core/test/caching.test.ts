/**
 * What compiler/query-compiler.ts and the query classes memoize:
 * 1. every query object compiles once: its `toSQL()` returns the identical CompiledQuery;
 * 2. `compileQuery(node)` keeps the result for a parameterless node (DDL, selects without
 *    values), so queries sharing such a node share one CompiledQuery;
 * 3. a selection node's column list is compiled once and reused by every query that shares the
 *    node, and all `select()` queries of a table share one selection node.
 */
import { describe, expect, it } from 'vitest';
import { compileQuery, createTables, dropTables, type ColumnRefNode, type Query, type SelectNode, type SelectionNode } from '@picco/core';
import { Band, Manager } from './schema.js';

describe('a query object compiles once', () => {
  const queries: { name: string; query: Query<unknown> }[] = [
    { name: 'select()', query: Band.select() },
    { name: 'select(columns).where(...)', query: Band.select(Band.name).where(Band.id.eq(1)) },
    { name: 'select().where(...).limit(...)', query: Band.select().where(Band.id.gt(0)).limit(3) },
    { name: 'first()', query: Band.select().first() },
    { name: 'count()', query: Band.count() },
    { name: 'count().where(...)', query: Band.count().where(Band.active.eq(true)) },
    { name: 'exists()', query: Band.exists() },
    { name: 'exists().where(...)', query: Band.exists().where(Band.name.eq('a')) },
    { name: 'tableExists()', query: Band.tableExists() },
    { name: 'insert', query: Band.insert({ name: 'a' }) },
    { name: 'insert().returning()', query: Band.insert({ name: 'a' }).returning() },
    { name: 'update().where(...)', query: Band.update({ popularity: 1 }).where(Band.id.eq(1)) },
    { name: 'delete().where(...)', query: Band.delete().where(Band.id.eq(1)) },
    { name: 'createTable()', query: Band.createTable() },
    { name: 'dropTable()', query: Band.dropTable() },
    { name: 'createTables([...])', query: createTables([Band, Manager]) },
    { name: 'dropTables([...])', query: dropTables([Band, Manager]) },
  ];

  it.each(queries)('$name: toSQL() returns the identical object every time', ({ query }) => {
    const first = query.toSQL();
    expect(query.toSQL()).toBe(first);
    expect(query.toSQL()).toBe(first);
  });
});

describe('compileQuery caches parameterless nodes', () => {
  it('the same parameterless DDL node always yields the identical CompiledQuery', () => {
    for (const query of [Band.createTable(), Band.dropTable()]) {
      expect(compileQuery(query.node)).toBe(query.toSQL());
    }
  });

  it('a parameterless statement compiles to the very same SQL string each time (its shape is cached, not its node)', () => {
    for (const query of [Band.select(), Band.select(Band.name).orderBy(Band.name).limit(5), Band.count(), Band.exists()]) {
      const again = compileQuery(query.node);
      expect(again).toEqual(query.toSQL());
      expect(again.sql).toBe(query.toSQL().sql);
    }
  });

  it('createTables reuses each table query’s cached statement', () => {
    const create = Band.createTable();
    // createTables builds its own createTable() queries: new nodes, so equal but separate results.
    expect(createTables([Band]).statements()[0]).toEqual(create.toSQL());
  });

  it('a node with parameters is compiled afresh by compileQuery (its values are per query)', () => {
    const query = Band.select().where(Band.id.eq(1));
    const again = compileQuery(query.node);
    expect(again).toEqual(query.toSQL());
    expect(again).not.toBe(query.toSQL());
  });

  it('two select() queries without where share one selection node and compile to the same SQL', () => {
    const a = Band.select();
    const b = Band.select();
    expect(a).not.toBe(b);
    expect(a.node.selection).toBe(b.node.selection);
    expect(a.toSQL()).toEqual(b.toSQL());
    // Derived queries keep sharing it.
    expect(a.where(Band.id.eq(1)).orderBy(Band.name).limit(2).node.selection).toBe(b.node.selection);
    // select(columns) makes its own.
    expect(Band.select(Band.id).node.selection).not.toBe(a.node.selection);
  });
});

describe('a selection is compiled once per selection node', () => {
  // Hand-built nodes make the memo observable: Picco never mutates a node, so changing one after
  // its first compilation shows whether its SQL was compiled again or reused.
  const id = Band.id.node as ColumnRefNode;
  const name = Band.name.node as ColumnRefNode;
  // A where() with a value makes each node carry a parameter, so the node-level cache is out of
  // play and only the selection memo can be at work.
  const selectNode = (selection: SelectionNode, wantedId: number): SelectNode => ({
    ...Band.select().where(Band.id.eq(wantedId)).node,
    selection,
  });

  it('reuses the column list compiled for the same selection node', () => {
    const columns: ColumnRefNode[] = [id];
    const shared: SelectionNode = { kind: 'columns', columns };
    expect(compileQuery(selectNode(shared, 1)).sql).toBe('SELECT "id" FROM "band" WHERE "id" = ?');
    columns.push(name);
    expect(compileQuery(selectNode(shared, 2))).toMatchObject({ sql: 'SELECT "id" FROM "band" WHERE "id" = ?', params: [2] });
    // A different selection node is compiled on its own.
    expect(compileQuery(selectNode({ kind: 'columns', columns: [id, name] }, 3)).sql).toBe('SELECT "id", "name" FROM "band" WHERE "id" = ?');
  });
});
