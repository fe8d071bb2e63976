/**
 * What differs between the SQL of two databases. The statement compiler
 * (`compiler/query-compiler.ts`) writes everything the dialects share (SELECT, INSERT, UPDATE,
 * DELETE, conditions, joins, expressions) and asks its dialect for the rest: placeholders,
 * LIMIT/OFFSET, how a timestamp compares, conflict handling, and all of the DDL, whose types
 * and constraints differ too much to share.
 *
 * An engine names its dialect (`Engine.dialect`); core owns the dialects, so an engine written
 * by someone else picks one of these by name and gets the same compiler and caches as Picco's
 * own engines. An engine that names none speaks SQLite (what every engine spoke before dialects).
 */
import type { CompiledQuery } from '../compiler/compiled-query.js';
import type { ColumnSpec } from '../schema/column-builder.js';
import type {
  AggregateName,
  AlterTableNode,
  ColumnRefNode,
  CastType,
  DatePart,
  ComparisonOperator,
  FunctionName,
  SqlValue,
  CreateTableNode,
  DropTableNode,
  InsertNode,
  TableExistsNode,
  TableRefNode,
} from '../operation-node/nodes.js';

/** The SQL dialects core compiles to. */
export type DialectName = 'sqlite' | 'postgres';

export const DIALECT_NAMES: readonly DialectName[] = ['sqlite', 'postgres'];

export interface SqlDialect {
  readonly name: DialectName;
  /** The text of the `index`-th parameter (1-based): `?` for SQLite, `$1` for PostgreSQL. */
  placeholder(index: number): string;
  /** Whether every placeholder is the same text (then an insert's value tuple is written once per shape). */
  readonly anonymousPlaceholders: boolean;
  /** A comparison operator as this dialect writes it (`ILIKE` is plain `LIKE` on SQLite). */
  comparisonOperator(operator: ComparisonOperator): string;
  /** What a condition or ORDER BY compares for a timestamp column written as `sql`. */
  timestampOperand(sql: string): string;
  /** `now()` in the form a timestamp column compares with. */
  readonly now: string;
  /** A function call, its arguments already written (`NOW` is `now` above). */
  functionCall(name: FunctionName, args: readonly string[]): string;
  /** An aggregate, its argument already written (`undefined`: `*`); `numeric` when it aggregates a numeric column. */
  aggregate(name: AggregateName, distinct: boolean, arg: string | undefined, numeric: boolean): string;
  /**
   * `ASC` / `DESC`, with where NULLs go when the dialect needs saying so: SQLite puts them first
   * in ascending order, and so Picco does on every engine. `nullable`: whether the sorted value
   * may be NULL (`undefined`: not known, an expression).
   */
  orderDirection(direction: 'ASC' | 'DESC', nullable: boolean | undefined): string;
  /** What follows a subquery in FROM (PostgreSQL before 16 requires an alias; SQLite's text has none). */
  readonly derivedTableAlias: string;
  /** Whether upsert SET/WHERE expressions name the table's columns qualified (PostgreSQL: a bare name is ambiguous with EXCLUDED's). */
  readonly qualifyUpsertColumns: boolean;
  /**
   * How a numeric value (integer units, see `ValueNode.scale`) is sent: `undefined` sends the
   * units (SQLite stores them); PostgreSQL's numeric columns take the decimal.
   */
  readonly decimalParameter: ((units: bigint, scale: number) => SqlValue) | undefined;
  /** A parameter that must carry the type of `spec` (a CASE branch): SQLite needs no type, PostgreSQL a cast. */
  typedParameter(placeholder: string, spec: ColumnSpec): string;
  /** `CAST(sql AS type)` in this dialect's type names. */
  cast(sql: string, to: CastType): string;
  /** One part of a date (`isDate`) or timestamp written as `sql`, in UTC, as a whole number. */
  datePart(sql: string, part: DatePart, isDate: boolean): string;
  /** ` LIMIT n OFFSET m` (with its leading space), or '' when neither is set. */
  limitOffset(limit: number | undefined, offset: number | undefined): string;
  /** The start of an INSERT up to the table name: `INSERT OR IGNORE INTO "band"`. */
  insertInto(node: InsertNode): string;
  /**
   * A value of an INSERT row for `column`, its placeholder already written. A serial column's
   * NULL means "the next id" on SQLite (rows of one insert that give no id get NULL there).
   */
  insertValue(table: TableRefNode, column: ColumnRefNode, placeholder: string): string;
  /** What an INSERT adds after its values for its `onConflict` mode (before upserts and RETURNING). */
  insertConflictSuffix(node: InsertNode): string;
  /** The hidden column that identifies a row (SQLite's `"rowid"`), for an UPDATE or DELETE that filters through joins. */
  readonly rowIdentity: string;
  createTable(node: CreateTableNode): CompiledQuery;
  dropTable(node: DropTableNode): CompiledQuery;
  alterTable(node: AlterTableNode): CompiledQuery;
  tableExists(node: TableExistsNode): CompiledQuery;
}
