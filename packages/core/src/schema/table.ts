/**
 * `defineTable(name, columns, { db })`: the table object users query. Its columns are its
 * properties (`Band.name`); its methods build queries. Metadata lives under `$` names so that
 * it can never collide with a column, and every other internal lives inside `$info`.
 */
import { quoteIdentifier } from '../compiler/quote.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { AssignmentNode, ColumnRefNode, SqlValue, ValueNode } from '../operation-node/nodes.js';
import { DeleteQuery, InsertQuery, UpdateQuery, type RunResult } from '../query/mutation-queries.js';
import { CreateTableQuery, DropTableQuery, TableExistsQuery } from '../query/schema-queries.js';
import { CountQuery, ExistsQuery, SelectQuery } from '../query/select-query.js';
import { selectionOf } from '../query/selection.js';
import { ColumnBuilder } from './column-builder.js';
import { makeColumn, type AnyColumn } from './column.js';
import { checkTarget } from './join.js';
import { TableInfo } from './table-info.js';
import type { AnyTable, ColumnsShape, FullRow, InsertRow, RowOfSelection, Selectable, SelectRow, TableColumnObjects, UpdateSet, ValueOf, VisibleKeys } from './table-types.js';
import { Param, paramNode, paramSlot, type Intersect, type NoParams } from '../query/param.js';
import { encodeLoose, Expression } from './expression.js';
import { tableSchemaOfInfo } from './table-schema.js';
import { encodedValue, encodeValue, valueNodeOf } from './values.js';

/** The table methods that build a query; the linter reads this list too (one source of truth). */
export const TABLE_QUERY_METHODS: ReadonlySet<string> = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'count',
  'exists',
  'tableExists',
  'createTable',
  'dropTable',
]);

/**
 * The query methods that return another query (`Band.select().where(...).groupBy(...)`): the
 * linter follows chains through these (one source of truth, with a test that it matches the
 * query classes).
 */
export const QUERY_CHAIN_METHODS: ReadonlySet<string> = new Set([
  'where',
  'columns',
  'orderBy',
  'limit',
  'offset',
  'first',
  'returning',
  'onConflict',
  'groupBy',
  'having',
  'distinct',
  'output',
  'column',
]);

/** Names a column may not take: the table's methods, and names that would make it thenable or break it. */
export const RESERVED_COLUMN_NAMES: ReadonlySet<string> = new Set([...TABLE_QUERY_METHODS, 'allColumns', 'then', 'constructor', '__proto__', 'toString', 'valueOf']);

/** The columns `Table.allColumns()` returns: all but the secret ones, unless `includeSecrets`. */
type OwnColumns<Name extends string, C extends ColumnsShape, Secrets extends boolean> = TableColumnObjects<Name, C>[(Secrets extends true ? keyof C : VisibleKeys<C>) & string];

export interface TableMethods<Name extends string, C extends ColumnsShape, E extends Engine> extends AnyTable {
  readonly $name: Name;
  readonly $columns: C;
  readonly $engine: E;
  readonly $primaryKey: string | undefined;
  /** Runtime metadata shared by this table's queries. */
  readonly $info: TableInfo;

  /** Every column: `Band.select()`; or just some: `Band.select(Band.name)`. */
  select(): SelectQuery<SelectRow<C>, E, Name, true>;
  /**
   * Columns, joined columns (`Band.manager.name`, key `manager.name`), lists of them
   * (`Band.manager.allColumns()`), expressions and aggregates (`count()`, `lower(Band.name).as('n')`).
   */
  select<S extends Selectable<Name>[]>(...columns: S): SelectQuery<RowOfSelection<S>, E, Name>;
  /**
   * The table's columns as a list for `select()`: all but the secret ones, or with
   * `{ includeSecrets: true }` those too; `{ exclude: [Band.id] }` leaves some out. Mixes with
   * joined columns: `Band.select(Band.allColumns(), Band.manager.allColumns())`.
   */
  allColumns<X extends OwnColumns<Name, C, S> = never, S extends boolean = false>(options?: { exclude?: readonly X[]; includeSecrets?: S }): Exclude<OwnColumns<Name, C, S>, X>[];
  /**
   * One row or many; resolves to `{ changes, lastInsertRowid }` (see `returning`). A value may be
   * a parameter of a prepared query: `insert({ name: param('name') }).prepare()`.
   */
  insert<const R extends WithParams<InsertRow<C>>>(row: R & OnlyKeysOf<R, C>): InsertQuery<RunResult, E, SelectRow<C>, FullRow<C>, ParamsOfValues<C, R>>;
  insert(rows: InsertRow<C> | readonly InsertRow<C>[]): InsertQuery<RunResult, E, SelectRow<C>, FullRow<C>>;
  /**
   * Refused at execution without `where()` unless `{ force: true }`. A value may be a parameter
   * of a prepared query: `update({ popularity: param('popularity') })`.
   */
  update<const V extends WithParams<UpdateSet<C, Name>>>(values: V & OnlyKeysOf<V, C>, options?: { force?: boolean }): UpdateQuery<RunResult, E, SelectRow<C>, ParamsOfValues<C, V>>;
  update(values: UpdateSet<C, Name>, options?: { force?: boolean }): UpdateQuery<RunResult, E, SelectRow<C>>;
  /** Refused at execution without `where()` unless `{ force: true }`. */
  delete(options?: { force?: boolean }): DeleteQuery<RunResult, E, SelectRow<C>>;
  /**
   * Rows; with `{ column }` rows where that column is not null; with `{ distinct: [columns] }`
   * distinct combinations of those columns (NULL counting as one value).
   */
  count(options?: { column?: Expression<any, boolean, string, Name>; distinct?: readonly Expression<any, boolean, string, Name>[] }): CountQuery<E>;
  exists(): ExistsQuery<E>;
  tableExists(): TableExistsQuery<E>;
  createTable(options?: { ifNotExists?: boolean }): CreateTableQuery<E>;
  dropTable(options?: { ifExists?: boolean }): DropTableQuery<E>;
}

/** Row values where any value may also be a `param()`. */
type WithParams<T> = { [K in keyof T]: T[K] | Param };
/** Refuses keys that are not columns (a generic row type would let them through). */
type OnlyKeysOf<R, C> = { [K in Exclude<keyof R, keyof C>]: never };
/** The parameters of row values: `{ name: string }` for `{ name: param('name') }`. */
type ParamsOfValues<C extends ColumnsShape, R> = Intersect<{ [K in keyof R]-?: R[K] extends Param<infer N> ? { [X in N]: ValueOf<C[K & keyof C]> } : never }[keyof R]> & NoParams;

export type Table<Name extends string = string, C extends ColumnsShape = ColumnsShape, E extends Engine = Engine> = TableMethods<Name, C, E> &
  TableColumnObjects<Name, C>;

export interface TableOptions<E extends Engine> {
  /** The engine every query of this table runs on. */
  db?: E;
}

export function defineTable<const Name extends string, const C extends ColumnsShape, E extends Engine = Engine>(
  name: Name,
  columns: C,
  options: TableOptions<E> = {},
): Table<Name, C, E> {
  checkDefinition(name, columns);
  const ref = { kind: 'table', name, quoted: quoteIdentifier(name) } as const;
  const nodes = new Map<string, ColumnRefNode>();
  // `foreignKey('self')` learns its table here; the thunk runs only once the table exists.
  const self: { table?: Table<Name, C, E> } = {};
  for (const [key, builder] of Object.entries(columns)) {
    const spec = builder.spec.selfReference === true ? { ...builder.spec, references: () => self.table! } : builder.spec;
    nodes.set(key, { kind: 'column', key, quoted: quoteIdentifier(builder.spec.dbName ?? key), spec });
  }
  if ([...nodes.values()].every((node) => node.spec.secret === true)) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `Table "${name}" has only secret() columns, so select() would have nothing to return. Leave at least one column visible.`);
  }
  const primaryKeys = [...nodes.values()].filter((node) => node.spec.primaryKey);
  if (primaryKeys.length > 1) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `Table "${name}" has ${primaryKeys.length} primary key columns (${primaryKeys.map((node) => node.key).join(', ')}); ` +
        `Picco supports one. Keep primaryKey() on one column and make the others unique().`,
    );
  }
  const table = new TableImpl(name, columns, options.db as E, new TableInfo(ref, nodes, primaryKeys[0]?.key));
  for (const [key, node] of nodes) {
    Object.defineProperty(table, key, { value: makeColumn(name, key, node), enumerable: true });
  }
  self.table = Object.freeze(table) as unknown as Table<Name, C, E>;
  for (const node of nodes.values()) if (node.spec.selfReference === true) checkTarget(name, node, table.$info);
  return self.table;
}

/**
 * The table object. Its own properties are the `$` metadata and, added by `defineTable`, one
 * property per column; its prototype holds only the query methods (all of them reserved
 * names). Everything else a table needs (caches, helpers) lives in `$info`, out of the way of
 * column names: a column may be called `selectNode` or `hasOwnProperty`.
 */
class TableImpl<Name extends string, C extends ColumnsShape, E extends Engine> {
  constructor(
    readonly $name: Name,
    readonly $columns: C,
    readonly $engine: E,
    readonly $info: TableInfo,
  ) {}

  get $primaryKey(): string | undefined {
    return this.$info.primaryKey;
  }

  allColumns(options: { exclude?: readonly AnyColumn[]; includeSecrets?: boolean } = {}): AnyColumn[] {
    if (options === null || typeof options !== 'object') {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `allColumns() takes options { exclude?: [columns], includeSecrets?: boolean }, for example ${this.$name}.allColumns({ exclude: [${this.$name}.id] }).`);
    }
    const own = this as unknown as Record<string, AnyColumn>;
    const keys = options.includeSecrets === true ? [...this.$info.columns.keys()] : this.$info.visibleColumns.map((column) => column.key);
    const columns = keys.map((key) => own[key]!);
    return excludeColumns(columns, options.exclude, `${this.$name}.allColumns`, `${this.$name}.id`);
  }

  select(...columns: unknown[]): SelectQuery<unknown, E> {
    return new SelectQuery(this.$engine, this.$info, columns.length === 0 ? this.$info.selectAllNode() : this.$info.selectNode(selectionOf(this.$info, columns)));
  }

  insert(rows: Record<string, unknown> | readonly Record<string, unknown>[]): InsertQuery<RunResult, E> {
    const info = this.$info;
    if (!Array.isArray(rows)) {
      const row = rows as Record<string, unknown>;
      if (row === null || typeof row !== 'object') throw notARow(info);
      // One row, the common insert: its values go to the query as they are encoded, without
      // value nodes (see `InsertQuery`).
      const repeated = insertOfLastShape(info, row, this.$engine);
      if (repeated !== undefined) return repeated;
      const columns = info.insertColumns(withComputedDefaults(info, definedKeys(row)));
      if (columns.length > 0) {
        // Sized up front: pushing onto [] would grow it (~17 ns per insert, measured).
        const values = new Array<SqlValue>(columns.length);
        for (let index = 0; index < columns.length; index++) values[index] = rowValue(info, row, columns[index]!, 0, false);
        return new InsertQuery(this.$engine, info, undefined, columns, values);
      }
      return new InsertQuery(this.$engine, info, { kind: 'insert', table: info.ref, columns, rows: [[]], onConflict: 'abort', returning: undefined });
    }
    const list: readonly Record<string, unknown>[] = rows;
    if (list.length === 0 || list.some((row) => row === null || typeof row !== 'object')) throw notARow(info);
    const several = list.length > 1;
    const columns = info.insertColumns(withComputedDefaults(info, several ? unionOfKeys(info, list) : definedKeys(list[0]!)));
    const values: ValueNode[][] = [];
    for (let index = 0; index < list.length; index++) {
      const row = list[index]!;
      const tuple: ValueNode[] = [];
      for (const column of columns) tuple.push(valueNodeOf(column.spec, rowValue(info, row, column, index, several)));
      values.push(tuple);
    }
    return new InsertQuery(this.$engine, info, { kind: 'insert', table: info.ref, columns, rows: values, onConflict: 'abort', returning: undefined });
  }

  update(values: Record<string, unknown>, options: { force?: boolean } = {}): UpdateQuery<RunResult, E> {
    const info = this.$info;
    if (values === null || typeof values !== 'object') {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `update() on "${info.name}" takes an object of new values, for example { name: 'x' }.`);
    }
    const assignments = Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]): AssignmentNode => {
        const column = info.knownColumn(key, 'update()');
        if (value instanceof Expression) {
          info.checkExpression(value.node, 'update()', { aggregates: false, joins: false });
          return { column, value: value.node };
        }
        if (value instanceof Param) return { column, value: paramNode(value, column.spec, key, column.spec.nullable, encodeLoose) };
        return { column, value: encodedValue(column.spec, key, value) };
      });
    if (assignments.length === 0) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `update() on "${info.name}" got no values to set. Pass at least one column, for example { name: 'x' }.`);
    }
    return new UpdateQuery(this.$engine, info, { kind: 'update', table: info.ref, assignments: info.withAutoUpdates(assignments), where: undefined, returning: undefined }, options.force === true);
  }

  delete(options: { force?: boolean } = {}): DeleteQuery<RunResult, E> {
    return new DeleteQuery(this.$engine, this.$info, { kind: 'delete', table: this.$info.ref, where: undefined, returning: undefined }, options.force === true);
  }

  count(options: { column?: Expression<any, boolean, string, string>; distinct?: readonly Expression<any, boolean, string, string>[] } = {}): CountQuery<E> {
    const query = new CountQuery(this.$engine, this.$info, this.$info.selectNode({ kind: 'count' }));
    if (options.column !== undefined && options.distinct !== undefined) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `count() takes column or distinct, not both. For distinct values of one column use { distinct: [column] }.`);
    }
    if (options.column !== undefined) return query.column(options.column);
    return options.distinct === undefined ? query : query.distinct(options.distinct);
  }

  exists(): ExistsQuery<E> {
    return new ExistsQuery(this.$engine, this.$info, this.$info.selectNode({ kind: 'exists' }));
  }

  tableExists(): TableExistsQuery<E> {
    return new TableExistsQuery(this.$engine, { kind: 'table-exists', table: this.$info.ref });
  }

  createTable(options: { ifNotExists?: boolean } = {}): CreateTableQuery<E> {
    return new CreateTableQuery(this.$engine, { kind: 'create-table', table: this.$info.ref, schema: tableSchemaOfInfo(this.$info), ifNotExists: options.ifNotExists === true });
  }

  dropTable(options: { ifExists?: boolean } = {}): DropTableQuery<E> {
    return new DropTableQuery(this.$engine, { kind: 'drop-table', table: this.$info.ref, ifExists: options.ifExists === true });
  }
}

/**
 * An insert of one row with the keys of the table's last insert (a loop's): each value is read
 * once, and the keys' check (`definedKeys`) is the values' own. Tables with defaults computed
 * per insert take the general way. `undefined` when the row is not of that shape, or has an
 * undefined value (absent: another shape), found before any value is encoded, so that errors
 * come in the general way's order. (`definedKeys`: 3% of an insert loop's profile.)
 */
function insertOfLastShape<E extends Engine>(info: TableInfo, row: Record<string, unknown>, engine: E): InsertQuery<RunResult, E> | undefined {
  if (info.computedDefaults.length > 0) return undefined;
  const keys = Object.keys(row);
  const columns = info.lastInsertColumns(keys);
  if (columns === undefined || columns.length === 0) return undefined;
  const values = new Array<SqlValue>(columns.length);
  for (let index = 0; index < columns.length; index++) {
    const given = row[keys[index]!];
    if (given === undefined) return undefined;
    values[index] = given as SqlValue;
  }
  for (let index = 0; index < columns.length; index++) values[index] = givenValue(info, columns[index]!, values[index], 0);
  return new InsertQuery(engine, info, undefined, columns, values);
}

function notARow(info: TableInfo): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_QUERY, `insert() on "${info.name}" needs a row object or a non-empty array of them, for example ${info.name}.insert({ ... }).`);
}

/** Defaults computed per insert are sent as values: their columns are added when rows omit them. */
function withComputedDefaults(info: TableInfo, keys: string[]): string[] {
  const computed = info.computedDefaults;
  if (computed.length > 0 && computed.some((key) => !keys.includes(key))) return [...keys, ...computed.filter((key) => !keys.includes(key))];
  return keys;
}

/**
 * Row `index`'s value for `column`, encoded: its own, or the column's default; a parameter
 * becomes its slot. A missing value of a column that needs one is refused.
 */
function rowValue(info: TableInfo, row: Record<string, unknown>, column: ColumnRefNode, index: number, checkOwn: boolean): SqlValue {
  return givenValue(info, column, valueOrDefault(row, column, checkOwn), index);
}

/** `given` (a row's value or the column's default) encoded for `column`; see `rowValue`. */
function givenValue(info: TableInfo, column: ColumnRefNode, given: unknown, index: number): SqlValue {
  const { spec } = column;
  if (given instanceof Param) {
    // The same rule as a null below, applied when the parameter gets its value.
    return paramSlot(given, spec, column.key, spec.nullable || spec.type === 'serial' || spec.primaryKey, encodeLoose);
  }
  const value = encodeValue(spec, column.key, given);
  if (value === null && !spec.nullable && spec.type !== 'serial' && !spec.primaryKey) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `insert() on "${info.name}": row ${index} has no value for "${column.key}", which is not nullable. Give it a value.`);
  }
  return value;
}

/** The keys given a value in any of several rows, in first-seen order. */
function unionOfKeys(info: TableInfo, list: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const row of list) for (const key of definedKeys(row)) keys.add(key);
  // `DEFAULT VALUES` inserts exactly one row: for several empty rows, list every column and
  // send each one's default (serial gets null, which SQLite numbers), one tuple per row.
  if (keys.size === 0) for (const key of info.columns.keys()) keys.add(key);
  return [...keys];
}

/**
 * The row's keys that hold a value (`undefined` counts as absent). A fresh array, never
 * changed afterwards. One row, the common insert, needs no Set: this is its whole shape.
 */
function definedKeys(row: Record<string, unknown>): string[] {
  const keys = Object.keys(row);
  for (const key of keys) if (row[key] === undefined) return keys.filter((k) => row[k] !== undefined);
  return keys;
}

/**
 * The row's own value for the column. Only own enumerable properties count, as in
 * `definedKeys`: a row of several that lacks `hasOwnProperty` must not read the inherited
 * `Object.prototype.hasOwnProperty` as its value. A lone row's columns are its own keys
 * already (`definedKeys`), so only rows of several need the check.
 */
function valueOrDefault(row: Record<string, unknown>, column: ColumnRefNode, checkOwn: boolean): unknown {
  const value = row[column.key];
  if (value !== undefined && (!checkOwn || propertyIsEnumerable.call(row, column.key))) return value;
  const fallback = column.spec.default?.value;
  return fallback === undefined ? null : typeof fallback === 'function' ? (fallback as () => unknown)() : fallback;
}

/** `columns` without those in `exclude`, which must all be among them. */
function excludeColumns<T>(columns: T[], exclude: readonly unknown[] | undefined, method: string, example: string): T[] {
  if (exclude === undefined) return columns;
  if (!Array.isArray(exclude) || exclude.some((column) => !columns.includes(column as T))) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${method}({ exclude }) takes columns it would return, for example ${method}({ exclude: [${example}] }).`);
  }
  return exclude.length === 0 ? columns : columns.filter((column) => !exclude.includes(column));
}

const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

function checkDefinition(name: unknown, columns: unknown): void {
  if (typeof name !== 'string' || name === '') {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `defineTable() needs a table name as a non-empty string, got ${JSON.stringify(name)}.`);
  }
  if (columns === null || typeof columns !== 'object' || Object.keys(columns).length === 0) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `defineTable("${name}") needs at least one column, for example { id: serial(), name: text() }.`);
  }
  for (const [key, builder] of Object.entries(columns)) {
    if (RESERVED_COLUMN_NAMES.has(key) || key.startsWith('$')) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `defineTable("${name}"): a column cannot be called "${key}", because ` +
          (key.startsWith('$') ? 'names starting with "$" are kept for table metadata' : `"${key}" is a table method`) +
          `. Rename the property (for example "${key.replace(/^\$+/, '')}_")`,
      );
    }
    if (!(builder instanceof ColumnBuilder)) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `defineTable("${name}"): column "${key}" is not a column definition. Use a column function such as text(), integer() or serial().`,
      );
    }
    const autoUpdate = builder.spec.autoUpdate?.value;
    if (autoUpdate instanceof Expression) {
      const type = autoUpdate.valueSpec?.type;
      if (type !== undefined && type !== builder.spec.type) {
        throw new PiccoError(
          PiccoErrorCode.INVALID_QUERY,
          `defineTable("${name}"): column "${key}" is ${builder.spec.type}, but its autoUpdate() expression gives a ${type}. Use a function computing a ${builder.spec.type} value instead.`,
        );
      }
    } else if (autoUpdate !== undefined && typeof autoUpdate !== 'function') {
      encodeValue(builder.spec, `${key} (autoUpdate)`, autoUpdate);
    }
    if (builder.spec.type === 'varchar' && (!Number.isSafeInteger(builder.spec.length) || (builder.spec.length ?? 0) <= 0)) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `defineTable("${name}"): varchar column "${key}" needs a positive whole length, for example varchar({ length: 50 }).`);
    }
  }
}
