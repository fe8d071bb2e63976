/**
 * Turns an operation node tree into `{ sql, params }` for SQLite.
 * Values always become `?` parameters; identifiers arrive quoted from `defineTable`.
 *
 * Compilation is memoized per node: queries are immutable and share nodes structurally, so a
 * hot query shape (`Band.select().where(Band.id.eq(id))`) reuses its compiled selection and
 * table, and a query object compiled once is never compiled again (see `Query.toSQL`).
 */
import type {
  ColumnDefinitionNode,
  ColumnRefNode,
  ConditionNode,
  CreateTableNode,
  DeleteNode,
  InsertNode,
  QueryNode,
  SelectNode,
  SelectionNode,
  SqlValue,
  UpdateNode,
} from '../operation-node/nodes.js';
import { valueSpec } from '../schema/column-builder.js';
import type { CompiledQuery } from './compiled-query.js';
import { quoteIdentifier, sqlLiteral } from './quote.js';

const selectionCache = new WeakMap<SelectionNode, string>();
const staticCache = new WeakMap<QueryNode, CompiledQuery>();
const insertShapeCache = new WeakMap<readonly ColumnRefNode[], InsertShape>();

export function compileQuery(node: QueryNode): CompiledQuery {
  const cached = staticCache.get(node);
  if (cached !== undefined) return cached;
  const compiled = compileUncached(node);
  // Parameterless statements (DDL, unfiltered selects) depend only on the node: keep them.
  if (compiled.params.length === 0) staticCache.set(node, compiled);
  return compiled;
}

function compileUncached(node: QueryNode): CompiledQuery {
  const table = node.table.name;
  switch (node.kind) {
    case 'select': {
      const params: SqlValue[] = [];
      const sql = compileSelect(node, params);
      const safeIntegers = node.selection.kind === 'columns' && node.selection.columns.some(isBigIntColumn);
      return { sql, params, mode: 'all', readOnly: true, safeIntegers, table };
    }
    case 'insert': {
      const params: SqlValue[] = [];
      const sql = compileInsert(node, params);
      return mutation(sql, params, node.returning, table);
    }
    case 'update': {
      const params: SqlValue[] = [];
      const sql = compileUpdate(node, params);
      return mutation(sql, params, node.returning, table);
    }
    case 'delete': {
      const params: SqlValue[] = [];
      const sql = compileDelete(node, params);
      return mutation(sql, params, node.returning, table);
    }
    case 'create-table':
      return compileCreateTable(node);
    case 'drop-table':
      return {
        sql: `DROP TABLE ${node.ifExists ? 'IF EXISTS ' : ''}${node.table.quoted}`,
        params: [],
        mode: 'run',
        readOnly: false,
        safeIntegers: false,
        table,
      };
    case 'table-exists':
      return {
        sql: `SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?) AS "exists"`,
        params: [node.table.name],
        mode: 'all',
        readOnly: true,
        safeIntegers: false,
        table,
      };
  }
}

function mutation(sql: string, params: SqlValue[], returning: readonly ColumnRefNode[] | undefined, table: string): CompiledQuery {
  return {
    sql,
    params,
    mode: returning === undefined ? 'run' : 'all',
    readOnly: false,
    safeIntegers: returning?.some(isBigIntColumn) ?? false,
    table,
  };
}

function compileSelect(node: SelectNode, params: SqlValue[]): string {
  let sql: string;
  if (node.selection.kind === 'exists') {
    sql = `SELECT EXISTS(SELECT 1 FROM ${node.table.quoted}${compileWhere(node.where, params)}) AS "exists"`;
    return sql;
  }
  sql = `SELECT ${compileSelection(node.selection)} FROM ${node.table.quoted}`;
  sql += compileWhere(node.where, params);
  if (node.orderBy.length > 0) {
    sql += ' ORDER BY ' + node.orderBy.map((order) => `${order.column.quoted} ${order.direction}`).join(', ');
  }
  // LIMIT and OFFSET are written as literals (the builders accept only safe whole numbers):
  // a bound LIMIT makes SQLite's point lookups several times slower.
  if (node.limit !== undefined || node.offset !== undefined) {
    // SQLite needs a LIMIT before an OFFSET; -1 means "no limit".
    sql += ` LIMIT ${node.limit ?? -1}`;
  }
  if (node.offset !== undefined) sql += ` OFFSET ${node.offset}`;
  return sql;
}

function compileSelection(selection: SelectionNode): string {
  let sql = selectionCache.get(selection);
  if (sql === undefined) {
    sql = selection.kind === 'count' ? 'COUNT(*) AS "count"' : columnList(selection.kind === 'columns' ? selection.columns : []);
    selectionCache.set(selection, sql);
  }
  return sql;
}

function compileInsert(node: InsertNode, params: SqlValue[]): string {
  const verb = node.onConflict === 'abort' ? 'INSERT' : `INSERT OR ${node.onConflict.toUpperCase()}`;
  let sql = `${verb} INTO ${node.table.quoted}`;
  if (node.columns.length === 0) {
    sql += ' DEFAULT VALUES';
  } else if (node.rows.length === 1 && node.onConflict === 'abort' && node.returning === undefined) {
    // The hot path: the very same string each time, so the statement cache's lookup is cheap.
    const shape = insertShape(node.columns);
    shape.singleRowSql ??= `${sql} (${shape.columnList}) VALUES ${shape.tuple}`;
    for (const value of node.rows[0]!) params.push(value.value);
    return shape.singleRowSql;
  } else {
    const { columnList: names, tuple } = insertShape(node.columns);
    sql += ` (${names}) VALUES ${node.rows.length === 1 ? tuple : node.rows.map(() => tuple).join(', ')}`;
    for (const row of node.rows) for (const value of row) params.push(value.value);
  }
  return sql + compileReturning(node.returning);
}

/** The column list and one `(?, ?)` tuple, kept per column array (tables reuse it per insert shape). */
interface InsertShape {
  readonly columnList: string;
  readonly tuple: string;
  singleRowSql?: string;
}

function insertShape(columns: readonly ColumnRefNode[]): InsertShape {
  let shape = insertShapeCache.get(columns);
  if (shape === undefined) {
    shape = { columnList: columnList(columns), tuple: `(${columns.map(() => '?').join(', ')})` };
    insertShapeCache.set(columns, shape);
  }
  return shape;
}

function compileUpdate(node: UpdateNode, params: SqlValue[]): string {
  const assignments = node.assignments.map((assignment) => {
    params.push(assignment.value.value);
    return `${assignment.column.quoted} = ?`;
  });
  return `UPDATE ${node.table.quoted} SET ${assignments.join(', ')}${compileWhere(node.where, params)}${compileReturning(node.returning)}`;
}

function compileDelete(node: DeleteNode, params: SqlValue[]): string {
  return `DELETE FROM ${node.table.quoted}${compileWhere(node.where, params)}${compileReturning(node.returning)}`;
}

function compileReturning(columns: readonly ColumnRefNode[] | undefined): string {
  return columns === undefined ? '' : ` RETURNING ${columnList(columns)}`;
}

function compileWhere(condition: ConditionNode | undefined, params: SqlValue[]): string {
  return condition === undefined ? '' : ` WHERE ${compileCondition(condition, params)}`;
}

function compileCondition(node: ConditionNode, params: SqlValue[]): string {
  switch (node.kind) {
    case 'comparison':
      params.push(node.value.value);
      return `${node.column.quoted} ${node.operator} ?`;
    case 'in-list':
      // `x IN ()` is not SQL; an empty list matches nothing (and NOT IN matches everything).
      if (node.values.length === 0) return node.negated ? '1 = 1' : '1 = 0';
      for (const value of node.values) params.push(value.value);
      return `${node.column.quoted} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.map(() => '?').join(', ')})`;
    case 'null-check':
      return `${node.column.quoted} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'not':
      return `NOT (${compileCondition(node.condition, params)})`;
    case 'and':
    case 'or': {
      if (node.conditions.length === 0) return node.kind === 'and' ? '1 = 1' : '1 = 0';
      if (node.conditions.length === 1) return compileCondition(node.conditions[0]!, params);
      const glue = node.kind === 'and' ? ' AND ' : ' OR ';
      return node.conditions.map((condition) => `(${compileCondition(condition, params)})`).join(glue);
    }
  }
}

function compileCreateTable(node: CreateTableNode): CompiledQuery {
  const definitions = node.columns.map(compileColumnDefinition);
  const statements = [`CREATE TABLE ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${node.table.quoted} (${definitions.join(', ')})`];
  for (const definition of node.columns) {
    if (!definition.column.spec.index) continue;
    const indexName = quoteIdentifier(`${node.table.name}_${definition.column.key}_idx`);
    statements.push(
      `CREATE INDEX ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${indexName} ON ${node.table.quoted} (${definition.column.quoted})`,
    );
  }
  return {
    sql: statements.join('; '),
    params: [],
    mode: statements.length === 1 ? 'run' : 'exec',
    readOnly: false,
    safeIntegers: false,
    table: node.table.name,
  };
}

const SQL_TYPES = {
  serial: 'INTEGER',
  integer: 'INTEGER',
  bigint: 'INTEGER',
  real: 'REAL',
  text: 'TEXT',
  varchar: 'VARCHAR',
  boolean: 'INTEGER',
  timestamp: 'TEXT',
  json: 'TEXT',
  foreignKey: 'INTEGER',
} as const;

function compileColumnDefinition(definition: ColumnDefinitionNode): string {
  const { column, references } = definition;
  const { spec } = column;
  // A foreign key takes the SQL type of the key it references (TEXT for a text key, not INTEGER).
  const typed = valueSpec(spec);
  let sql = `${column.quoted} ${typed.type === 'varchar' ? `VARCHAR(${typed.length})` : SQL_TYPES[typed.type]}`;
  if (spec.primaryKey) sql += ' PRIMARY KEY';
  // Primary keys too: SQLite lets a non-INTEGER PRIMARY KEY hold NULL (a legacy quirk). Only
  // serial, the rowid alias, is left bare; it can never be NULL.
  if (!spec.nullable && spec.type !== 'serial') sql += ' NOT NULL';
  if (spec.unique && !spec.primaryKey) sql += ' UNIQUE';
  if (definition.defaultValue !== undefined) sql += ` DEFAULT ${sqlLiteral(definition.defaultValue)}`;
  if (spec.type === 'boolean') sql += ` CHECK (${column.quoted} IN (0, 1))`;
  if (spec.type === 'varchar') sql += ` CHECK (length(${column.quoted}) <= ${spec.length})`;
  if (spec.type === 'json') sql += ` CHECK (json_valid(${column.quoted}))`;
  if (references !== undefined) {
    sql += ` REFERENCES ${references.table.quoted} (${quoteIdentifier(references.column)})`;
    if (spec.onDelete !== undefined) sql += ` ON DELETE ${spec.onDelete.toUpperCase()}`;
  }
  return sql;
}

function columnList(columns: readonly ColumnRefNode[]): string {
  return columns.map((column) => column.quoted).join(', ');
}

function isBigIntColumn(column: ColumnRefNode): boolean {
  return valueSpec(column.spec).type === 'bigint';
}
