/**
 * Column definitions as the user writes them inside `defineTable`: `varchar({ length: 50 }).unique()`.
 * A builder is immutable and knows nothing of its table; `defineTable` binds it into a `Column`.
 *
 * The three type parameters drive row inference:
 * - `TValue`: the JavaScript value stored (`string`, `number`, `Date`, ...),
 * - `TNullable`: whether `null` is allowed (nullable columns are optional on insert),
 * - `THasDefault`: whether insert may omit it (a default, or `serial`).
 * - `TSecret`: whether `select()` leaves it out unless named (`.secret()`).
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ExpressionNode } from '../operation-node/nodes.js';
import { Expression } from './expression.js';
import { ARRAY_ELEMENT_TYPES } from './array-values.js';
import type { AnyTable, TableColumns } from './table-types.js';

export type ColumnType =
  | 'serial'
  | 'integer'
  | 'smallint'
  | 'bigint'
  | 'real'
  | 'double'
  | 'text'
  | 'varchar'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'time'
  | 'uuid'
  | 'bytes'
  | 'numeric'
  | 'json'
  | 'array'
  | 'foreignKey';

export type OnDeleteAction = 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action';

export interface ColumnSpec {
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly index: boolean;
  /**
   * `undefined`: no default. Otherwise `{ value }` holding the JavaScript value, or a function
   * called for every insert that omits the column (`uuid4`, `() => new Date()`).
   */
  readonly default: { readonly value: unknown } | undefined;
  /** The only values allowed (`text({ choices: ['s', 'm', 'l'] })`), checked on write and by a CHECK. */
  readonly choices?: readonly string[];
  /** The column's name in SQL when it differs from the property (`.columnName('band_name')`). */
  readonly dbName?: string;
  /** `array`: the column each element is (`array(integer())`). */
  readonly element?: ColumnSpec;
  /** `numeric`: total digits and digits after the point. */
  readonly digits?: readonly [precision: number, scale: number];
  readonly length: number | undefined;
  readonly references: (() => AnyTable) | undefined;
  /**
   * `foreignKey('self')`: a reference to the column's own table, which does not exist yet when
   * the builder is made; `defineTable` turns it into `references`.
   */
  readonly selfReference?: boolean;
  /** The referenced column's key when it is not the primary key (`foreignKey(() => Manager, { targetColumn: 'name' })`). */
  readonly targetColumn?: string;
  readonly onDelete: OnDeleteAction | undefined;
  /** Left out of `select()`, `allColumns()` and `returning()` unless named (`.secret()`). */
  readonly secret?: boolean;
  /**
   * Set by every `update()` (and upsert DO UPDATE) that does not set the column itself:
   * `{ value }` holds a value, a function called per update, or an `Expression` (`now()`).
   */
  readonly autoUpdate?: { readonly value: unknown };
}

export class ColumnBuilder<
  TValue,
  TNullable extends boolean = false,
  THasDefault extends boolean = false,
  TPrimaryKey extends boolean = false,
  /** For a foreign key, the table it references (what `Band.manager.name` is typed from). */
  TReferences = unknown,
  TSecret extends boolean = false,
> {
  /** Phantom members: carry the types for inference, never read at run time. */
  declare readonly _value: TValue;
  declare readonly _nullable: TNullable;
  declare readonly _hasDefault: THasDefault;
  declare readonly _primaryKey: TPrimaryKey;
  declare readonly _references: TReferences;
  declare readonly _secret: TSecret;

  constructor(readonly spec: ColumnSpec) {}

  /** Allows `null`; the column becomes optional on insert. */
  nullable(): ColumnBuilder<TValue, true, THasDefault, TPrimaryKey, TReferences, TSecret> {
    return new ColumnBuilder({ ...this.spec, nullable: true });
  }

  /** A value used when an insert omits the column, or a function computing one per insert. */
  default(value: TValue | (() => TValue)): ColumnBuilder<TValue, TNullable, true, TPrimaryKey, TReferences, TSecret> {
    return new ColumnBuilder({ ...this.spec, default: { value } });
  }

  /** Names the column differently in SQL (Piccolo's `db_column_name`); rows still use the property name. */
  columnName(name: string): ColumnBuilder<TValue, TNullable, THasDefault, TPrimaryKey, TReferences, TSecret> {
    if (typeof name !== 'string' || name === '' || name.includes('\u0000')) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `columnName() takes a non-empty SQL column name, got ${JSON.stringify(name)}.`);
    }
    return new ColumnBuilder({ ...this.spec, dbName: name });
  }

  unique(): ColumnBuilder<TValue, TNullable, THasDefault, TPrimaryKey, TReferences, TSecret> {
    return new ColumnBuilder({ ...this.spec, unique: true });
  }

  primaryKey(): ColumnBuilder<TValue, TNullable, THasDefault, true, TReferences, TSecret> {
    return new ColumnBuilder({ ...this.spec, primaryKey: true });
  }

  /** Creates an index on this column together with the table. */
  index(): ColumnBuilder<TValue, TNullable, THasDefault, TPrimaryKey, TReferences, TSecret> {
    return new ColumnBuilder({ ...this.spec, index: true });
  }

  /**
   * Leaves the column out of `select()`, `allColumns()` and `returning()` unless it is named
   * (`User.select(User.password)`), as Piccolo's `secret=True`: a password hash never reaches a
   * row by accident. Its type is left out of those rows too.
   */
  secret(): ColumnBuilder<TValue, TNullable, THasDefault, TPrimaryKey, TReferences, true> {
    if (this.spec.primaryKey) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `A primary key cannot be secret(): rows, joins and returning() need it. Make another column secret.`);
    }
    return new ColumnBuilder({ ...this.spec, secret: true });
  }

  /**
   * A value every `update()` sets when it does not set this column itself (Piccolo's
   * `auto_update`): `timestamp().autoUpdate(now())`, or a function called per update
   * (`() => new Date()`), or a plain value. Upserts' DO UPDATE set it too. Inserts do not: give
   * the column a `default` for them.
   */
  autoUpdate(value: TValue | (() => TValue) | Expression<TValue, boolean, string, never>): ColumnBuilder<TValue, TNullable, THasDefault, TPrimaryKey, TReferences, TSecret> {
    if (value === undefined) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `autoUpdate() takes a value, a function computing one per update, or an expression such as now(); got undefined.`);
    }
    if (value instanceof Expression && !namesNoColumn(value.node)) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `autoUpdate() takes an expression that names no column (such as now()): a column's table does not exist yet while its columns are defined. Use a function for a computed value.`);
    }
    return new ColumnBuilder({ ...this.spec, autoUpdate: { value } });
  }
}

export type AnyColumnBuilder = ColumnBuilder<any, boolean, boolean, boolean, any, boolean>;

/** Whether an expression node is free of columns (what `autoUpdate()` can hold before its table exists). */
function namesNoColumn(node: ExpressionNode): boolean {
  switch (node.kind) {
    case 'value':
      return true;
    case 'function':
      return node.args.every(namesNoColumn);
    case 'binary':
      return namesNoColumn(node.left) && namesNoColumn(node.right);
    default:
      return false;
  }
}

interface ColumnOptions<TValue> {
  /** A value, or a function computing one for every insert that omits the column. */
  default?: TValue | (() => TValue);
}

type WithDefault<TValue, TOptions> = TOptions extends { default: TValue | (() => TValue) } ? true : false;

/** The value type of a text column: the union of its `choices`, or any string. */
type TextValue<O> = O extends { choices: readonly (infer C extends string)[] } ? C : string;

function builder(type: ColumnType, options: { default?: unknown; length?: number; choices?: readonly string[] } = {}, extra: Partial<ColumnSpec> = {}): ColumnSpec {
  if (options.choices !== undefined && (!Array.isArray(options.choices) || options.choices.length === 0 || !options.choices.every((choice) => typeof choice === 'string'))) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `choices takes a non-empty array of strings, for example text({ choices: ['s', 'm', 'l'] }).`);
  }
  return {
    ...(options.choices === undefined ? {} : { choices: [...options.choices] }),
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

/** Text; with `choices` only those values (the type narrows to their union). */
export function text<const O extends ColumnOptions<TextValue<O>> & { choices?: readonly string[] } = ColumnOptions<string>>(
  options?: O,
): ColumnBuilder<TextValue<O>, false, WithDefault<TextValue<O>, O>> {
  return new ColumnBuilder(builder('text', options));
}

/** A 16-bit integer (-32768 to 32767), enforced by a CHECK constraint. */
export function smallint<const O extends ColumnOptions<number> = ColumnOptions<number>>(options?: O): ColumnBuilder<number, false, WithDefault<number, O>> {
  return new ColumnBuilder(builder('smallint', options));
}

/** A double-precision float: SQLite's REAL (the same storage as `real()`). */
export function double<const O extends ColumnOptions<number> = ColumnOptions<number>>(options?: O): ColumnBuilder<number, false, WithDefault<number, O>> {
  return new ColumnBuilder(builder('double', options));
}

/** A calendar date, stored as `YYYY-MM-DD`, read back as a `Date` at UTC midnight (a Date with a time of day is refused). */
export function date<const O extends ColumnOptions<Date> = ColumnOptions<Date>>(options?: O): ColumnBuilder<Date, false, WithDefault<Date, O>> {
  return new ColumnBuilder(builder('date', options));
}

/** A time of day as a string, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.sss` (text sorts it correctly). */
export function time<const O extends ColumnOptions<string> = ColumnOptions<string>>(options?: O): ColumnBuilder<string, false, WithDefault<string, O>> {
  return new ColumnBuilder(builder('time', options));
}

/** A UUID string; `uuid({ default: uuid4 })` generates one per insert. */
export function uuid<const O extends ColumnOptions<string> = ColumnOptions<string>>(options?: O): ColumnBuilder<string, false, WithDefault<string, O>> {
  return new ColumnBuilder(builder('uuid', options));
}

/**
 * An exact decimal, as a numeric string (`'12.34'`, typed `${number}`): never a float. `digits: [precision, scale]` as in
 * SQL (`[5, 2]` holds -999.99 to 999.99, precision at most 18). Stored as an INTEGER counting
 * units of the last digit (12.34 as 1234), so comparisons, ordering, sums, min and max are exact
 * in SQLite itself; raw SQL sees that integer.
 */
export function numeric<const O extends ColumnOptions<`${number}`> & { digits: readonly [number, number] }>(options: O): ColumnBuilder<`${number}`, false, WithDefault<`${number}`, O>> {
  const digits = options?.digits;
  if (!Array.isArray(digits) || digits.length !== 2 || !digits.every(Number.isSafeInteger) || digits[0] < 1 || digits[0] > 18 || digits[1] < 0 || digits[1] > digits[0]) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `numeric() needs digits: [precision, scale] with 1 <= precision <= 18 and 0 <= scale <= precision, for example numeric({ digits: [5, 2] }).`);
  }
  return new ColumnBuilder(builder('numeric', options, { digits: [digits[0], digits[1]] }));
}

/** A random (version 4) UUID: the per-insert default for `uuid()` columns. */
export function uuid4(): string {
  return globalThis.crypto.randomUUID();
}

/** Bytes, stored as a BLOB, read back as a `Uint8Array` (a Buffer on Node). */
export function bytes<const O extends ColumnOptions<Uint8Array> = ColumnOptions<Uint8Array>>(options?: O): ColumnBuilder<Uint8Array, false, WithDefault<Uint8Array, O>> {
  return new ColumnBuilder(builder('bytes', options));
}

/** Text with a maximum length, enforced by a CHECK constraint (SQLite itself ignores the length). */
export function varchar<const O extends ColumnOptions<TextValue<O>> & { length: number; choices?: readonly string[] }>(
  options: O,
): ColumnBuilder<TextValue<O>, false, WithDefault<TextValue<O>, O>> {
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

/** The value of an array's element column: `number` for `integer()`, `number | null` for `integer().nullable()`. */
type ElementValue<E> = E extends ColumnBuilder<infer V, infer N, boolean, boolean, any, boolean> ? (N extends true ? V | null : V) : never;

/**
 * A list of values of one column type: `array(integer())` is `number[]`, `array(timestamp())`
 * is `Date[]`, `array(array(bigint()))` is `bigint[][]`. SQLite has no arrays: the list is
 * stored as JSON text, each element checked as its column would check it and kept in a form
 * that reads back exactly (see array-values.ts). `eq()` compares whole lists.
 */
export function array<E extends AnyColumnBuilder, const O extends ColumnOptions<ElementValue<E>[]> = ColumnOptions<ElementValue<E>[]>>(
  element: E,
  options?: O,
): ColumnBuilder<ElementValue<E>[], false, WithDefault<ElementValue<E>[], O>> {
  if (!(element instanceof ColumnBuilder)) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `array() takes the column its elements are, for example array(integer()); got ${element === null ? 'null' : typeof element}.`);
  }
  const spec = element.spec;
  if (!ARRAY_ELEMENT_TYPES.has(spec.type) || spec.primaryKey || spec.unique || spec.default !== undefined || spec.autoUpdate !== undefined || spec.secret === true) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `array() elements are plain columns of a type JSON can hold exactly (${[...ARRAY_ELEMENT_TYPES].join(', ')}), without keys, defaults or other modifiers but nullable(); got ${spec.type}${spec.type === 'json' ? ' (a json() column holds any list already)' : ''}.`,
    );
  }
  return new ColumnBuilder(builder('array', options, { element: spec }));
}

/** The primary key value type of a table: its primary key column's value, else SQLite's rowid. */
export type PrimaryKeyValue<T extends AnyTable> = KeyValueOf<TableColumns<T>>;

/** The primary key value of a set of columns, else SQLite's rowid (a number). */
export type KeyValueOf<C> = [PrimaryKeyColumn<C>] extends [never] ? number : PrimaryKeyColumn<C>['_value'];

type PrimaryKeyColumn<C> = { [K in keyof C]: C[K] extends ColumnBuilder<any, boolean, boolean, true, any, boolean> ? C[K] : never }[keyof C];

/**
 * What `foreignKey('self')` references: the table being defined. The row types resolve it
 * against the table's own columns (see `ValueOf` and `ColumnObject` in table-types.ts), since
 * the table's type cannot name itself while it is being written.
 */
export interface SelfReference<TTarget extends string | undefined = undefined> {
  readonly _selfTarget: TTarget;
}

/**
 * The spec a column's values follow. For a foreign key that is the referenced column's (a
 * reference to a text key is a string, so values, decoding and the SQL type must follow it
 * too); for every other column, and for rowid references, `spec` itself.
 */
export function valueSpec(spec: ColumnSpec): ColumnSpec {
  if (spec.type !== 'foreignKey') return spec;
  const table = spec.references?.();
  const key = spec.targetColumn ?? table?.$primaryKey;
  const target = key === undefined ? undefined : table?.$columns[key]?.spec;
  return target === undefined || target.type === 'foreignKey' ? spec : target;
}

interface ForeignKeyOptions {
  onDelete?: OnDeleteAction;
}

/**
 * A column holding a key of another table: its primary key, or with `targetColumn` another
 * UNIQUE column (`foreignKey(() => Manager, { targetColumn: 'name' })`). `() => Table` allows
 * tables defined later; `'self'` references the table being defined (`parent: foreignKey('self')`).
 */
export function foreignKey<const K extends string | undefined = undefined>(
  references: 'self',
  options?: ForeignKeyOptions & { targetColumn?: K },
): ColumnBuilder<unknown, false, false, false, SelfReference<K>>;
export function foreignKey<T extends AnyTable, const K extends keyof T['$columns'] & string>(
  references: () => T,
  options: ForeignKeyOptions & { targetColumn: K },
): ColumnBuilder<T['$columns'][K]['_value'], false, false, false, T>;
export function foreignKey<T extends AnyTable>(references: () => T, options?: ForeignKeyOptions): ColumnBuilder<PrimaryKeyValue<T>, false, false, false, T>;
export function foreignKey(references: 'self' | (() => AnyTable), options: ForeignKeyOptions & { targetColumn?: string } = {}): ColumnBuilder<unknown, false, false, false, unknown> {
  if (references !== 'self' && typeof references !== 'function') {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `foreignKey() takes a function returning the referenced table, for example foreignKey(() => Manager), or 'self'; got ${JSON.stringify(references)}.`);
  }
  const targetColumn = options.targetColumn;
  if (targetColumn !== undefined && (typeof targetColumn !== 'string' || targetColumn === '')) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `foreignKey() targetColumn takes the key of a UNIQUE column of the referenced table, for example { targetColumn: 'name' }.`);
  }
  return new ColumnBuilder(
    builder('foreignKey', {}, {
      references: references === 'self' ? undefined : references,
      onDelete: options.onDelete,
      ...(references === 'self' ? { selfReference: true } : {}),
      ...(targetColumn === undefined ? {} : { targetColumn }),
    }),
  );
}
