/**
 * `alter(Band)`: changes an existing table, a first step towards migrations. One change per
 * query, as SQLite's ALTER TABLE takes them:
 * `alter(Band).addColumn('rating', integer({ default: 0 }))`, `.dropColumn(Band.rating)`,
 * `.renameColumn(Band.name, 'title')`, `.renameTable('bands')`.
 *
 * A standalone function rather than a table method, so that no column name is taken from users.
 * The table object keeps its definition: after a change, update the `defineTable` call too.
 * What SQLite cannot alter in place (adding a PRIMARY KEY or UNIQUE column, a NOT NULL column
 * without a default; dropping a key, unique, indexed or referenced column) is refused before
 * it runs, with what to do instead.
 */
import type { CompiledQuery } from '../compiler/compiled-query.js';
import { compileQuery } from '../compiler/query-compiler.js';
import { dialectOf } from '../dialect/dialects.js';
import { quoteIdentifier } from '../compiler/quote.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { AlterTableNode, ColumnRefNode } from '../operation-node/nodes.js';
import { ColumnBuilder, type AnyColumnBuilder } from '../schema/column-builder.js';
import { Column } from '../schema/column.js';
import { columnDefinition } from '../schema/table.js';
import type { TableInfo } from '../schema/table-info.js';
import type { AnyTable } from '../schema/table-types.js';
import { Query } from './query.js';

export class AlterTableQuery<E extends Engine = Engine> extends Query<void, E> {
  constructor(
    engine: E,
    readonly node: AlterTableNode,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    return compileQuery(this.node, dialectOf(this.engine));
  }

  protected decode(): void {}
}

type EngineOf<T extends AnyTable> = NonNullable<T['$engine']>;

export class AlterTable<E extends Engine> {
  constructor(
    private readonly engine: E,
    private readonly info: TableInfo,
  ) {}

  /** `ADD COLUMN`: a nullable column, or one with a default (SQLite's rule for existing rows). */
  addColumn(name: string, column: AnyColumnBuilder): AlterTableQuery<E> {
    if (typeof name !== 'string' || name === '' || name.startsWith('$')) {
      throw this.refuse(`addColumn() takes the new column's name, a non-empty string not starting with "$"; got ${JSON.stringify(name)}.`);
    }
    if (!(column instanceof ColumnBuilder)) throw this.refuse(`addColumn("${name}") takes a column definition such as integer({ default: 0 }).`);
    const spec = column.spec;
    if (spec.primaryKey || spec.unique || spec.type === 'serial') {
      throw this.refuse(`addColumn("${name}"): SQLite cannot add a PRIMARY KEY or UNIQUE column to an existing table. Add it plain and create a unique index, or rebuild the table.`);
    }
    if (spec.selfReference === true) {
      throw this.refuse(`addColumn("${name}"): foreignKey('self') knows its table from defineTable only. Pass foreignKey(() => ${this.info.name}) instead.`);
    }
    const hasSqlDefault = spec.default !== undefined && typeof spec.default.value !== 'function';
    if (!spec.nullable && !hasSqlDefault) {
      throw this.refuse(`addColumn("${name}"): existing rows need a value. Make the column nullable() or give it a (non-function) default.`);
    }
    const node: ColumnRefNode = { kind: 'column', key: name, quoted: quoteIdentifier(spec.dbName ?? name), spec };
    return this.query({ action: 'add-column', definition: columnDefinition(this.info.name, node) });
  }

  /** `DROP COLUMN` (SQLite refuses it for key, unique, indexed and referenced columns). */
  dropColumn(column: Column<any, boolean, string, string> | string): AlterTableQuery<E> {
    const node = this.columnNode(column, 'dropColumn()');
    if (node.spec.primaryKey || node.spec.unique || node.spec.index) {
      throw this.refuse(`dropColumn(): SQLite cannot drop "${node.key}", a primary key, unique or indexed column, in place. Rebuild the table without it.`);
    }
    return this.query({ action: 'drop-column', column: node.spec.dbName ?? node.key });
  }

  /** `RENAME COLUMN` (SQLite also updates indexes, triggers and foreign keys that use it). */
  renameColumn(column: Column<any, boolean, string, string> | string, to: string): AlterTableQuery<E> {
    const node = this.columnNode(column, 'renameColumn()');
    if (typeof to !== 'string' || to === '') throw this.refuse(`renameColumn() takes the new name as a non-empty string, got ${JSON.stringify(to)}.`);
    return this.query({ action: 'rename-column', column: node.spec.dbName ?? node.key, to });
  }

  /** `RENAME TO`. */
  renameTable(to: string): AlterTableQuery<E> {
    if (typeof to !== 'string' || to === '') throw this.refuse(`renameTable() takes the new name as a non-empty string, got ${JSON.stringify(to)}.`);
    return this.query({ action: 'rename-table', to });
  }

  private query(change: DistributiveOmit<AlterTableNode, 'kind' | 'table'>): AlterTableQuery<E> {
    return new AlterTableQuery(this.engine, { kind: 'alter-table', table: this.info.ref, ...change } as AlterTableNode);
  }

  private columnNode(column: Column<any, boolean, string, string> | string, usedIn: string): ColumnRefNode {
    const node = typeof column === 'string' ? this.info.columns.get(column) : column instanceof Column && column.node.kind === 'column' && this.info.owns(column.node) ? column.node : undefined;
    if (node === undefined) {
      throw this.refuse(`${usedIn} on "${this.info.name}" got ${typeof column === 'string' ? `unknown column "${column}"` : 'a column of another table'}. Its columns are: ${[...this.info.columns.keys()].join(', ')}.`);
    }
    return node;
  }

  private refuse(message: string): PiccoError {
    return new PiccoError(PiccoErrorCode.INVALID_QUERY, message);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Changes to an existing table: see the file comment. */
export function alter<T extends AnyTable>(table: T): AlterTable<EngineOf<T>> {
  const info = (table as { $info?: TableInfo } | null)?.$info;
  if (info === undefined) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `alter() takes a table made by defineTable, for example alter(Band).`);
  return new AlterTable(table.$engine as EngineOf<T>, info);
}
