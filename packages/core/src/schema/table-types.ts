/**
 * Type-level machinery: what rows look like for a set of column builders.
 */
import type { Engine } from '../engine.js';
import type { AnyColumnBuilder, ColumnBuilder, KeyValueOf, SelfReference } from './column-builder.js';
import type { Column } from './column.js';
import type { Expression } from './expression.js';

export type ColumnsShape = Record<string, AnyColumnBuilder>;

/** Flattens intersections so hovers show `{ id: number; name: string }`. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The JavaScript value of a column builder, `| null` when nullable. `C`, the columns of its
 * table, resolves `foreignKey('self')` to the table's own key.
 */
export type ValueOf<B, C = ColumnsShape> = B extends ColumnBuilder<infer V, infer N, boolean, boolean, infer R, boolean> ? (N extends true ? ResolvedValue<V, R, C> | null : ResolvedValue<V, R, C>) : never;

/** A builder's value type; for `foreignKey('self')` that of the key it references in `C`. */
type ResolvedValue<V, R, C> = [R] extends [SelfReference<infer K>] ? (K extends keyof C ? (C[K] extends ColumnBuilder<infer T, boolean, boolean, boolean, any, boolean> ? T : never) : KeyValueOf<C>) : V;

/** The keys of the columns `select()` returns unless named: all but the secret ones. */
export type VisibleKeys<C> = { [K in keyof C]: C[K] extends ColumnBuilder<any, boolean, boolean, boolean, any, true> ? never : K }[keyof C];

/** A row as `select()` returns it: every column but the secret ones. */
export type SelectRow<C extends ColumnsShape> = Simplify<{ -readonly [K in VisibleKeys<C>]: ValueOf<C[K], C> }>;

/** Every column, secret ones included: what upserts may set. */
export type FullRow<C extends ColumnsShape> = Simplify<{ -readonly [K in keyof C]: ValueOf<C[K], C> }>;

type OptionalInsertKeys<C extends ColumnsShape> = {
  [K in keyof C]: C[K] extends ColumnBuilder<any, infer N, infer D, boolean, any, boolean> ? (N extends true ? K : D extends true ? K : never) : never;
}[keyof C];

/** A row as `insert()` takes it: columns with a default, `serial` and nullable ones may be omitted. */
export type InsertRow<C extends ColumnsShape> = Simplify<
  { [K in Exclude<keyof C, OptionalInsertKeys<C>>]: ValueOf<C[K], C> } & { [K in OptionalInsertKeys<C>]?: ValueOf<C[K], C> }
>;

/** Any subset of the columns, with their values. */
export type UpdateValues<C extends ColumnsShape> = Simplify<{ [K in keyof C]?: ValueOf<C[K], C> }>;

/**
 * What `update()` takes: any subset of the columns, each a value or an expression of the same
 * type on the table (`{ popularity: Band.popularity.plus(10) }`).
 */
export type UpdateSet<C extends ColumnsShape, Name extends string> = Simplify<{
  [K in keyof C]?: ValueOf<C[K], C> | Expression<NonNullable<ValueOf<C[K], C>>, boolean, string, Name>;
}>;

/** The bound column objects a table exposes as properties. */
export type TableColumnObjects<Name extends string, C extends ColumnsShape> = {
  readonly [K in keyof C & string]: ColumnObject<C[K], K, Name, false, TableShape<Name, C>>;
};

/** A table's type as far as its columns tell it: what `foreignKey('self')` leads back to. */
export interface TableShape<Name extends string, C extends ColumnsShape> extends AnyTable {
  readonly $name: Name;
  readonly $columns: C;
}

/**
 * The column object for a builder: a `Column`, and for a foreign key also the referenced
 * table's columns (`Band.manager.name`), keyed by their path (`manager.name`), usable in
 * queries on `Root`, nullable when any foreign key on the way is (a LEFT JOIN then reads null).
 * `Owner` is the table the builder belongs to: where `foreignKey('self')` leads.
 */
export type ColumnObject<B, Key extends string, Root extends string, PathNullable extends boolean, Owner extends AnyTable = AnyTable> =
  B extends ColumnBuilder<infer V, infer N, boolean, boolean, infer R, boolean>
    ? [R] extends [SelfReference<any>]
      ? ForeignKeyColumn<ValueOf<ColumnBuilder<V, false, false, false, R>, Owner['$columns']>, N | PathNullable, Key, Root, Owner, Owner>
      : [R] extends [AnyTable]
        ? ForeignKeyColumn<V, N | PathNullable, Key, Root, R, Owner>
        : Column<V, N | PathNullable, Key, Root>
    : never;

/** The referenced table's columns, reached through a foreign key. */
export type JoinedColumnsOf<R extends AnyTable, Prefix extends string, Root extends string, N extends boolean> = {
  readonly [K in keyof R['$columns'] & string]: ColumnObject<R['$columns'][K], `${Prefix}.${K}`, Root, N, R>;
};

/** The joined columns `allColumns()` returns: all but the secret ones, unless `includeSecrets`. */
type AllJoined<R extends AnyTable, Key extends string, Root extends string, N extends boolean, Secrets extends boolean> = JoinedColumnsOf<R, Key, Root, N>[(Secrets extends true
  ? keyof R['$columns']
  : VisibleKeys<R['$columns']>) &
  string];

/**
 * A foreign key column: its value, and the referenced table's columns. `Owner` is the table
 * holding the key: a foreign key of a table's own columns (no dot in its key) also has
 * `reverse()`, which reaches `Owner`'s columns from queries on the referenced table (nullable:
 * a LEFT JOIN).
 */
export type ForeignKeyColumn<V, N extends boolean, Key extends string, Root extends string, R extends AnyTable, Owner extends AnyTable = AnyTable> = (Key extends `${string}.${string}`
  ? unknown
  : {
      /** The table holding this key, joined from the table it references: `Band.select(FanClub.band.reverse().address)`. */
      reverse(): JoinedColumnsOf<Owner, Owner['$name'], R['$name'], true>;
    }) & {
  /** Every column of the referenced table but its secret ones (`{ includeSecrets: true }`: those too). */
  allColumns<X extends AllJoined<R, Key, Root, N, S> = never, S extends boolean = false>(options?: {
    exclude?: readonly X[];
    includeSecrets?: S;
  }): Exclude<AllJoined<R, Key, Root, N, S>, X>[];
  /** The referenced table's columns, including those whose names `Column` itself uses. */
  readonly $: JoinedColumnsOf<R, Key, Root, N>;
} & Column<V, N, Key, Root> &
  Omit<JoinedColumnsOf<R, Key, Root, N>, keyof Column>;

type FlattenSelection<T> = T extends readonly (infer I)[] ? I : T;

/**
 * The row `select(...)` returns for columns, expressions and lists of them
 * (`Band.manager.allColumns()`): each under its key, `null` allowed unless never null.
 */
export type RowOfSelection<S extends readonly unknown[]> = Simplify<{
  -readonly [X in FlattenSelection<S[number]> as X extends Expression<any, boolean, infer K, string> ? K : never]: X extends Expression<infer V, infer N, string, string>
    ? [N] extends [false]
      ? V
      : V | null
    : never;
}>;

/** What `select()` takes for a table named `Name`. */
export type Selectable<Name extends string> = Expression<any, boolean, string, Name> | readonly Expression<any, boolean, string, Name>[];

/** `{ 'manager.name': x }` as `{ manager: { name: x } }`: what `output({ nested: true })` makes. */
export type Nested<Row> = Row extends object
  ? Simplify<
      { [K in keyof Row as K extends `${string}.${string}` ? never : K]: Row[K] } & {
        [H in PathHead<keyof Row>]: Nested<{ [K in keyof Row as PathTail<K, H>]: Row[K] }>;
      }
    >
  : never;

type PathHead<K> = K extends `${infer Head}.${string}` ? Head : never;
type PathTail<K, Head extends string> = K extends `${Head}.${infer Rest}` ? Rest : never;
/** The row `select(Band.name, Band.id)` returns: just those columns. */
export type RowOfColumns<S extends readonly Column<any, boolean, string, string>[]> = Simplify<{
  -readonly [Col in S[number] as Col['key']]: Col extends Column<infer V, infer N, string, string> ? (N extends true ? V | null : V) : never;
}>;

/** Anything `defineTable` made; used where any table will do. */
export interface AnyTable {
  readonly $name: string;
  readonly $columns: ColumnsShape;
  readonly $engine: Engine | undefined;
  readonly $primaryKey: string | undefined;
}

export type TableColumns<T extends AnyTable> = T['$columns'];
