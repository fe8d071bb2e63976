/**
 * A table's schema as plain data: what its `CREATE TABLE` says, with every name as it is in SQL.
 * `defineTable` objects hold functions (`foreignKey(() => Manager)`, computed defaults); this
 * is what is left once those are resolved, so it can be compared, changed step by step, written
 * to a JSON snapshot and read back. `alter()` rebuilds a table from one, and migrations are
 * operations on them.
 */
import { indexName } from '../compiler/index-name.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnRefNode, SqlValue } from '../operation-node/nodes.js';
import { valueSpec, type ColumnType, type OnDeleteAction } from './column-builder.js';
import { checkTarget } from './join.js';
import type { TableInfo } from './table-info.js';
import type { AnyTable } from './table-types.js';
import { encodeValue } from './values.js';

export interface ColumnSchema {
  /** The column's name in SQL. */
  readonly name: string;
  /** Picco's column type (each dialect writes its SQL type and constraints); `foreignKey` for a reference. */
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  /** The name of the column's index, when it has one (`index()`). */
  readonly index?: string;
  /** The default, as stored (`0` for false); absent when none, or when computed per insert. */
  readonly default?: SchemaValue;
  /** varchar's maximum length. */
  readonly length?: number;
  readonly choices?: readonly string[];
  /** numeric's precision and scale. */
  readonly digits?: readonly [precision: number, scale: number];
  readonly references?: ReferenceSchema;
}

export interface ReferenceSchema {
  readonly table: string;
  /** The referenced column (`rowid` for a table without a primary key). */
  readonly column: string;
  readonly onDelete?: OnDeleteAction;
  /** The referenced key's type (a reference's values, and its SQL type, follow it), its length for a varchar key, its digits for a numeric one. */
  readonly type: ColumnType;
  readonly length?: number;
  readonly digits?: readonly [precision: number, scale: number];
}

/**
 * A stored value as JSON holds it (schemas go into snapshot files): a string, a finite number or
 * null as themselves; a bigint, bytes (hex) or an infinite number tagged.
 */
export type SchemaValue = string | number | null | { readonly bigint: string } | { readonly bytes: string } | { readonly number: 'Infinity' | '-Infinity' };

export function toSchemaValue(value: SqlValue): SchemaValue {
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (value instanceof Uint8Array) return { bytes: Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('') };
  if (typeof value === 'number' && !Number.isFinite(value)) return { number: value > 0 ? 'Infinity' : '-Infinity' };
  return value;
}

export function fromSchemaValue(value: SchemaValue): SqlValue {
  if (value === null || typeof value !== 'object') return value;
  if ('bigint' in value) return BigInt(value.bigint);
  if ('bytes' in value) return Uint8Array.from(value.bytes.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  return value.number === 'Infinity' ? Infinity : -Infinity;
}

/** Where a column of a rebuilt table takes its values from. */
export type ColumnSource =
  /** The old table's column of that (SQL) name; `fill`, an SQL literal, replaces its NULLs. */
  | { readonly from: string; readonly fill?: string }
  /** A new column: this SQL literal in every existing row. */
  | { readonly fill: string };

export interface TableSchema {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
}

/** The schema of a table made by `defineTable`. */
export function tableSchemaOf(table: AnyTable): TableSchema {
  const info = (table as { $info?: TableInfo } | null)?.$info;
  if (info === undefined) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `Expected a table made by defineTable, got ${String(table)}.`);
  return tableSchemaOfInfo(info);
}

export function tableSchemaOfInfo(info: TableInfo): TableSchema {
  return { name: info.name, columns: [...info.columns.values()].map((column) => columnSchemaOf(info.name, column)) };
}

/** One column's schema. `tableName` names the table in errors and in the index name. */
export function columnSchemaOf(tableName: string, column: ColumnRefNode): ColumnSchema {
  const { spec } = column;
  const referenced = spec.references?.();
  if (referenced !== undefined && (referenced as { $info?: unknown } | null)?.$info === undefined) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `foreignKey "${tableName}.${column.key}" must reference a table made by defineTable, for example foreignKey(() => Manager).`,
    );
  }
  // A foreign key's values follow the key it references (text for a text key, not integer).
  const typed = valueSpec(spec);
  // A default computed per insert (a function) has no SQL form: Picco sends its value.
  const given = spec.default?.value;
  const defaultValue = given === undefined || typeof given === 'function' ? undefined : encodeValue(spec, column.key, given);
  if (referenced !== undefined) checkTarget(tableName, column, (referenced as unknown as { $info: TableInfo }).$info);
  const name = spec.dbName ?? column.key;
  return {
    name,
    type: spec.type,
    nullable: spec.nullable,
    primaryKey: spec.primaryKey,
    unique: spec.unique,
    ...(spec.index ? { index: indexName(tableName, column.key) } : {}),
    ...(defaultValue === undefined ? {} : { default: toSchemaValue(defaultValue) }),
    ...(spec.type === 'varchar' ? { length: spec.length } : {}),
    ...(spec.choices === undefined ? {} : { choices: [...spec.choices] }),
    ...(spec.digits === undefined ? {} : { digits: [spec.digits[0], spec.digits[1]] as const }),
    ...(referenced === undefined
      ? {}
      : {
          references: {
            table: referenced.$name,
            column: sqlNameOf(referenced, spec.targetColumn ?? referenced.$primaryKey),
            ...(spec.onDelete === undefined ? {} : { onDelete: spec.onDelete }),
            // A reference to a rowid (no primary key) or to another reference is an integer.
            type: typed === spec ? 'integer' : typed.type === 'serial' ? 'integer' : typed.type,
            ...(typed !== spec && typed.type === 'varchar' ? { length: typed.length } : {}),
            ...(typed !== spec && typed.digits !== undefined ? { digits: [typed.digits[0], typed.digits[1]] as const } : {}),
          },
        }),
  };
}

/** Two column schemas describe the same column (same name, type, constraints, default, reference). */
export function sameColumn(a: ColumnSchema, b: ColumnSchema): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

/** Keys in one order, absent and `undefined` alike: what `sameColumn` compares. */
function normalized(column: ColumnSchema): unknown[] {
  return [
    column.name,
    column.type,
    column.nullable,
    column.primaryKey,
    column.unique,
    column.index,
    JSON.stringify(column.default),
    column.length,
    column.choices,
    column.digits,
    column.references?.table,
    column.references?.column,
    column.references?.onDelete,
    column.references?.type,
    column.references?.length,
    column.references?.digits,
  ];
}

function sqlNameOf(table: AnyTable, key: string | undefined): string {
  if (key === undefined) return 'rowid';
  return table.$columns[key]?.spec.dbName ?? key;
}
