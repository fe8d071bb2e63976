import type { CompiledQuery, ExecutionResult } from '../compiler/compiled-query.js';
import { compileQuery } from '../compiler/query-compiler.js';
import type { DialectName } from '../dialect/dialect.js';
import { dialectOf } from '../dialect/dialects.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnRefNode, ConditionNode, ExpressionNode, RawNode, SelectItemNode, SelectionNode, SelectNode } from '../operation-node/nodes.js';
import { Column } from '../schema/column.js';
import { conjunction, nodeOf, type Condition, type Filter, type ParamsOfFilters } from '../schema/condition.js';
import { describe, Expression } from '../schema/expression.js';
import { decodeRows, decodersForItems, type TableInfo } from '../schema/table-info.js';
import type { Nested, RowOfSelection, Selectable, Simplify } from '../schema/table-types.js';
import { selectionOf } from './selection.js';
import { Query } from './query.js';
import type { NoParams } from './param.js';

export type OrderDirection = 'asc' | 'desc';

/**
 * Shared by every query with a WHERE clause: each `where` call adds its conditions with AND,
 * and several conditions in one call are joined with AND too (as Piccolo's `where(*args)`).
 * Aggregates are refused here (SQLite evaluates WHERE per row): `having()` filters groups.
 */
export function addCondition(table: TableInfo, current: ConditionNode | undefined, conditions: readonly Filter[], usedIn: string): ConditionNode {
  if (conditions.length === 0) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${usedIn} on "${table.name}" got no condition. Pass one or more, for example .where(${table.name}.id.eq(1)); several must all hold.`,
    );
  }
  let added: ConditionNode;
  if (conditions.length === 1) {
    // The common case, on the hot path of point queries: no intermediate arrays.
    added = nodeOf(conditions[0] as Condition);
    table.checkCondition(added, usedIn, NO_AGGREGATES);
  } else {
    const nodes = conditions.map((condition) => nodeOf(condition as Condition));
    for (const node of nodes) table.checkCondition(node, usedIn, NO_AGGREGATES);
    added = conjunction('and', nodes, usedIn);
  }
  return current === undefined ? added : conjunction('and', [current, added], usedIn);
}

const NO_AGGREGATES = { aggregates: false } as const;

/**
 * How rows come back: flat keys (`'manager.name'`) or nested objects (`{ manager: { name } }`);
 * with `asList`, the one selected value of each row instead of the row.
 */
interface OutputOptions {
  readonly nested: boolean;
  readonly asList: boolean;
}

const FLAT: OutputOptions = { nested: false, asList: false };

/** What `output()` takes. */
export interface OutputSettings {
  /** Joined values as objects: `{ manager: { name } }` instead of `{ 'manager.name': ... }`. */
  readonly nested?: boolean;
  /** Each row's one selected value instead of the row: `['Pythonistas', ...]`. */
  readonly asList?: boolean;
  /** The rows as a JSON string (a terminal step: the query resolves to a string). */
  readonly asJson?: boolean;
}

/** `output({ asList: true })` needs rows of exactly one key; otherwise a property the call lacks names the problem. */
type OneSelectedValue<TRow> = [keyof TRow] extends [never]
  ? { readonly 'output({ asList: true }) needs exactly one selected value': never }
  : true extends IsUnion<keyof TRow>
    ? { readonly 'output({ asList: true }) needs exactly one selected value': never }
    : unknown;

type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;

/**
 * `Band.select(...)`: resolves to an array of rows. `TTable` is the table's name (what
 * `columns()` may add); `TAll` whether it still selects every column by default (`select()`
 * with no arguments), which the first `columns()` call replaces. `P`: its named parameters (see `Query`).
 */
export class SelectQuery<TRow, E extends Engine = Engine, TTable extends string = string, TAll extends boolean = false, P = NoParams> extends Query<TRow[], E, P> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    protected readonly table: TableInfo,
    readonly node: SelectNode,
    private readonly outputOptions: OutputOptions = FLAT,
  ) {
    super(engine);
  }

  /** Adds conditions that must all hold: `where(a, b)` is `where(and(a, b))`, and so are several `where` calls. */
  where<C extends Filter[]>(...conditions: C): SelectQuery<TRow, E, TTable, TAll, P & ParamsOfFilters<C>> {
    return this.derive({ ...this.node, where: addCondition(this.table, this.node.where, conditions, 'where()') });
  }

  /**
   * Sorts by a column or expression (`Band.manager.name`, `count()`, `random()`); later calls
   * break ties of earlier ones.
   */
  orderBy(column: Expression<any, boolean, string, string>, direction: OrderDirection = 'asc'): SelectQuery<TRow, E, TTable, TAll, P> {
    if (direction !== 'asc' && direction !== 'desc') {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `orderBy() direction must be 'asc' or 'desc', got ${JSON.stringify(direction)}.`);
    }
    const order = { column: this.orderExpression(column), direction: direction === 'asc' ? 'ASC' : 'DESC' } as const;
    return this.derive({ ...this.node, orderBy: [...this.node.orderBy, order] });
  }

  /** Groups rows by these columns or expressions, for aggregates: `select(Band.manager.name, count()).groupBy(Band.manager.name)`. */
  groupBy(...columns: Expression<any, boolean, string, string>[]): SelectQuery<TRow, E, TTable, TAll, P> {
    if (columns.length === 0) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `groupBy() needs at least one column, for example groupBy(Band.manager).`);
    const groupBy = columns.map((column) => {
      if (!(column instanceof Expression)) {
        throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `groupBy() on "${this.table.name}" takes columns or expressions, got ${describe(column)}.`);
      }
      this.table.checkExpression(column.node, 'groupBy()', { aggregates: false });
      return column.node;
    });
    return this.derive({ ...this.node, groupBy: [...(this.node.groupBy ?? []), ...groupBy] });
  }

  /** Conditions on groups, which may use aggregates: `having(count().gt(1))`. Several must all hold. */
  having<C extends Filter[]>(...conditions: C): SelectQuery<TRow, E, TTable, TAll, P & ParamsOfFilters<C>> {
    if (conditions.length === 0) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `having() on "${this.table.name}" got no condition, for example having(count().gt(1)).`);
    const nodes = conditions.map((condition) => nodeOf(condition as Condition));
    for (const node of nodes) this.table.checkCondition(node, 'having()');
    const all = this.node.having === undefined ? nodes : [this.node.having, ...nodes];
    return this.derive({ ...this.node, having: all.length === 1 ? all[0]! : conjunction('and', all, 'having()') });
  }

  /**
   * Adds columns (or expressions, joined columns, lists of them) to the selection, as Piccolo's
   * `columns()`: on `select()` with no arguments, the first call replaces "every column" with
   * these (`Band.select().columns(Band.name)` selects just the name); otherwise they are added
   * after the columns already selected. A new query, as every query method makes: the one it
   * was called on is unchanged. Not after `output({ nested })` or `output({ asList })`.
   */
  columns<S extends Selectable<TTable>[]>(...columns: S): SelectQuery<TAll extends true ? RowOfSelection<S> : Simplify<TRow & RowOfSelection<S>>, E, TTable, false, P> {
    if (this.outputOptions.nested || this.outputOptions.asList) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `columns() on "${this.table.name}" comes before output(): call output() last.`);
    }
    if (columns.length === 0) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `columns() on "${this.table.name}" needs at least one column, for example columns(${this.table.name}.id).`);
    const added = selectionOf(this.table, columns);
    const selection = this.node.selection === this.table.allColumns ? added : mergedSelection(this.node.selection, added, this.table.name);
    return new SelectQuery(this.engine, this.table, { ...this.node, selection }, this.outputOptions);
  }

  /** Only distinct rows (`SELECT DISTINCT`). */
  distinct(): SelectQuery<TRow, E, TTable, TAll, P> {
    return this.derive({ ...this.node, distinct: true });
  }

  /**
   * How rows come back. `{ nested: true }`: joined values as objects, `{ manager: { name } }`
   * instead of `{ 'manager.name': ... }`. `{ asList: true }`: a query of one selected value
   * resolves to those values (`Band.select(Band.name).output({ asList: true })` is
   * `['Pythonistas', ...]`). `{ asJson: true }`: to the rows as a JSON string (Dates as ISO
   * text, bigints as decimal strings, bytes as base64), a last step after which the query
   * takes no other method.
   */
  output(options: { nested: true }): SelectQuery<Nested<TRow>, E, never, false, P>;
  output(options: { nested: false }): SelectQuery<TRow, E, TTable, TAll, P>;
  output(options: { asList: true } & OneSelectedValue<TRow>): SelectQuery<TRow[keyof TRow], E, never, false, P>;
  output(options: { asJson: true; nested?: boolean }): JsonQuery<E, P>;
  output(options: OutputSettings): Query<unknown, E, P> {
    if (options === null || typeof options !== 'object') throw badOutput(options);
    const { nested, asList, asJson } = options;
    if (![nested, asList, asJson].every((flag) => flag === undefined || typeof flag === 'boolean') || (nested === undefined && asList === undefined && asJson === undefined)) {
      throw badOutput(options);
    }
    if (nested === true && asList === true) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `output() takes nested or asList, not both: a list holds one value per row, with nothing to nest.`);
    }
    if (this.outputOptions.asList && asJson !== true) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `output() on "${this.table.name}": this query already returns a list of values (asList); only { asJson: true } may follow.`);
    }
    if (nested === true) checkNestable(this.node, this.table.name);
    if (asList === true) listKey(this.node, this.table.name);
    const output: OutputOptions = { nested: nested ?? (asJson === true ? this.outputOptions.nested : false), asList: asList ?? this.outputOptions.asList };
    if (asJson === true) return new JsonQuery(this.engine, this.table, this.node, output);
    return new SelectQuery(this.engine, this.table, this.node, output);
  }

  limit(count: number): SelectQuery<TRow, E, TTable, TAll, P> {
    return this.derive({ ...this.node, limit: checkCount(count, 'limit') });
  }

  offset(count: number): SelectQuery<TRow, E, TTable, TAll, P> {
    return this.derive({ ...this.node, offset: checkCount(count, 'offset') });
  }

  /** The first row, or `undefined` when there is none. */
  first(): FirstQuery<TRow, E, P> {
    return new FirstQuery(this.engine, this.table, { ...this.node, limit: 1 }, this.outputOptions);
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node, dialectOf(this.engine)));
  }

  /**
   * Reads the rows in pages of `size`, one query per page, never all at once:
   * `for await (const rows of Band.select().batch(1000))`. Pages follow the rowid (each starts
   * after the last row read), so rows written meanwhile never make a page repeat or skip a row
   * that existed throughout. A query with orderBy, limit, offset, groupBy or distinct is refused:
   * its pages could not follow the rowid. On PostgreSQL, whose tables have no rowid, pages follow
   * the primary key the same way (a table without one is refused).
   */
  async *batch(size: number): AsyncGenerator<TRow[], void, undefined> {
    const pages = this.pages(size, 'batch');
    let after: unknown;
    for (;;) {
      const rows = await pages.after(after);
      if (rows.length === 0) return;
      after = takeRowids(rows);
      yield this.listed(rows);
      if (rows.length < size) return;
    }
  }

  /** `batch()` for `.runSync()` users: `for (const rows of Band.select().batchSync(1000))`. */
  *batchSync(size: number): Generator<TRow[], void, undefined> {
    const pages = this.pages(size, 'batchSync');
    let after: unknown;
    for (;;) {
      const rows = pages.after(after).runSync();
      if (rows.length === 0) return;
      after = takeRowids(rows);
      yield this.listed(rows);
      if (rows.length < size) return;
    }
  }

  protected decode(result: ExecutionResult): TRow[] {
    return decodeSelection<TRow>(result.rows, this.table, this.node, this.outputOptions);
  }

  protected override decoder(): (result: ExecutionResult) => TRow[] {
    if (this.outputOptions.nested || this.outputOptions.asList) return super.decoder();
    const decoders = selectionDecoders(this.table, this.node);
    return (result) => decodeRows<TRow>(result.rows, decoders);
  }

  /** The page queries of `batch(size)`: this query plus its rowid, after a given rowid, in rowid order. */
  private pages(size: number, method: string): { after(rowid: unknown): SelectQuery<Record<string, unknown>, E> } {
    if (!Number.isSafeInteger(size) || size <= 0) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${method}() takes a page size, a whole number above 0; got ${String(size)}.`);
    }
    const node = this.node;
    const dialect = dialectOf(this.engine);
    if (node.orderBy.length > 0 || node.limit !== undefined || node.offset !== undefined || node.groupBy !== undefined || node.distinct === true || node.having !== undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `${method}() on "${this.table.name}" reads pages in ${dialect === 'sqlite' ? 'rowid' : 'primary key'} order, so the query cannot have orderBy, limit, offset, groupBy or distinct. ` +
          `Remove them, or read the rows with one query.`,
      );
    }
    const rowid = rowidExpressions(this.table, dialect, method);
    const selection = node.selection;
    const items = selection.kind === 'columns' ? selection.columns.map((column) => ({ expression: column, key: column.key })) : selection.kind === 'items' ? selection.items : [];
    const paged: SelectNode = { ...node, selection: { kind: 'items', items: [...items, { expression: rowid.column, key: ROWID_KEY }] }, orderBy: [{ column: rowid.column, direction: 'ASC' }], limit: size };
    return {
      after: (last) => {
        const where: ConditionNode | undefined =
          last === undefined ? node.where : addNode(node.where, { kind: 'raw-condition', raw: { kind: 'raw', strings: rowid.after, args: [{ kind: 'value', value: last as number }] } });
        // Pages keep their rows whole until the rowid is taken off (see `listed`).
        return new SelectQuery(this.engine, this.table, { ...paged, where }, { ...this.outputOptions, asList: false });
      },
    };
  }

  /** A page's rows as this query returns them: with `asList`, each row's one value. */
  private listed(rows: Record<string, unknown>[]): TRow[] {
    if (!this.outputOptions.asList) return rows as TRow[];
    const key = listKey(this.node, this.table.name);
    return rows.map((row) => row[key]) as TRow[];
  }

  private derive(node: SelectNode): SelectQuery<TRow, E, TTable, TAll, any> {
    return new SelectQuery(this.engine, this.table, node, this.outputOptions);
  }

  private orderExpression(column: unknown): ExpressionNode {
    // The table's own columns keep the message that lists them.
    if (!(column instanceof Expression) || (column instanceof Column && column.node.kind === 'column' && !this.table.owns(column.node))) {
      return this.table.columnNode(column as Column, 'orderBy()');
    }
    this.table.checkExpression(column.node, 'orderBy()');
    return column.node;
  }
}

const mergedSelections = new WeakMap<SelectionNode, WeakMap<SelectionNode, SelectionNode>>();

/**
 * `current` followed by `added`, made once per pair: both are made once per argument list
 * (see selection.ts), so a query built in a loop keeps one selection node and one shape.
 */
function mergedSelection(current: SelectionNode, added: SelectionNode, table: string): SelectionNode {
  let byAdded = mergedSelections.get(current);
  if (byAdded === undefined) mergedSelections.set(current, (byAdded = new WeakMap()));
  let merged = byAdded.get(added);
  if (merged === undefined) {
    if (current.kind === 'columns' && added.kind === 'columns') {
      merged = { kind: 'columns', columns: [...current.columns, ...added.columns] };
    } else {
      merged = { kind: 'items', items: [...itemsOf(current), ...itemsOf(added)] };
    }
    const keys = selectedKeys({ selection: merged } as SelectNode);
    const twice = keys.find((key, index) => keys.indexOf(key) !== index);
    if (twice !== undefined) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `columns() on "${table}" would return two values under the key "${twice}". Rename one with .as('otherName').`);
    }
    byAdded.set(added, merged);
  }
  return merged;
}

function itemsOf(selection: SelectionNode): readonly SelectItemNode[] {
  if (selection.kind === 'items') return selection.items;
  if (selection.kind === 'columns') return selection.columns.map((column) => ({ expression: column, key: column.key }));
  return [];
}

/** The key the rowid travels under in `batch()` pages ("$" names can never be columns). */
const ROWID_KEY = '$rowid';

interface RowidExpressions {
  readonly column: RawNode;
  readonly after: readonly string[];
}

const rowidCache = new WeakMap<TableInfo, Map<DialectName, RowidExpressions>>();

/**
 * `"band"."rowid"` and the text around `"band"."rowid" > ?`, one of each per table and dialect
 * (stable shapes). PostgreSQL has no rowid (its `ctid` changes when a row is updated): the
 * primary key orders the pages there.
 */
function rowidExpressions(table: TableInfo, dialect: DialectName, method: string): RowidExpressions {
  let byDialect = rowidCache.get(table);
  if (byDialect === undefined) rowidCache.set(table, (byDialect = new Map()));
  let cached = byDialect.get(dialect);
  if (cached === undefined) {
    const rowid = `${table.ref.quoted}.${dialect === 'sqlite' ? '"rowid"' : primaryKeyOf(table, method).quoted}`;
    cached = { column: { kind: 'raw', strings: [rowid], args: [] }, after: [`${rowid} > `, ''] };
    byDialect.set(dialect, cached);
  }
  return cached;
}

function primaryKeyOf(table: TableInfo, method: string): ColumnRefNode {
  const column = table.primaryKey === undefined ? undefined : table.columns.get(table.primaryKey);
  if (column === undefined) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${method}() on "${table.name}" reads pages in primary key order on PostgreSQL, and "${table.name}" has no primary key. ` +
        `Give it one (serial() or .primaryKey()), or read the rows with one query.`,
    );
  }
  return column;
}

/** Removes each row's rowid and returns the last one. */
function takeRowids(rows: Record<string, unknown>[]): unknown {
  let last: unknown;
  for (const row of rows) {
    last = row[ROWID_KEY];
    delete row[ROWID_KEY];
  }
  return last;
}

function addNode(current: ConditionNode | undefined, node: ConditionNode): ConditionNode {
  return current === undefined ? node : conjunction('and', [current, node], 'batch()');
}

/** `select(...).first()`: resolves to one row or `undefined`. */
export class FirstQuery<TRow, E extends Engine = Engine, P = NoParams> extends Query<TRow | undefined, E, P> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly table: TableInfo,
    readonly node: SelectNode,
    private readonly outputOptions: OutputOptions = FLAT,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    if (this.compiled !== undefined) return this.compiled;
    const compiled = compileQuery(this.node, dialectOf(this.engine));
    // A statement with values is a fresh object of this query's own: set its mode rather than
    // copy it (a copy cost a point select ~3% in a profile). One without values may be shared (cached).
    if (compiled.params.length > 0) (compiled as { mode: CompiledQuery['mode'] }).mode = 'first';
    return (this.compiled = compiled.params.length > 0 ? compiled : { ...compiled, mode: 'first' });
  }

  protected decode(result: ExecutionResult): TRow | undefined {
    return decodeSelection<TRow>(result.rows, this.table, this.node, this.outputOptions)[0];
  }

  protected override decoder(): (result: ExecutionResult) => TRow | undefined {
    if (this.outputOptions.nested || this.outputOptions.asList) return super.decoder();
    const decoders = selectionDecoders(this.table, this.node);
    return (result) => {
      const row = result.rows[0];
      if (row === undefined) return undefined;
      for (let index = 0; index < decoders.length; index++) {
        const { key, decode } = decoders[index]!;
        row[key] = decode(row[key]);
      }
      return row as TRow;
    };
  }
}

function decodeSelection<TRow>(rows: readonly Record<string, unknown>[], table: TableInfo, node: SelectNode, output: OutputOptions): TRow[] {
  const decoded = decodeRows<TRow>(rows, selectionDecoders(table, node));
  if (output.asList) {
    const key = listKey(node, table.name);
    return decoded.map((row) => (row as Record<string, unknown>)[key]) as TRow[];
  }
  return output.nested ? (decoded.map(nest) as TRow[]) : decoded;
}

function selectionDecoders(table: TableInfo, node: SelectNode): ReturnType<typeof decodersForItems> {
  const selection = node.selection;
  return selection.kind === 'items' ? decodersForItems(selection.items) : table.decodersFor(selectedColumns(node));
}

/** The one result key of a query whose rows become a list of values (`output({ asList: true })`). */
function listKey(node: SelectNode, table: string): string {
  const keys = selectedKeys(node);
  if (keys.length !== 1) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `output({ asList: true }) on "${table}" needs exactly one selected value, for example ${table}.select(${table}.name).output({ asList: true }); this query selects ${keys.length === 0 ? 'none' : keys.length}.`,
    );
  }
  return keys[0]!;
}

function selectedKeys(node: SelectNode): string[] {
  return node.selection.kind === 'items' ? node.selection.items.map((item) => item.key) : node.selection.kind === 'columns' ? node.selection.columns.map((column) => column.key) : [];
}

function badOutput(options: unknown): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_QUERY, `output() takes { nested: boolean }, { asList: true } or { asJson: true }; got ${describe(options)}.`);
}

/** `select(...).output({ asJson: true })`: resolves to the rows as a JSON string. */
export class JsonQuery<E extends Engine = Engine, P = NoParams> extends Query<string, E, P> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly table: TableInfo,
    readonly node: SelectNode,
    private readonly outputOptions: OutputOptions,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node, dialectOf(this.engine)));
  }

  protected decode(result: ExecutionResult): string {
    return JSON.stringify(decodeSelection(result.rows, this.table, this.node, this.outputOptions), jsonValue);
  }
}

/** JSON for the values JSON.stringify cannot write: bigints as decimal strings, bytes as base64. */
function jsonValue(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (typeof original === 'bigint') return original.toString();
  if (original instanceof Uint8Array) return base64(original);
  return value;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return globalThis.btoa(binary);
}

/** `{ 'manager.name': 'Guido' }` to `{ manager: { name: 'Guido' } }`. */
function nest(row: unknown): unknown {
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
    const parts = key.split('.');
    let target = nested;
    for (let index = 0; index < parts.length - 1; index++) target = (target[parts[index]!] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]!] = value;
  }
  return nested;
}

/** Refuses nesting when a key is both a value and a prefix (`manager` and `manager.name`). */
function checkNestable(node: SelectNode, table: string): void {
  const keys = selectedKeys(node);
  const prefixes = new Set(keys.flatMap((key) => key.split('.').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('.'))));
  const clash = keys.find((key) => prefixes.has(key));
  if (clash !== undefined) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `output({ nested: true }) on "${table}": "${clash}" is both a value and an object of joined values. Select it under another key with .as('${clash}Id').`,
    );
  }
}

/** `Band.count()`: resolves to a number. */
export class CountQuery<E extends Engine = Engine, P = NoParams> extends Query<number, E, P> {
  // With a where() its parameters keep it out of the compiler's static cache: memoize per query.
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly table: TableInfo,
    readonly node: SelectNode,
  ) {
    super(engine);
  }

  /** Adds conditions that must all hold, as `SelectQuery.where`. */
  where<C extends Filter[]>(...conditions: C): CountQuery<E, P & ParamsOfFilters<C>> {
    return new CountQuery(this.engine, this.table, { ...this.node, where: addCondition(this.table, this.node.where, conditions, 'where()') });
  }

  /** Counts the distinct combinations of these columns (NULL counting as one value). */
  distinct(columns: readonly Expression<any, boolean, string, string>[]): CountQuery<E, P> {
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every((item) => item instanceof Expression)) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `count().distinct() takes a non-empty array of columns, for example ${this.table.name}.count().distinct([${this.table.name}.name]).`);
    }
    const countDistinct = columns.map((item) => {
      this.table.checkExpression(item.node, 'count().distinct()', { aggregates: false });
      return item.node;
    });
    return new CountQuery(this.engine, this.table, { ...this.node, selection: { kind: 'count' }, countDistinct });
  }

  /** Counts the rows where `column` is not null. */
  column(column: Expression<any, boolean, string, string>): CountQuery<E, P> {
    if (!(column instanceof Expression)) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `count({ column }) takes a column, got ${describe(column)}.`);
    this.table.checkExpression(column.node, 'count({ column })', { aggregates: false });
    const counted = { kind: 'aggregate', name: 'COUNT', arg: column.node, distinct: false, spec: undefined } as const;
    return new CountQuery(this.engine, this.table, { ...this.node, countDistinct: undefined, selection: { kind: 'items', items: [{ expression: counted, key: 'count' }] } });
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node, dialectOf(this.engine)));
  }

  protected decode(result: ExecutionResult): number {
    return Number(result.rows[0]?.['count'] ?? 0);
  }
}

/** `Band.exists()`: resolves to whether any row matches. */
export class ExistsQuery<E extends Engine = Engine, P = NoParams> extends Query<boolean, E, P> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly table: TableInfo,
    readonly node: SelectNode,
  ) {
    super(engine);
  }

  /** Adds conditions that must all hold, as `SelectQuery.where`. */
  where<C extends Filter[]>(...conditions: C): ExistsQuery<E, P & ParamsOfFilters<C>> {
    return new ExistsQuery(this.engine, this.table, { ...this.node, where: addCondition(this.table, this.node.where, conditions, 'where()') });
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node, dialectOf(this.engine)));
  }

  protected decode(result: ExecutionResult): boolean {
    return Number(result.rows[0]?.['exists'] ?? 0) === 1;
  }
}

function selectedColumns(node: SelectNode): readonly ColumnRefNode[] {
  return node.selection.kind === 'columns' ? node.selection.columns : [];
}

function checkCount(count: number, name: string): number {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${name}() takes a whole number of rows, 0 or more; got ${String(count)}.`);
  }
  return count;
}
