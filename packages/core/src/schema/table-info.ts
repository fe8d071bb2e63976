/**
 * What queries need to know about their table at run time, built once by `defineTable`, and
 * the table's internal helpers and caches. They live here, not on the table object, so that
 * no internal name can collide with a column name (`Band.selectNode` may be a column).
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { AssignmentNode, ColumnRefNode, ConditionNode, ExpressionNode, OrderByNode, SelectItemNode, SelectNode, SelectionNode, TableRefNode } from '../operation-node/nodes.js';
import { valueSpec, type ColumnSpec } from './column-builder.js';
import { Expression, specOf } from './expression.js';
import { registerColumns } from './join.js';
import { checkScope, type ScopeRules } from './scope.js';
import type { Column } from './column.js';
import { decoderFor, encodedValue } from './values.js';

const NO_ORDER: readonly OrderByNode[] = Object.freeze([]);

export interface ColumnDecoder {
  readonly key: string;
  readonly decode: (stored: unknown) => unknown;
}

/** Insert shapes kept per table; a table has few in practice, past the bound they are just not kept. */
const MAX_INSERT_SHAPES = 64;

interface InsertShape {
  readonly keys: readonly string[];
  readonly columns: readonly ColumnRefNode[];
}

export class TableInfo {
  readonly ref: TableRefNode;
  readonly columns: ReadonlyMap<string, ColumnRefNode>;
  /**
   * `SELECT` of every column but the secret ones, shared by all `select()` queries so its SQL
   * is compiled once.
   */
  readonly allColumns: SelectionNode;
  private selectAll: SelectNode | undefined;
  /** The columns `select()`, `allColumns()` and `returning()` give unless told otherwise: all but the secret ones. */
  readonly visibleColumns: readonly ColumnRefNode[];
  /** Columns with `autoUpdate()`, which every update sets unless it sets them itself. */
  readonly autoUpdateColumns: readonly ColumnRefNode[];
  private readonly ownColumns: ReadonlySet<ColumnRefNode>;
  /** Columns whose default is a function, called for each inserted row that omits them. */
  readonly computedDefaults: readonly string[];
  private readonly decoderCache = new WeakMap<readonly ColumnRefNode[], readonly ColumnDecoder[]>();
  private lastDecodedColumns: readonly ColumnRefNode[] | undefined;
  private lastDecoders: readonly ColumnDecoder[] | undefined;
  private readonly insertShapes = new Map<string, readonly ColumnRefNode[]>();
  private lastInsertShape: InsertShape | undefined;

  constructor(
    ref: TableRefNode,
    columns: ReadonlyMap<string, ColumnRefNode>,
    readonly primaryKey: string | undefined,
  ) {
    this.ref = ref;
    this.columns = columns;
    this.visibleColumns = [...columns.values()].filter((column) => column.spec.secret !== true);
    this.allColumns = { kind: 'columns', columns: this.visibleColumns };
    this.autoUpdateColumns = [...columns.values()].filter((column) => column.spec.autoUpdate !== undefined);
    this.ownColumns = new Set(columns.values());
    this.computedDefaults = [...columns.values()].filter((column) => typeof column.spec.default?.value === 'function').map((column) => column.key);
    registerColumns(this);
  }

  get name(): string {
    return this.ref.name;
  }

  /** A select of this table with nothing but its selection. */
  selectNode(selection: SelectionNode): SelectNode {
    return { kind: 'select', table: this.ref, selection, where: undefined, orderBy: NO_ORDER, limit: undefined, offset: undefined };
  }

  /** `select()`'s node: nodes are immutable, so every `select()` of the table can start from this one. */
  selectAllNode(): SelectNode {
    return (this.selectAll ??= this.selectNode(this.allColumns));
  }

  /** The column named `key`, or `INVALID_QUERY` naming the columns there are. */
  knownColumn(key: string, usedIn: string): ColumnRefNode {
    const column = this.columns.get(key);
    if (column === undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `${usedIn} on "${this.name}" got unknown column "${key}". Its columns are: ${[...this.columns.keys()].join(', ')}.`,
      );
    }
    return column;
  }

  /** The last insert's columns if it was of exactly these keys (already checked), else `undefined`. */
  lastInsertColumns(keys: readonly string[]): readonly ColumnRefNode[] | undefined {
    const last = this.lastInsertShape;
    return last !== undefined && sameKeys(last.keys, keys) ? last.columns : undefined;
  }

  /**
   * The columns an insert of these keys writes, checked once per set of keys: unknown keys and
   * missing required columns are refused. The same array comes back for the same keys, so the
   * compiler reuses its SQL for it.
   */
  insertColumns(keys: readonly string[]): readonly ColumnRefNode[] {
    // Inserts in a loop repeat one shape: compare with the last one before building a key.
    const last = this.lastInsertShape;
    if (last !== undefined && sameKeys(last.keys, keys)) return last.columns;
    const signature = keys.join('\u0000');
    let columns = this.insertShapes.get(signature);
    if (columns === undefined) {
      columns = keys.map((key) => this.knownColumn(key, 'insert()'));
      for (const node of this.columns.values()) {
        if (keys.includes(node.key) || node.spec.nullable || node.spec.default !== undefined || node.spec.type === 'serial') continue;
        throw new PiccoError(
          PiccoErrorCode.INVALID_QUERY,
          `insert() on "${this.name}" is missing "${node.key}", which is required (not nullable, no default). Give every row a "${node.key}".`,
        );
      }
      if (this.insertShapes.size < MAX_INSERT_SHAPES) this.insertShapes.set(signature, columns);
    }
    this.lastInsertShape = { keys, columns };
    return columns;
  }

  /** Decoders for the columns that need one; an empty list means rows pass through untouched. */
  decodersFor(columns: readonly ColumnRefNode[]): readonly ColumnDecoder[] {
    // A loop of one query shape asks for the same list each time: an identity check, not a WeakMap read.
    if (columns === this.lastDecodedColumns) return this.lastDecoders!;
    let decoders = this.decoderCache.get(columns);
    if (decoders === undefined) {
      // A bigint column makes the engine read every integer as bigint (a per-statement mode
      // in better-sqlite3): the other integer columns then convert back to number.
      const readsBigInts = columns.some((column) => valueSpec(column.spec).type === 'bigint' || valueSpec(column.spec).type === 'numeric');
      decoders = columns.flatMap((column) => {
        const decode = decoderFor(column.spec) ?? (readsBigInts && isIntegerType(column) ? toNumber : undefined);
        return decode === undefined ? [] : [{ key: column.key, decode }];
      });
      this.decoderCache.set(columns, decoders);
    }
    this.lastDecodedColumns = columns;
    this.lastDecoders = decoders;
    return decoders;
  }

  /** Refuses a column of another table (`Band.select(Manager.name)`). */
  columnNode(column: Column<any, boolean, string, string>, usedIn: string): ColumnRefNode {
    const node = (column as { node?: ColumnRefNode } | null)?.node;
    if (node === undefined || !this.ownColumns.has(node)) {
      const shown = node === undefined ? String(column) : `${column.tableName}.${column.key}`;
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `${usedIn} on table "${this.name}" got ${shown}, which is not one of its columns ` +
          `(${[...this.columns.keys()].join(', ')}). Use columns of ${this.name} itself.`,
      );
    }
    return node;
  }

  /**
   * `assignments` plus the `autoUpdate()` columns they do not set, each with its value for
   * this update (a function is called now; an expression such as `now()` runs in SQL).
   */
  withAutoUpdates(assignments: readonly AssignmentNode[]): readonly AssignmentNode[] {
    if (this.autoUpdateColumns.length === 0) return assignments;
    const added: AssignmentNode[] = [];
    for (const column of this.autoUpdateColumns) {
      if (assignments.some((assignment) => assignment.column === column)) continue;
      const given = column.spec.autoUpdate!.value;
      if (given instanceof Expression) {
        added.push({ column, value: given.node });
      } else {
        const value = typeof given === 'function' ? (given as () => unknown)() : given;
        added.push({ column, value: encodedValue(column.spec, `${column.key} (autoUpdate)`, value) });
      }
    }
    return added.length === 0 ? assignments : [...assignments, ...added];
  }

  /** Whether `column` is one of this table's own columns. */
  owns(column: ColumnRefNode): boolean {
    return this.ownColumns.has(column);
  }

  checkCondition(condition: ConditionNode, usedIn: string, rules?: ScopeRules): void {
    checkScope(this, condition, usedIn, rules);
  }

  checkExpression(expression: ExpressionNode, usedIn: string, rules?: ScopeRules): void {
    checkScope(this, expression, usedIn, rules);
  }
}

function sameKeys(previous: readonly string[], keys: readonly string[]): boolean {
  if (previous.length !== keys.length) return false;
  for (let index = 0; index < keys.length; index++) if (previous[index] !== keys[index]) return false;
  return true;
}

function isIntegerType(column: ColumnRefNode): boolean {
  return isIntegerSpec(column.spec);
}

function isIntegerSpec(spec: ColumnSpec): boolean {
  return spec.type === 'integer' || spec.type === 'smallint' || spec.type === 'serial' || spec.type === 'foreignKey';
}

const itemDecoderCache = new WeakMap<readonly SelectItemNode[], readonly ColumnDecoder[]>();

/** Decoders for a selection of expressions (joined columns, aggregates, functions), by result key. */
export function decodersForItems(items: readonly SelectItemNode[]): readonly ColumnDecoder[] {
  let decoders = itemDecoderCache.get(items);
  if (decoders === undefined) {
    const specs = items.map((item) => specOf(item.expression));
    const readsBigInts = specs.some((spec) => spec !== undefined && (valueSpec(spec).type === 'bigint' || valueSpec(spec).type === 'numeric'));
    decoders = items.flatMap((item, index) => {
      const spec = specs[index];
      const decode = spec === undefined ? undefined : (decoderFor(spec) ?? (readsBigInts && isIntegerSpec(valueSpec(spec)) ? toNumber : undefined));
      return decode === undefined ? [] : [{ key: item.key, decode }];
    });
    itemDecoderCache.set(items, decoders);
  }
  return decoders;
}

function toNumber(stored: unknown): unknown {
  return typeof stored === 'bigint' ? Number(stored) : stored;
}

export function decodeRows<T>(rows: readonly Record<string, unknown>[], decoders: readonly ColumnDecoder[]): T[] {
  if (decoders.length === 0) return rows as T[];
  for (const row of rows) {
    for (const { key, decode } of decoders) row[key] = decode(row[key]);
  }
  return rows as T[];
}
