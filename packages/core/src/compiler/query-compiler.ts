/**
 * Turns an operation node tree into `{ sql, params }` for a dialect (`dialect/`): the statements
 * all dialects share are written here, and the dialect is asked for what differs (placeholders,
 * LIMIT/OFFSET, conflict handling, DDL). Values always become parameters; identifiers arrive
 * quoted from `defineTable`.
 *
 * Compilation is memoized per node: queries are immutable and share nodes structurally, so a
 * hot query shape (`Band.select().where(Band.id.eq(id))`) reuses its compiled selection and
 * table, and a query object compiled once is never compiled again (see `Query.toSQL`).
 * Statements (select, insert, update, delete) are also memoized per shape: their text is
 * built once per shape and the same string comes back for every query of that shape
 * (see shape-cache.ts); only the values are collected per query.
 */
import type { DialectName, SqlDialect } from '../dialect/dialect.js';
import { dialectNamed } from '../dialect/dialects.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type {
  AssignmentNode,
  ColumnRefNode,
  ConditionNode,
  DeleteNode,
  ExpressionNode,
  InsertNode,
  QueryNode,
  SelectNode,
  SelectionNode,
  SqlValue,
  TableRefNode,
  UpdateNode,
  UpsertNode,
  ValueNode,
} from '../operation-node/nodes.js';
import { valueSpec, type ColumnSpec } from '../schema/column-builder.js';
import { MAX_CONDITION_HEIGHT } from '../schema/condition.js';
import { specOf } from '../schema/expression.js';
import { newStatementMemo, type CompiledQuery } from './compiled-query.js';
import { quoteIdentifier } from './quote.js';
import { ShapeCursor, createShapeTries, type ShapeResult, type ShapeTries } from './shape-cache.js';
import {
  collectJoins,
  compileCondition,
  compileExpression,
  compileJoins,
  compileOperand,
  mayBeNull,
  parameter,
  walkCondition,
  walkExpression,
  type SqlContext,
} from './expressions.js';

const selectionCache = new WeakMap<SelectionNode, string>();

/**
 * A dialect and the caches of the text written for it. Each dialect has its own: the same
 * node (or shape) compiles to different text for SQLite and for PostgreSQL.
 */
interface Compiler {
  readonly dialect: SqlDialect;
  readonly statics: WeakMap<QueryNode, CompiledQuery>;
  readonly shapes: ShapeTries;
  readonly insertShapes: WeakMap<readonly ColumnRefNode[], InsertShape>;
  /** The last entry of `insertShapes` used (held strongly: one column array, of a table). */
  lastInsertShape: { readonly columns: readonly ColumnRefNode[]; readonly shape: InsertShape } | undefined;
}

const compilers = new Map<DialectName, Compiler>();
// The compiler used last: an application speaks one dialect, so this skips the Map almost always.
let lastCompiler: Compiler | undefined;

function compilerFor(name: DialectName): Compiler {
  if (lastCompiler !== undefined && lastCompiler.dialect.name === name) return lastCompiler;
  let compiler = compilers.get(name);
  if (compiler === undefined) {
    compiler = { dialect: dialectNamed(name), statics: new WeakMap(), shapes: createShapeTries(), insertShapes: new WeakMap(), lastInsertShape: undefined };
    compilers.set(name, compiler);
  }
  return (lastCompiler = compiler);
}

/** Compiles `node` to the SQL of `dialect` (SQLite's by default). */
export function compileQuery(node: QueryNode, dialect: DialectName = 'sqlite'): CompiledQuery {
  const compiler = compilerFor(dialect);
  // Statements find their text through the shape cache; a query object keeps what it compiled
  // to (`Query.toSQL`), so a statement node is almost never compiled twice and a WeakMap entry
  // per statement would cost every query a lookup (and parameterless ones an entry) for nothing.
  if (isStatement(node)) return compileGuarded(node, compiler);
  const cached = compiler.statics.get(node);
  if (cached !== undefined) return cached;
  const compiled = compileGuarded(node, compiler);
  // Parameterless DDL depends only on its node: keep it.
  if (compiled.params.length === 0) compiler.statics.set(node, compiled);
  return compiled;
}

function isStatement(node: QueryNode): node is StatementNode {
  const { kind } = node;
  return kind === 'select' || kind === 'insert' || kind === 'update' || kind === 'delete';
}

/**
 * The builders refuse conditions deeper than SQLite accepts (`MAX_CONDITION_HEIGHT`), so the
 * compiler's recursion stays shallow for them; a node tree made by hand can be deeper, and its
 * stack overflow becomes a PiccoError here rather than a bare RangeError.
 */
function compileGuarded(node: QueryNode, compiler: Compiler): CompiledQuery {
  try {
    return compileUncached(node, compiler);
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

function compileUncached(node: QueryNode, compiler: Compiler): CompiledQuery {
  switch (node.kind) {
    case 'select':
    case 'insert':
    case 'update':
    case 'delete':
      return compileStatement(node, compiler);
    case 'create-table':
      return compiler.dialect.createTable(node);
    case 'drop-table':
      return compiler.dialect.dropTable(node);
    case 'alter-table':
      return compiler.dialect.alterTable(node);
    case 'table-exists':
      return compiler.dialect.tableExists(node);
  }
}

type StatementNode = SelectNode | InsertNode | UpdateNode | DeleteNode;

/**
 * A statement: its values are collected by walking its shape; its text is built only the first
 * time that shape is seen.
 */
function compileStatement(node: StatementNode, compiler: Compiler): CompiledQuery {
  const { dialect } = compiler;
  if (node.kind === 'insert' && node.rows.length === 1 && node.onConflict === 'abort' && node.upserts === undefined && node.returning === undefined && node.columns.length > 0) {
    return compileRow(node.table, node.columns, node.rows[0]!.map((value) => value.value), compiler, { node });
  }
  let params: SqlValue[] = [];
  const cursor = new ShapeCursor(node.table, compiler.shapes);
  walkStatement(node, cursor, params, compiler);
  let shape = cursor.found;
  if (shape === undefined) {
    const built: SqlValue[] = [];
    shape = { ...buildStatement(node, built, compiler), statementMemo: newStatementMemo() };
    // The walk and the builder must list the values in the same order; a shape is kept only
    // once they are seen to agree (the builder's values win if they ever did not).
    if (sameValues(params, built)) cursor.store(shape);
    else params = built;
  }
  if (shape.decimals !== undefined) params = asDecimals(params, shape.decimals, dialect);
  return { sql: shape.sql, params, mode: shape.mode, readOnly: shape.readOnly, safeIntegers: shape.safeIntegers, table: node.table.name, statementMemo: shape.statementMemo };
}

/**
 * An insert of one plain row (no OR, no upsert, no RETURNING) of these columns with these
 * values (in column order), as `compileQuery` compiles its node (`query.node`, asked for only
 * the first time these columns are seen). `Table.insert(row)` compiles through here without
 * making the node at all (see `InsertQuery`). `values` is never changed: the query keeps it.
 */
export function compileInsertRow(table: TableRefNode, columns: readonly ColumnRefNode[], values: readonly SqlValue[], dialect: DialectName, query: { readonly node: InsertNode }): CompiledQuery {
  return compileRow(table, columns, values, compilerFor(dialect), query);
}

/** The hottest shape, one plain row: its text hangs off the column array, no trie walk needed. */
function compileRow(table: TableRefNode, columns: readonly ColumnRefNode[], values: readonly SqlValue[], compiler: Compiler, query: { readonly node: InsertNode }): CompiledQuery {
  const shape = insertShape(columns, compiler);
  shape.singleRow ??= { ...buildStatement(query.node, [], compiler), statementMemo: newStatementMemo() };
  const { sql, mode, readOnly, safeIntegers, decimals, statementMemo } = shape.singleRow;
  const params = decimals === undefined ? values : asDecimals(values.slice(), decimals, compiler.dialect);
  return { sql, params, mode, readOnly, safeIntegers, table: table.name, statementMemo };
}

/** The statement's values with its numeric ones (integer units) as the dialect's decimals. */
function asDecimals(params: SqlValue[], decimals: NonNullable<ShapeResult['decimals']>, dialect: SqlDialect): SqlValue[] {
  const toDecimal = dialect.decimalParameter!;
  for (const [index, scale] of decimals) {
    const value = params[index];
    if (typeof value === 'bigint' || typeof value === 'number') params[index] = toDecimal(BigInt(value), scale);
  }
  return params;
}

function buildStatement(node: StatementNode, params: SqlValue[], compiler: Compiler): ShapeResult {
  const { dialect } = compiler;
  const decimals = dialect.decimalParameter === undefined ? undefined : new Map<number, number>();
  const built = buildText(node, params, compiler, decimals);
  return decimals === undefined || decimals.size === 0 ? built : { ...built, decimals: [...decimals] };
}

function buildText(node: StatementNode, params: SqlValue[], compiler: Compiler, decimals: Map<number, number> | undefined): ShapeResult {
  const { dialect } = compiler;
  switch (node.kind) {
    case 'select':
      return { sql: compileSelect(node, params, dialect, decimals), mode: 'all', readOnly: true, safeIntegers: readsBigInts(node.selection) };
    case 'insert':
      return mutation(compileInsert(node, params, compiler, decimals), node.returning);
    case 'update':
      return mutation(compileUpdate(node, params, dialect, decimals), node.returning);
    case 'delete':
      return mutation(compileDelete(node, params, dialect, decimals), node.returning);
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

function walkStatement(node: StatementNode, cursor: ShapeCursor, params: SqlValue[], compiler: Compiler): void {
  cursor.step(node.kind);
  switch (node.kind) {
    case 'select':
      walkSelect(node, cursor, params);
      return;
    case 'insert':
      cursor.step(node.onConflict);
      cursor.step(insertShape(node.columns, compiler).columnList);
      cursor.step(node.rows.length);
      for (const row of node.rows) for (const value of row) params.push(value.value);
      cursor.step(node.upserts?.length);
      for (const upsert of node.upserts ?? []) {
        cursor.step(upsert.action);
        cursor.step(upsert.target.length === 0 ? undefined : columnList(upsert.target));
        walkAssignments(upsert.set, cursor, params);
        walkCondition(upsert.where, cursor, params, walkSubquery);
      }
      walkReturning(node.returning, cursor);
      return;
    case 'update':
      walkAssignments(node.assignments, cursor, params);
      walkCondition(node.where, cursor, params, walkSubquery);
      walkReturning(node.returning, cursor);
      return;
    case 'delete':
      walkCondition(node.where, cursor, params, walkSubquery);
      walkReturning(node.returning, cursor);
      return;
  }
}

/** A subquery walks into the statement's cursor and values (passed to expressions.ts's walkers). */
function walkSubquery(query: SelectNode, cursor: ShapeCursor, params: SqlValue[]): void {
  walkSelect(query, cursor, params);
}

/**
 * A select's shape. Its values must come in the order `compileSelect` writes them: selection,
 * where, group by, having, order by. The common select holds values only in its WHERE (its
 * selection, grouping and order are columns): then the rest of it, its frame, is walked first and
 * as one run of steps, which a loop of one query shape jumps over (`skipFrame`: the same frame
 * objects lead to the same trie node), so only the WHERE is walked per query. The two orders
 * start with different tokens, so their shapes never mix.
 */
function walkSelect(node: SelectNode, cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(node.table);
  if (!cursor.skipFrame(node)) {
    if (frameHoldsValues(node)) {
      walkSelectInOrder(node, cursor, params);
      return;
    }
    const start = cursor.position;
    cursor.step(VALUELESS_FRAME);
    walkFrame(node, cursor);
    cursor.rememberFrame(start, node);
  }
  walkCondition(node.where, cursor, params, walkSubquery);
  cursor.step(node.limit);
  cursor.step(node.offset);
}

/** Marks the walk of a select whose frame holds no values (see `walkSelect`). */
const VALUELESS_FRAME = Symbol('valueless frame');
/** Marks the walk of every other select, in the order of its text. */
const IN_ORDER = Symbol('in order');

/** The frame's tokens (it holds no values, so nothing is collected). */
function walkFrame(node: SelectNode, cursor: ShapeCursor): void {
  const noValues: SqlValue[] = [];
  walkSelection(node, cursor, noValues);
  walkGroupBy(node, cursor, noValues);
  // No HAVING: a frame with one holds values (see frameHoldsValues).
  walkOrderBy(node, cursor, noValues);
}

function walkSelectInOrder(node: SelectNode, cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(IN_ORDER);
  walkSelection(node, cursor, params);
  walkCondition(node.where, cursor, params, walkSubquery);
  walkGroupBy(node, cursor, params);
  walkCondition(node.having, cursor, params, walkSubquery);
  walkOrderBy(node, cursor, params);
  cursor.step(node.limit);
  cursor.step(node.offset);
}

function walkSelection(node: SelectNode, cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(node.selection.kind);
  // The column list's memoized text: one string per selection node (see compileSelection).
  if (node.selection.kind === 'columns' && !cursor.stepByAlias(node.selection)) cursor.step(compileSelection(node.selection), node.selection);
  if (node.selection.kind === 'items') {
    // A selection without values (the common case) is one token: its node, made once per
    // argument list (see query/selection.ts).
    if (isStaticSelection(node.selection)) {
      cursor.step(node.selection);
    } else {
      cursor.step(node.selection.items.length);
      for (const item of node.selection.items) {
        cursor.step(item.key);
        walkExpression(item.expression, cursor, params, walkSubquery);
      }
    }
  }
  cursor.step(node.distinct === true);
  if (node.countDistinct !== undefined) {
    cursor.step(node.countDistinct.length);
    for (const expression of node.countDistinct) walkExpression(expression, cursor, params, walkSubquery);
  }
}

function walkGroupBy(node: SelectNode, cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(node.groupBy?.length);
  for (const expression of node.groupBy ?? []) {
    const position = selectedPosition(node, expression);
    if (position !== undefined) cursor.step(position);
    else walkExpression(expression, cursor, params, walkSubquery);
  }
}

function walkOrderBy(node: SelectNode, cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(node.orderBy.length);
  for (const order of node.orderBy) {
    const position = selectedPosition(node, order.column);
    // A plain column steps as itself (the common shapes are as before); expressions are walked.
    if (position !== undefined) cursor.step(position);
    else if (order.column.kind === 'column') cursor.step(order.column);
    else walkExpression(order.column, cursor, params, walkSubquery);
    cursor.step(order.direction);
  }
}

/** Whether anything of the select but its WHERE, LIMIT and OFFSET holds a value (or a subquery). */
function frameHoldsValues(node: SelectNode): boolean {
  const { selection } = node;
  if (selection.kind === 'items' && !isStaticSelection(selection)) return true;
  if (node.having !== undefined) return true;
  if (node.countDistinct !== undefined && node.countDistinct.some(holdsValues)) return true;
  if (node.groupBy !== undefined && node.groupBy.some(holdsValues)) return true;
  return node.orderBy.some((order) => holdsValues(order.column));
}

/**
 * The 1-based position of `expression` in the select list, when it is selected and holds
 * parameters (`select(tier.as('tier')).groupBy(tier)`): GROUP BY and ORDER BY then name the
 * position. Written out again, its parameters would be new ones, and PostgreSQL cannot tell
 * that `CASE WHEN x > $1 ...` in GROUP BY is the `CASE WHEN x > $6 ...` of the select list.
 * Expressions without parameters are written out, as always.
 */
function selectedPosition(node: SelectNode, expression: ExpressionNode): number | undefined {
  if (node.selection.kind !== 'items' || !holdsValues(expression)) return undefined;
  const index = node.selection.items.findIndex((item) => sameNode(item.expression, expression));
  return index === -1 ? undefined : index + 1;
}

/**
 * Whether two nodes are the same expression: the same object, or built alike with equal values
 * (`tier()` called once for select and once for groupBy). Tables, columns and join steps are
 * made once, so they compare as themselves.
 */
function sameNode(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || a instanceof Map || b instanceof Map) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((byte, index) => byte === b[index]);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => sameNode((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

const staticSelections = new WeakMap<SelectionNode, boolean>();

/** Whether a selection holds no parameter (nor subquery): its text then depends on its node alone. */
function isStaticSelection(selection: SelectionNode & { kind: 'items' }): boolean {
  let result = staticSelections.get(selection);
  if (result === undefined) {
    result = selection.items.every((item) => !holdsValues(item.expression));
    staticSelections.set(selection, result);
  }
  return result;
}

function holdsValues(node: ExpressionNode): boolean {
  switch (node.kind) {
    case 'value':
    case 'subquery':
    case 'raw':
      return true;
    case 'binary':
      return holdsValues(node.left) || holdsValues(node.right);
    case 'function':
      return node.args.some(holdsValues);
    case 'aggregate':
      return node.arg !== undefined && holdsValues(node.arg);
    case 'cast':
    case 'date-part':
      return holdsValues(node.expression);
    case 'case':
      // Its conditions hold values (`gt(1000)`): never static.
      return true;
    default:
      return false;
  }
}

function walkAssignments(assignments: readonly AssignmentNode[], cursor: ShapeCursor, params: SqlValue[]): void {
  cursor.step(assignments.length);
  for (const assignment of assignments) {
    cursor.step(assignment.column);
    if (assignment.value.kind === 'value') params.push(assignment.value.value);
    else walkExpression(assignment.value, cursor, params, walkSubquery);
  }
}

function walkReturning(columns: readonly ColumnRefNode[] | undefined, cursor: ShapeCursor): void {
  cursor.step(columns === undefined ? undefined : columnList(columns));
}

function sameValues(a: readonly SqlValue[], b: readonly SqlValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

// ---- text

function context(table: SelectNode['table'], params: SqlValue[], joins: SqlContext['joins'], dialect: SqlDialect, decimals: SqlContext['decimals']): SqlContext {
  return { params, table, joins, dialect, decimals, subquery: (query, queryParams) => compileSelect(query, queryParams, dialect, decimals) };
}

function compileSelect(node: SelectNode, params: SqlValue[], dialect: SqlDialect, decimals: SqlContext['decimals']): string {
  const items = node.selection.kind === 'items' ? node.selection.items.map((item) => item.expression) : [];
  const joins = collectJoins(node.table, [...items, ...(node.countDistinct ?? []), node.where, ...(node.groupBy ?? []), node.having, ...node.orderBy.map((order) => order.column)]);
  const sqlContext = context(node.table, params, joins, dialect, decimals);
  if (node.selection.kind === 'exists') {
    return `SELECT EXISTS(SELECT 1 FROM ${node.table.quoted}${compileJoins(sqlContext)}${compileWhere(node.where, sqlContext)}) AS "exists"`;
  }
  if (node.countDistinct !== undefined) {
    const distinct = node.countDistinct.map((expression) => compileExpression(expression, sqlContext)).join(', ');
    return `SELECT COUNT(*) AS "count" FROM (SELECT DISTINCT ${distinct} FROM ${node.table.quoted}${compileJoins(sqlContext)}${compileWhere(node.where, sqlContext)})${dialect.derivedTableAlias}`;
  }
  let sql = `SELECT ${node.distinct === true ? 'DISTINCT ' : ''}${compileSelectList(node.selection, sqlContext)} FROM ${node.table.quoted}${compileJoins(sqlContext)}`;
  sql += compileWhere(node.where, sqlContext);
  if (node.groupBy !== undefined && node.groupBy.length > 0) {
    sql += ' GROUP BY ' + node.groupBy.map((expression) => selectedPosition(node, expression) ?? compileExpression(expression, sqlContext)).join(', ');
  }
  if (node.having !== undefined) sql += ` HAVING ${compileCondition(node.having, sqlContext)}`;
  if (node.orderBy.length > 0) {
    sql +=
      ' ORDER BY ' +
      node.orderBy
        .map((order) => `${selectedPosition(node, order.column) ?? compileOperand(order.column, sqlContext)} ${dialect.orderDirection(order.direction, mayBeNull(order.column))}`)
        .join(', ');
  }
  return sql + dialect.limitOffset(node.limit, node.offset);
}

function compileSelectList(selection: SelectionNode, sqlContext: SqlContext): string {
  if (selection.kind !== 'items') {
    // Own columns only: bare names in a single-table statement (memoized), qualified with joins.
    if (sqlContext.joins === undefined || selection.kind !== 'columns') return compileSelection(selection);
    return selection.columns.map((column) => withKey(compileExpression(column, sqlContext), column.key)).join(', ');
  }
  return selection.items
    .map((item) => {
      const sql = compileExpression(item.expression, sqlContext);
      // A bare column already comes back under its own name.
      return item.expression.kind === 'column' && sqlContext.joins === undefined ? withKey(sql, item.key) : `${sql} AS ${quoteIdentifier(item.key)}`;
    })
    .join(', ');
}

function compileSelection(selection: SelectionNode): string {
  let sql = selectionCache.get(selection);
  if (sql === undefined) {
    sql = selection.kind === 'count' ? 'COUNT(*) AS "count"' : resultColumnList(selection.kind === 'columns' ? selection.columns : []);
    selectionCache.set(selection, sql);
  }
  return sql;
}

function compileInsert(node: InsertNode, params: SqlValue[], compiler: Compiler, decimals: SqlContext['decimals']): string {
  const { dialect } = compiler;
  const sqlContext = context(node.table, params, undefined, dialect, decimals);
  let sql = dialect.insertInto(node);
  if (node.columns.length === 0) {
    sql += ' DEFAULT VALUES';
  } else {
    const { columnList: names, tuple } = insertShape(node.columns, compiler);
    sql += ` (${names}) VALUES `;
    if (dialect.anonymousPlaceholders) {
      sql += node.rows.length === 1 ? tuple : node.rows.map(() => tuple).join(', ');
      for (const row of node.rows) for (const value of row) params.push(value.value);
    } else {
      const tuple = (row: readonly ValueNode[]) => row.map((value, index) => dialect.insertValue(node.table, node.columns[index]!, parameter(value, sqlContext)));
      sql += node.rows.map((row) => `(${tuple(row).join(', ')})`).join(', ');
    }
  }
  sql += dialect.insertConflictSuffix(node);
  // PostgreSQL's DO UPDATE sees the table and EXCLUDED: its columns are named with their table.
  const upsertContext = dialect.qualifyUpsertColumns ? context(node.table, params, new Map(), dialect, decimals) : sqlContext;
  for (const upsert of node.upserts ?? []) sql += compileUpsert(upsert, upsertContext, node.columns.length === 0);
  return sql + compileReturning(node.returning);
}

/** `ON CONFLICT (target) DO NOTHING | DO UPDATE SET ... WHERE ...` (SQLite takes several, tried in order). */
function compileUpsert(upsert: UpsertNode, sqlContext: SqlContext, defaultValues: boolean): string {
  if (defaultValues) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `onConflict({ ... }) needs an insert that names its columns; SQLite has no upsert for DEFAULT VALUES.`);
  }
  let sql = ' ON CONFLICT';
  if (upsert.target.length > 0) sql += ` (${columnList(upsert.target)})`;
  if (upsert.action === 'doNothing') return sql + ' DO NOTHING';
  sql += ' DO UPDATE SET ' + compileAssignments(upsert.set, sqlContext);
  if (upsert.where !== undefined) sql += ` WHERE ${compileCondition(upsert.where, sqlContext)}`;
  return sql;
}

/** The column list and one `(?, ?)` tuple, kept per column array (tables reuse it per insert shape). */
interface InsertShape {
  readonly columnList: string;
  /** One row's placeholders, for a dialect whose placeholders are all alike. */
  readonly tuple: string;
  /** The statement inserting one row of these columns, without OR/RETURNING. */
  singleRow?: ShapeResult;
}

function insertShape(columns: readonly ColumnRefNode[], compiler: Compiler): InsertShape {
  // Inserts in a loop repeat one column array: one comparison before the WeakMap's lookup.
  const last = compiler.lastInsertShape;
  if (last !== undefined && last.columns === columns) return last.shape;
  let shape = compiler.insertShapes.get(columns);
  if (shape === undefined) {
    const { dialect } = compiler;
    shape = { columnList: columnList(columns), tuple: `(${columns.map((_, index) => dialect.placeholder(index + 1)).join(', ')})` };
    compiler.insertShapes.set(columns, shape);
  }
  compiler.lastInsertShape = { columns, shape };
  return shape;
}

function compileAssignments(assignments: readonly AssignmentNode[], sqlContext: SqlContext): string {
  return assignments.map((assignment) => `${assignment.column.quoted} = ${compileExpression(assignment.value, sqlContext)}`).join(', ');
}

function compileUpdate(node: UpdateNode, params: SqlValue[], dialect: SqlDialect, decimals: SqlContext['decimals']): string {
  const sqlContext = context(node.table, params, undefined, dialect, decimals);
  return `UPDATE ${node.table.quoted} SET ${compileAssignments(node.assignments, sqlContext)}${compileMutationWhere(node.table, node.where, sqlContext)}${compileReturning(node.returning)}`;
}

function compileDelete(node: DeleteNode, params: SqlValue[], dialect: SqlDialect, decimals: SqlContext['decimals']): string {
  const sqlContext = context(node.table, params, undefined, dialect, decimals);
  return `DELETE FROM ${node.table.quoted}${compileMutationWhere(node.table, node.where, sqlContext)}${compileReturning(node.returning)}`;
}

/**
 * An UPDATE or DELETE cannot join: a where() on joined columns (`Band.manager.name.eq('Guido')`)
 * picks the rows by rowid (the dialect's row identity) in a subquery that joins, as Piccolo does.
 */
function compileMutationWhere(table: SelectNode['table'], where: ConditionNode | undefined, sqlContext: SqlContext): string {
  if (where === undefined) return '';
  const joins = collectJoins(table, [where]);
  if (joins === undefined) return compileWhere(where, sqlContext);
  const joined = context(table, sqlContext.params, joins, sqlContext.dialect, sqlContext.decimals);
  const rowId = sqlContext.dialect.rowIdentity;
  return ` WHERE ${rowId} IN (SELECT ${table.quoted}.${rowId} FROM ${table.quoted}${compileJoins(joined)}${compileWhere(where, joined)})`;
}

function compileReturning(columns: readonly ColumnRefNode[] | undefined): string {
  return columns === undefined ? '' : ` RETURNING ${resultColumnList(columns)}`;
}

function compileWhere(condition: ConditionNode | undefined, sqlContext: SqlContext): string {
  return condition === undefined ? '' : ` WHERE ${compileCondition(condition, sqlContext)}`;
}


/** Columns read back into rows: a column named differently in SQL (`columnName`) comes back under its key. */
function resultColumnList(columns: readonly ColumnRefNode[]): string {
  return columns.map((column) => withKey(column.quoted, column.key)).join(', ');
}

/** `sql AS "key"`, unless `sql` is the bare column already named `key`. */
function withKey(sql: string, key: string): string {
  const quotedKey = quoteIdentifier(key);
  return sql === quotedKey ? sql : `${sql} AS ${quotedKey}`;
}

function columnList(columns: readonly ColumnRefNode[]): string {
  return columns.map((column) => column.quoted).join(', ');
}

function isBigIntColumn(column: ColumnRefNode): boolean {
  return readsAsBigInt(column.spec);
}

/** bigint columns, and numerics (up to 18 digits: beyond 2^53) are read as 64-bit integers. */
function readsAsBigInt(spec: ColumnSpec): boolean {
  const type = valueSpec(spec).type;
  return type === 'bigint' || type === 'numeric';
}

/** Whether a selection holds a bigint value (the engine then reads every integer as bigint). */
export function readsBigInts(selection: SelectionNode): boolean {
  if (selection.kind === 'columns') return selection.columns.some(isBigIntColumn);
  if (selection.kind !== 'items') return false;
  return selection.items.some((item) => {
    const spec = specOf(item.expression);
    return spec !== undefined && readsAsBigInt(spec);
  });
}
