/**
 * Turns an operation node tree into `{ sql, params }` for SQLite.
 * Values always become `?` parameters; identifiers arrive quoted from `defineTable`.
 *
 * Compilation is memoized per node: queries are immutable and share nodes structurally, so a
 * hot query shape (`Band.select().where(Band.id.eq(id))`) reuses its compiled selection and
 * table, and a query object compiled once is never compiled again (see `Query.toSQL`).
 * Statements (select, insert, update, delete) are also memoized per shape: their text is
 * built once per shape and the same string comes back for every query of that shape
 * (see shape-cache.ts); only the values are collected per query.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type {
  AssignmentNode,
  ColumnDefinitionNode,
  ColumnRefNode,
  ComparisonOperator,
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
import { MAX_CONDITION_HEIGHT } from '../schema/condition.js';
import type { CompiledQuery } from './compiled-query.js';
import { quoteIdentifier, sqlLiteral } from './quote.js';
import { ShapeCursor, type ShapeResult } from './shape-cache.js';

const selectionCache = new WeakMap<SelectionNode, string>();
const staticCache = new WeakMap<QueryNode, CompiledQuery>();
const insertShapeCache = new WeakMap<readonly ColumnRefNode[], InsertShape>();

export function compileQuery(node: QueryNode): CompiledQuery {
  const cached = staticCache.get(node);
  if (cached !== undefined) return cached;
  const compiled = compileGuarded(node);
  // Parameterless statements (DDL, unfiltered selects) depend only on the node: keep them.
  if (compiled.params.length === 0) staticCache.set(node, compiled);
  return compiled;
}

/**
 * The builders refuse conditions deeper than SQLite accepts (`MAX_CONDITION_HEIGHT`), so the
 * compiler's recursion stays shallow for them; a node tree made by hand can be deeper, and its
 * stack overflow becomes a PiccoError here rather than a bare RangeError.
 */
function compileGuarded(node: QueryNode): CompiledQuery {
  try {
    return compileUncached(node);
  } catch (error) {
    if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error;
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `The query's conditions are nested too deeply to compile; SQLite accepts at most ${MAX_CONDITION_HEIGHT} levels. ` +
        `Build conditions with the column methods and and(), or(), not(), which refuse a condition past that limit as it is made.`,
      { cause: error },
    );
  }
}

function compileUncached(node: QueryNode): CompiledQuery {
  const table = node.table.name;
  switch (node.kind) {
    case 'select':
    case 'insert':
    case 'update':
    case 'delete':
      return compileStatement(node);
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

type StatementNode = SelectNode | InsertNode | UpdateNode | DeleteNode;

/**
 * A statement: its values are collected by walking its shape; its text is built only the first
 * time that shape is seen.
 */
function compileStatement(node: StatementNode): CompiledQuery {
  if (node.kind === 'insert' && node.rows.length === 1 && node.onConflict === 'abort' && node.returning === undefined && node.columns.length > 0) {
    // The hottest shape, one plain row: its text hangs off the column array, no trie walk needed.
    const shape = insertShape(node.columns);
    const params = node.rows[0]!.map((value) => value.value);
    shape.singleRow ??= buildStatement(node, []);
    const { sql, mode, readOnly, safeIntegers } = shape.singleRow;
    return { sql, params, mode, readOnly, safeIntegers, table: node.table.name };
  }
  let params: SqlValue[] = [];
  const cursor = new ShapeCursor(node.table);
  walkStatement(node, cursor, params);
  let shape = cursor.found;
  if (shape === undefined) {
    const built: SqlValue[] = [];
    shape = buildStatement(node, built);
    // The walk and the builder must list the values in the same order; a shape is kept only
    // once they are seen to agree (the builder's values win if they ever did not).
    if (sameValues(params, built)) cursor.store(shape);
    else params = built;
  }
  return { sql: shape.sql, params, mode: shape.mode, readOnly: shape.readOnly, safeIntegers: shape.safeIntegers, table: node.table.name };
}

function buildStatement(node: StatementNode, params: SqlValue[]): ShapeResult {
  switch (node.kind) {
    case 'select': {
      const safeIntegers = node.selection.kind === 'columns' && node.selection.columns.some(isBigIntColumn);
      return { sql: compileSelect(node, params), mode: 'all', readOnly: true, safeIntegers };
    }
    case 'insert':
      return mutation(compileInsert(node, params), node.returning);
    case 'update':
      return mutation(compileUpdate(node, params), node.returning);
    case 'delete':
      return mutation(compileDelete(node, params), node.returning);
  }
}

function mutation(sql: string, returning: readonly ColumnRefNode[] | undefined): ShapeResult {
  return {
    sql,
    mode: returning === undefined ? 'run' : 'all',
    readOnly: false,
    safeIntegers: returning?.some(isBigIntColumn) ?? false,
  };
}

// ---- shapes: every part of a statement its text depends on, and its values in placeholder order

function walkStatement(node: StatementNode, cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(node.kind);
  switch (node.kind) {
    case 'select':
      cursor.step(node.selection.kind);
      // The column list's memoized text: one string per selection node (see compileSelection).
      if (node.selection.kind === 'columns') cursor.step(compileSelection(node.selection));
      walkCondition(node.where, cursor, params);
      cursor.step(node.orderBy.length);
      for (const order of node.orderBy) {
        cursor.step(order.column);
        cursor.step(order.direction);
      }
      cursor.step(node.limit);
      cursor.step(node.offset);
      return;
    case 'insert':
      cursor.step(node.onConflict);
      cursor.step(insertShape(node.columns).columnList);
      cursor.step(node.rows.length);
      for (const row of node.rows) for (const value of row) params.push(value.value);
      walkReturning(node.returning, cursor);
      return;
    case 'update':
      walkAssignments(node.assignments, cursor, params);
      walkCondition(node.where, cursor, params);
      walkReturning(node.returning, cursor);
      return;
    case 'delete':
      walkCondition(node.where, cursor, params);
      walkReturning(node.returning, cursor);
      return;
  }
}

function walkAssignments(assignments: readonly AssignmentNode[], cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(assignments.length);
  for (const assignment of assignments) {
    cursor.step(assignment.column);
    params.push(assignment.value.value);
  }
}

function walkReturning(columns: readonly ColumnRefNode[] | undefined, cursor: ShapeCursor): void {
  cursor.step(columns === undefined ? undefined : columnList(columns));
}

function walkCondition(node: ConditionNode | undefined, cursor: ShapeCursor, params: SqlValue[]): void {
  if (node === undefined) {
    cursor.step(undefined);
    return;
  }
  cursor.step(node.kind);
  switch (node.kind) {
    case 'comparison':
      cursor.step(node.column);
      cursor.step(node.operator);
      params.push(node.value.value);
      return;
    case 'in-list':
      cursor.step(node.column);
      cursor.step(node.negated);
      cursor.step(node.values.length);
      for (const value of node.values) params.push(value.value);
      return;
    case 'null-check':
      cursor.step(node.column);
      cursor.step(node.negated);
      return;
    case 'not':
      walkCondition(node.condition, cursor, params);
      return;
    case 'and':
    case 'or':
      cursor.step(node.conditions.length);
      for (const condition of node.conditions) walkCondition(condition, cursor, params);
      return;
  }
}

function sameValues(a: readonly SqlValue[], b: readonly SqlValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

// ---- text

function compileSelect(node: SelectNode, params: SqlValue[]): string {
  let sql: string;
  if (node.selection.kind === 'exists') {
    sql = `SELECT EXISTS(SELECT 1 FROM ${node.table.quoted}${compileWhere(node.where, params)}) AS "exists"`;
    return sql;
  }
  sql = `SELECT ${compileSelection(node.selection)} FROM ${node.table.quoted}`;
  sql += compileWhere(node.where, params);
  if (node.orderBy.length > 0) {
    sql += ' ORDER BY ' + node.orderBy.map((order) => `${operand(order.column)} ${order.direction}`).join(', ');
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
  /** The statement inserting one row of these columns, without OR/RETURNING. */
  singleRow?: ShapeResult;
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

/**
 * The operators a comparison may carry. The builders only make these; the check keeps a node
 * made by hand (`compileQuery` is public) from writing anything else into the SQL.
 */
const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['=', '<>', '>', '>=', '<', '<=', 'LIKE']);

function compileCondition(node: ConditionNode, params: SqlValue[]): string {
  switch (node.kind) {
    case 'comparison':
      if (!COMPARISON_OPERATORS.has(node.operator)) throw invalidNode(`comparison operator ${JSON.stringify(node.operator)}`);
      params.push(node.value.value);
      return `${operand(node.column)} ${node.operator} ?`;
    case 'in-list':
      // `x IN ()` is not SQL; an empty list matches nothing (and NOT IN matches everything).
      if (node.values.length === 0) return node.negated ? '1 = 1' : '1 = 0';
      for (const value of node.values) params.push(value.value);
      return `${operand(node.column)} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.map(() => '?').join(', ')})`;
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
    default:
      throw invalidNode(`condition kind ${JSON.stringify((node as { kind?: unknown }).kind)}`);
  }
}

function invalidNode(what: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `Cannot compile a ${what}: it is not one Picco makes. Build conditions with the column methods (eq, ne, gt, gte, lt, lte, like, in, notIn, isNull, isNotNull) and and(), or(), not().`,
  );
}

function compileCreateTable(node: CreateTableNode): CompiledQuery {
  const definitions = node.columns.map(compileColumnDefinition);
  const statements = [`CREATE TABLE ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${node.table.quoted} (${definitions.join(', ')})`];
  for (const definition of node.columns) {
    if (!definition.column.spec.index) continue;
    const name = quoteIdentifier(indexName(node.table.name, definition.column.key));
    // A timestamp column is indexed on the expression its comparisons use (see `operand`).
    statements.push(`CREATE INDEX ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${name} ON ${node.table.quoted} (${operand(definition.column)})`);
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

/**
 * The name of a column's index, unambiguous across tables. `<table>_<column>_idx` alone is not:
 * `a_b`.`c` and `a`.`b_c` would share `a_b_c_idx`, and with `ifNotExists` the second index
 * would be skipped. So:
 * - a table name without "_" keeps `<table>_<column>_idx` (the first "_" ends the table name,
 *   so these names never collide, and databases made by earlier versions keep their indexes);
 * - a table name with "_" gets `<table>_<column>_idx_<length of the table name>`: it ends in
 *   digits, so it never equals a name of the first form, and the length says where the table
 *   name ends.
 * A database made by an earlier version with an index on a table whose name has "_" keeps
 * that index under its old name; `createTable({ ifNotExists: true })` adds the new one. An
 * index on a timestamp column made by an earlier version is on the bare column, and has the
 * same name as the new expression index, so `ifNotExists` keeps it: queries stay correct but do
 * not use it; drop it and create the table's indexes again to get the new one.
 */
export function indexName(table: string, column: string): string {
  return table.includes('_') ? `${table}_${column}_idx_${table.length}` : `${table}_${column}_idx`;
}

/**
 * What a condition or ORDER BY compares for a column. Timestamps are compared as SQLite's
 * canonical UTC text (`strftime` gives the very format Picco writes), so a row holding
 * SQLite's own `2022-01-01 21:00:00` (what CURRENT_TIMESTAMP writes) compares by its time,
 * not by its spelling (as text, " " sorts before "T"). The column's index is built on the same
 * expression so that SQLite still uses it.
 */
function operand(column: ColumnRefNode): string {
  return valueSpec(column.spec).type === 'timestamp' ? `strftime('%Y-%m-%dT%H:%M:%fZ', ${column.quoted})` : column.quoted;
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
