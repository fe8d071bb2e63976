/**
 * Column definitions as the user writes them inside `defineTable`: `varchar({ length: 50 }).unique()`.
 * A builder is immutable and knows nothing of its table; `defineTable` binds it into a `Column`.
 *
 * The three type parameters drive row inference:
 * - `TValue`: the JavaScript value stored (`string`, `number`, `Date`, ...),
 * - `TNullable`: whether `null` is allowed (nullable columns are optional on insert),
 * - `THasDefault`: whether insert may omit it (a default, or `serial`).
 */
import type { AnyTable, TableColumns } from './table-types.js';

export type ColumnType = 'serial' | 'integer' | 'bigint' | 'real' | 'text' | 'varchar' | 'boolean' | 'timestamp' | 'json' | 'foreignKey';

export type OnDeleteAction = 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action';

export interface ColumnSpec {
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly index: boolean;
  /** `undefined`: no default. Otherwise `{ value }` holding the JavaScript value. */
  readonly default: { readonly value: unknown } | undefined;
  readonly length: number | undefined;
  readonly references: (() => AnyTable) | undefined;
  readonly onDelete: OnDeleteAction | undefined;
}

export class ColumnBuilder<
  TValue,
  TNullable extends boolean = false,
  THasDefault extends boolean = false,
  TPrimaryKey extends boolean = false,
> {
  /** Phantom members: carry the types for inference, never read at run time. */
  declare readonly _value: TValue;
  declare readonly _nullable: TNullable;
  declare readonly _hasDefault: THasDefault;
  declare readonly _primaryKey: TPrimaryKey;

  constructor(readonly spec: ColumnSpec) {}

  /** Allows `null`; the column becomes optional on insert. */
  nullable(): ColumnBuilder<TValue, true, THasDefault, TPrimaryKey> {
    return new ColumnBuilder({ ...this.spec, nullable: true });
  }

  /** A value used when an insert omits the column. */
  default(value: TValue): ColumnBuilder<TValue, TNullable, true, TPrimaryKey> {
    return new ColumnBuilder({ ...this.spec, default: { value } });
  }

  unique(): ColumnBuilder<TValue, TNullable, THasDefault, TPrimaryKey> {
    return new ColumnBuilder({ ...this.spec, unique: true });
  }

  primaryKey(): ColumnBuilder<TValue, TNullable, THasDefault, true> {
    return new ColumnBuilder({ ...this.spec, primaryKey: true });
  }

  /** Creates an index on this column together with the table. */
  index(): ColumnBuilder<TValue, TNullable, THasDefault, TPrimaryKey> {
    return new ColumnBuilder({ ...this.spec, index: true });
  }
}

export type AnyColumnBuilder = ColumnBuilder<any, boolean, boolean, boolean>;

interface ColumnOptions<TValue> {
  default?: TValue;
}

type WithDefault<TValue, TOptions> = TOptions extends { default: TValue } ? true : false;

function builder(type: ColumnType, options: { default?: unknown; length?: number } = {}, extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return {
    type,
    nullable: false,
    unique: false,
    primaryKey: false,
    index: false,
    default: 'default' in options && options.default !== undefined ? { value: options.default } : undefined,
    length: options.length,
    references: undefined,
    onDelete: undefined,
    ...extra,
  };
}

/** An auto-incrementing integer primary key (SQLite's rowid alias). */
export function serial(): ColumnBuilder<number, false, true, true> {
  return new ColumnBuilder(builder('serial', {}, { primaryKey: true }));
}

export function integer<const O extends ColumnOptions<number> = ColumnOptions<number>>(options?: O): ColumnBuilder<number, false, WithDefault<number, O>> {
  return new ColumnBuilder(builder('integer', options));
}

/** A 64-bit integer read back as a JavaScript `bigint`. */
export function bigint<const O extends ColumnOptions<bigint> = ColumnOptions<bigint>>(options?: O): ColumnBuilder<bigint, false, WithDefault<bigint, O>> {
  return new ColumnBuilder(builder('bigint', options));
}

export function real<const O extends ColumnOptions<number> = ColumnOptions<number>>(options?: O): ColumnBuilder<number, false, WithDefault<number, O>> {
  return new ColumnBuilder(builder('real', options));
}

export function text<const O extends ColumnOptions<string> = ColumnOptions<string>>(options?: O): ColumnBuilder<string, false, WithDefault<string, O>> {
  return new ColumnBuilder(builder('text', options));
}

/** Text with a maximum length, enforced by a CHECK constraint (SQLite itself ignores the length). */
export function varchar<const O extends ColumnOptions<string> & { length: number }>(
  options: O,
): ColumnBuilder<string, false, WithDefault<string, O>> {
  return new ColumnBuilder(builder('varchar', options));
}

/** Stored as 0/1, read back as `true`/`false`. */
export function boolean<const O extends ColumnOptions<boolean> = ColumnOptions<boolean>>(options?: O): ColumnBuilder<boolean, false, WithDefault<boolean, O>> {
  return new ColumnBuilder(builder('boolean', options));
}

/** Stored as ISO-8601 text (which sorts correctly), read back as `Date`. */
export function timestamp<const O extends ColumnOptions<Date> = ColumnOptions<Date>>(options?: O): ColumnBuilder<Date, false, WithDefault<Date, O>> {
  return new ColumnBuilder(builder('timestamp', options));
}

/**
 * Any JSON value, stored as text, read back parsed.
 * Overloads, not an inferred options type: `json<Tags>({ default: ... })` names `T`, and an
 * options type parameter would then fall back to `{}` and lose the default (insert would
 * require the column). `NoInfer` keeps `T` from being inferred from the default
 * (`json({ default: [] })` would type values `never[]`) or from the `defineTable` context (`any`).
 */
export function json<T = unknown>(options: { default: NoInfer<T> }): ColumnBuilder<NoInfer<T>, false, true>;
export function json<T = unknown>(options?: { default?: undefined }): ColumnBuilder<NoInfer<T>, false, false>;
export function json(options?: ColumnOptions<unknown>): ColumnBuilder<unknown, false, boolean> {
  return new ColumnBuilder(builder('json', options));
}

/** The primary key value type of a table: its primary key column's value, else SQLite's rowid. */
export type PrimaryKeyValue<T extends AnyTable> = [PrimaryKeyColumn<TableColumns<T>>] extends [never]
  ? number
  : PrimaryKeyColumn<TableColumns<T>>['_value'];

type PrimaryKeyColumn<C> = { [K in keyof C]: C[K] extends ColumnBuilder<any, boolean, boolean, true> ? C[K] : never }[keyof C];

/**
 * The spec a column's values follow. For a foreign key that is the referenced primary key's
 * (`PrimaryKeyValue` types a reference to a text key as `string`, so values, decoding and the
 * SQL type must follow it too); for every other column, and for rowid references, `spec` itself.
 */
export function valueSpec(spec: ColumnSpec): ColumnSpec {
  if (spec.type !== 'foreignKey') return spec;
  const table = spec.references?.();
  const key = table?.$primaryKey;
  const target = key === undefined ? undefined : table?.$columns[key]?.spec;
  return target === undefined || target.type === 'foreignKey' ? spec : target;
}

/** A column holding the primary key of another table. `() => Table` allows tables defined later. */
export function foreignKey<T extends AnyTable>(
  references: () => T,
  options: { onDelete?: OnDeleteAction } = {},
): ColumnBuilder<PrimaryKeyValue<T>, false, false> {
  return new ColumnBuilder(builder('foreignKey', {}, { references, onDelete: options.onDelete }));
}
