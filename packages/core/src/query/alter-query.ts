/**
 * `alter(Band)`: changes an existing table, one change (a schema operation, the same a migration
 * lists) per query:
 * `alter(Band).addColumn('rating', integer({ default: 0 }))`, `.dropColumn(Band.rating)`,
 * `.alterColumn(Band.name, varchar({ length: 100 }).unique())`, `.renameColumn(Band.name, 'title')`,
 * `.renameTable('bands')`.
 *
 * What SQLite's ALTER TABLE does in place stays in place. The rest (adding a PRIMARY KEY,
 * UNIQUE or NOT NULL column without a default; dropping a key, unique, indexed or foreign-key
 * column; changing a column's type, nullability, default, uniqueness or reference) rebuilds
 * the table the way SQLite documents (dialect/sqlite/sqlite-rebuild.ts): rows,
 * indexes and triggers are kept, foreign keys are checked before COMMIT, and a rebuild that
 * fails leaves the table as it was.
 *
 * The change starts from the table's definition (`Band`), which must match the database: the
 * engine checks the table's columns before a rebuild and refuses one that differs (rather than
 * drop a column it was not told about). After a change, update the `defineTable` call too.
 * A standalone function rather than a table method, so that no column name is taken from users.
 */
import type { CompiledQuery } from '../compiler/compiled-query.js';
import { compileQuery } from '../compiler/query-compiler.js';
import { quoteIdentifier } from '../compiler/quote.js';
import { dialectOf } from '../dialect/dialects.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { AlterTableNode, ColumnRefNode } from '../operation-node/nodes.js';
import { ColumnBuilder, type AnyColumnBuilder } from '../schema/column-builder.js';
import { Column } from '../schema/column.js';
import type { TableInfo } from '../schema/table-info.js';
import type { SchemaOperation } from '../schema/schema-operation.js';
import { columnSchemaOf, sameColumn, tableSchemaOfInfo, toSchemaValue, type ColumnSchema, type SchemaValue, type TableSchema } from '../schema/table-schema.js';
import type { AnyTable } from '../schema/table-types.js';
import { encodeValue } from '../schema/values.js';
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

  /** Whether this change rebuilds the table (SQLite cannot make it in place). */
  get rebuilds(): boolean {
    return this.toSQL().batch?.steps.some((step) => step.kind === 'rebuild') ?? false;
  }

  protected decode(): void {}
}

type EngineOf<T extends AnyTable> = NonNullable<T['$engine']>;

type AnyColumn = Column<any, boolean, string, string>;

export interface FillOptions {
  /**
   * The value existing rows get: for a new column, or in place of NULL when a column becomes
   * NOT NULL. Without it, existing rows get the column's default, else NULL (which a NOT NULL
   * column refuses: the change then fails and the table stays as it was).
   */
  fill?: unknown;
}

export class AlterTable<E extends Engine> {
  private readonly schema: TableSchema;

  constructor(
    private readonly engine: E,
    private readonly info: TableInfo,
  ) {
    this.schema = tableSchemaOfInfo(info);
  }

  /**
   * `ADD COLUMN` in place for a nullable column, or one with a default; a rebuild for a
   * PRIMARY KEY, UNIQUE or NOT NULL one without a default, or with `fill`.
   */
  addColumn(name: string, column: AnyColumnBuilder, options: FillOptions = {}): AlterTableQuery<E> {
    if (typeof name !== 'string' || name === '' || name.startsWith('$')) {
      throw this.refuse(`addColumn() takes the new column's name, a non-empty string not starting with "$"; got ${JSON.stringify(name)}.`);
    }
    if (!(column instanceof ColumnBuilder)) throw this.refuse(`addColumn("${name}") takes a column definition such as integer({ default: 0 }).`);
    if (column.spec.selfReference === true) {
      throw this.refuse(`addColumn("${name}"): foreignKey('self') knows its table from defineTable only. Pass foreignKey(() => ${this.info.name}) instead.`);
    }
    const node = columnNodeOf(name, column);
    const added = columnSchemaOf(this.info.name, node);
    if (this.schema.columns.some((existing) => existing.name === added.name)) {
      throw this.refuse(`addColumn(): "${this.info.name}" already has a column "${added.name}". Pick another name, or use alterColumn() to change it.`);
    }
    if (node.spec.primaryKey && this.info.primaryKey !== undefined) {
      throw this.refuse(`addColumn("${name}"): "${this.info.name}" already has a primary key ("${this.info.primaryKey}"); Picco supports one. Make the new column unique() instead.`);
    }
    const fill = this.fillLiteral(node, options);
    return this.query({ op: 'addColumn', table: this.schema.name, column: added, ...(fill === undefined ? {} : { fill }) });
  }

  /** `DROP COLUMN` in place; a rebuild for a primary key, unique, indexed or foreign-key column. */
  dropColumn(column: AnyColumn | string): AlterTableQuery<E> {
    const dropped = this.existing(column, 'dropColumn()');
    if (this.schema.columns.length === 1) throw this.refuse(`dropColumn(): "${dropped.name}" is the only column of "${this.info.name}". Drop the table instead.`);
    return this.query({ op: 'dropColumn', table: this.schema.name, column: dropped });
  }

  /**
   * Changes a column's definition (type, nullability, default, uniqueness, index, reference)
   * to `definition`, keeping its name and its values. An index alone is made or dropped in
   * place; anything else rebuilds the table. Values are copied as they are (SQLite converts
   * them by the new type's affinity); a NULL that a NOT NULL column refuses takes `fill`.
   */
  alterColumn(column: AnyColumn | string, definition: AnyColumnBuilder, options: FillOptions = {}): AlterTableQuery<E> {
    const old = this.existing(column, 'alterColumn()');
    if (!(definition instanceof ColumnBuilder)) throw this.refuse(`alterColumn("${old.name}") takes the new column definition, such as text().nullable().`);
    if (definition.spec.selfReference === true) {
      throw this.refuse(`alterColumn("${old.name}"): foreignKey('self') knows its table from defineTable only. Pass foreignKey(() => ${this.info.name}) instead.`);
    }
    const key = [...this.info.columns.values()].find((node) => (node.spec.dbName ?? node.key) === old.name)!.key;
    if (definition.spec.dbName !== undefined && definition.spec.dbName !== old.name) {
      throw this.refuse(`alterColumn("${key}") keeps the column's name; rename it with renameColumn() first.`);
    }
    const node = columnNodeOf(key, old.name === key ? definition : definition.columnName(old.name));
    const changed = columnSchemaOf(this.info.name, node);
    if (sameColumn(old, changed)) throw this.refuse(`alterColumn("${key}"): the new definition is the column's current one; there is nothing to change.`);
    if (changed.primaryKey && this.info.primaryKey !== undefined && this.info.primaryKey !== key) {
      throw this.refuse(`alterColumn("${key}"): "${this.info.name}" already has a primary key ("${this.info.primaryKey}"); Picco supports one.`);
    }
    const fill = this.fillLiteral(node, options);
    return this.query({ op: 'alterColumn', table: this.schema.name, from: old, to: changed, ...(fill === undefined ? {} : { fill }) });
  }

  /** `RENAME COLUMN` (SQLite also updates indexes, triggers and foreign keys that use it). */
  renameColumn(column: AnyColumn | string, to: string): AlterTableQuery<E> {
    const renamed = this.existing(column, 'renameColumn()');
    if (typeof to !== 'string' || to === '') throw this.refuse(`renameColumn() takes the new name as a non-empty string, got ${JSON.stringify(to)}.`);
    return this.query({ op: 'renameColumn', table: this.schema.name, from: renamed.name, to });
  }

  /** `RENAME TO`. */
  renameTable(to: string): AlterTableQuery<E> {
    if (typeof to !== 'string' || to === '') throw this.refuse(`renameTable() takes the new name as a non-empty string, got ${JSON.stringify(to)}.`);
    return this.query({ op: 'renameTable', from: this.schema.name, to });
  }

  private query(operation: SchemaOperation): AlterTableQuery<E> {
    return new AlterTableQuery(this.engine, { kind: 'alter-table', table: this.info.ref, schema: this.schema, operation });
  }

  /** The `fill` option as stored, checked against the column's type. */
  private fillLiteral(node: ColumnRefNode, options: FillOptions): SchemaValue | undefined {
    if (options === null || typeof options !== 'object' || options.fill === undefined) return undefined;
    return toSchemaValue(encodeValue(node.spec, node.key, options.fill));
  }

  private existing(column: AnyColumn | string, usedIn: string): ColumnSchema {
    const node = typeof column === 'string' ? this.info.columns.get(column) : column instanceof Column && column.node.kind === 'column' && this.info.owns(column.node) ? column.node : undefined;
    if (node === undefined) {
      throw this.refuse(`${usedIn} on "${this.info.name}" got ${typeof column === 'string' ? `unknown column "${column}"` : 'a column of another table'}. Its columns are: ${[...this.info.columns.keys()].join(', ')}.`);
    }
    const name = node.spec.dbName ?? node.key;
    return this.schema.columns.find((schema) => schema.name === name)!;
  }

  private refuse(message: string): PiccoError {
    return new PiccoError(PiccoErrorCode.INVALID_QUERY, message);
  }
}

function columnNodeOf(key: string, column: AnyColumnBuilder): ColumnRefNode {
  return { kind: 'column', key, quoted: quoteIdentifier(column.spec.dbName ?? key), spec: column.spec };
}

/** Changes to an existing table: see the file comment. */
export function alter<T extends AnyTable>(table: T): AlterTable<EngineOf<T>> {
  const info = (table as { $info?: TableInfo } | null)?.$info;
  if (info === undefined) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `alter() takes a table made by defineTable, for example alter(Band).`);
  return new AlterTable(table.$engine as EngineOf<T>, info);
}
