/**
 * Type-level machinery: what rows look like for a set of column builders.
 */
import type { Engine } from '../engine.js';
import type { ColumnBuilder } from './column-builder.js';
import type { Column } from './column.js';

export type ColumnsShape = Record<string, ColumnBuilder<any, boolean, boolean, boolean>>;

/** Flattens intersections so hovers show `{ id: number; name: string }`. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The JavaScript value of a column builder, `| null` when nullable. */
export type ValueOf<B> = B extends ColumnBuilder<infer V, infer N, boolean, boolean> ? (N extends true ? V | null : V) : never;

/** A full row as `select()` returns it. */
export type SelectRow<C extends ColumnsShape> = Simplify<{ -readonly [K in keyof C]: ValueOf<C[K]> }>;

type OptionalInsertKeys<C extends ColumnsShape> = {
  [K in keyof C]: C[K] extends ColumnBuilder<any, infer N, infer D, boolean> ? (N extends true ? K : D extends true ? K : never) : never;
}[keyof C];

/** A row as `insert()` takes it: columns with a default, `serial` and nullable ones may be omitted. */
export type InsertRow<C extends ColumnsShape> = Simplify<
  { [K in Exclude<keyof C, OptionalInsertKeys<C>>]: ValueOf<C[K]> } & { [K in OptionalInsertKeys<C>]?: ValueOf<C[K]> }
>;

/** What `update()` takes: any subset of the columns. */
export type UpdateValues<C extends ColumnsShape> = Simplify<{ [K in keyof C]?: ValueOf<C[K]> }>;

/** The bound column objects a table exposes as properties. */
export type TableColumnObjects<Name extends string, C extends ColumnsShape> = {
  readonly [K in keyof C & string]: C[K] extends ColumnBuilder<infer V, infer N, boolean, boolean> ? Column<V, N, K, Name> : never;
};

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
