/**
 * The small tree that builders produce and the compiler consumes (Kysely's "operation nodes").
 * Nodes are plain, immutable objects; builders share them structurally between queries.
 */
import type { ColumnSpec } from '../schema/column-builder.js';
import type { SchemaOperation } from '../schema/schema-operation.js';
import type { TableSchema } from '../schema/table-schema.js';

/** What SQLite accepts as a bound parameter. */
export type SqlValue = string | number | bigint | Uint8Array | null;

export interface TableRefNode {
  readonly kind: 'table';
  readonly name: string;
  /** The quoted identifier, computed once at `defineTable`. */
  readonly quoted: string;
}

export interface ColumnRefNode {
  readonly kind: 'column';
  /** The property name on the table object, which is also the SQL column name. */
  readonly key: string;
  readonly quoted: string;
  readonly spec: ColumnSpec;
}

export interface ValueNode {
  readonly kind: 'value';
  readonly value: SqlValue;
  /**
   * A numeric column's value is its integer units (`'12.34'` in a scale-2 column is `1234n`):
   * the scale turns them back into a decimal, for a dialect that stores numeric as such.
   */
  readonly scale?: number;
}

/**
 * One step of a join path: from a column of the table reached so far to a column of `table`
 * (a foreign key to its primary key, or any column with `joinOn`). Steps are made once per
 * foreign key (or per `joinOn` pair) and reused, so their identity names the join in the
 * shape cache.
 */
export interface JoinStepNode {
  readonly kind: 'join-step';
  /** The column the join starts from, on the previous table of the path. */
  readonly from: ColumnRefNode;
  readonly table: TableRefNode;
  /** The columns of `table`, by key (what the joined table offers). */
  readonly columns: ReadonlyMap<string, ColumnRefNode>;
  /** The quoted column of `table` that `from` equals. */
  readonly toQuoted: string;
  /** The previous step; `undefined` when `from` is a column of the query's own table. */
  readonly parent: JoinStepNode | undefined;
  /** The path's keys joined by dots (`band1.manager`): the join's alias and result-key prefix. */
  readonly path: string;
}

/** A column of a table reached through joins: `Band.manager.name`. */
export interface JoinedColumnNode {
  readonly kind: 'joined-column';
  readonly step: JoinStepNode;
  readonly column: ColumnRefNode;
  /** The result key: `manager.name`. */
  readonly key: string;
}

/** `+ - * /` on numbers, `||` on strings. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '||';

export interface BinaryNode {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
  readonly spec: ColumnSpec | undefined;
}

/** The SQL functions Picco knows: a closed set, written into SQL verbatim. */
export type FunctionName = 'LOWER' | 'UPPER' | 'LENGTH' | 'COALESCE' | 'NULLIF' | 'ABS' | 'ROUND' | 'FLOOR' | 'CEIL' | 'RANDOM' | 'NOW';

/** What `cast()` converts to: SQL types every engine has, each with one JavaScript type. */
export type CastType = 'text' | 'integer' | 'bigint' | 'real';

/** `CAST(expression AS type)`. */
export interface CastNode {
  readonly kind: 'cast';
  readonly expression: ExpressionNode;
  readonly to: CastType;
  readonly spec: ColumnSpec;
}

/** A part of a date or timestamp, in UTC, as a whole number. */
export type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** `year(Concert.starts)`: one part of a date or timestamp (SQLite's strftime, PostgreSQL's EXTRACT). */
export interface DatePartNode {
  readonly kind: 'date-part';
  readonly part: DatePart;
  readonly expression: ExpressionNode;
}

/** `CASE WHEN condition THEN value ... ELSE value END`. */
export interface CaseNode {
  readonly kind: 'case';
  readonly whens: readonly { readonly condition: ConditionNode; readonly then: ExpressionNode }[];
  /** `undefined`: no ELSE (NULL when no condition holds). */
  readonly otherwise: ExpressionNode | undefined;
  /** How the result decodes: the branches' common spec. */
  readonly spec: ColumnSpec | undefined;
}

export interface FunctionNode {
  readonly kind: 'function';
  readonly name: FunctionName;
  readonly args: readonly ExpressionNode[];
  /** How the result decodes (`lower` of text is text, `coalesce` of timestamps a Date, ...). */
  readonly spec: ColumnSpec | undefined;
}

export type AggregateName = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly name: AggregateName;
  /** `undefined`: `COUNT(*)`. */
  readonly arg: ExpressionNode | undefined;
  readonly distinct: boolean;
  readonly spec: ColumnSpec | undefined;
}

/** A fragment from the `sql` tagged template: literal text around parameters and expressions. */
export interface RawNode {
  readonly kind: 'raw';
  /** The template's literal parts: one more than `args`. Identity-stable per call site. */
  readonly strings: readonly string[];
  readonly args: readonly ExpressionNode[];
}

/** `excluded."column"` in an upsert's DO UPDATE: the value the insert proposed. */
export interface ExcludedNode {
  readonly kind: 'excluded';
  readonly column: ColumnRefNode;
}

/** A scalar subquery used as a value. */
export interface SubqueryNode {
  readonly kind: 'subquery';
  readonly query: SelectNode;
}

export type ExpressionNode =
  | ColumnRefNode
  | JoinedColumnNode
  | ValueNode
  | BinaryNode
  | FunctionNode
  | AggregateNode
  | RawNode
  | ExcludedNode
  | SubqueryNode
  | CastNode
  | DatePartNode
  | CaseNode;

/** `ILIKE` is written as `LIKE` on SQLite, whose LIKE already ignores ASCII case. */
export type ComparisonOperator = '=' | '<>' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'NOT LIKE' | 'ILIKE';

export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  /** The left operand: a column, or any expression. */
  readonly column: ExpressionNode;
  /** The right operand: a parameter, or any expression (another column, a subquery, ...). */
  readonly value: ExpressionNode;
}

export interface BetweenNode {
  readonly kind: 'between';
  readonly negated: boolean;
  readonly column: ExpressionNode;
  readonly low: ExpressionNode;
  readonly high: ExpressionNode;
}

export interface InListNode {
  readonly kind: 'in-list';
  readonly negated: boolean;
  readonly column: ExpressionNode;
  readonly values: readonly ValueNode[];
}

export interface InSubqueryNode {
  readonly kind: 'in-subquery';
  readonly negated: boolean;
  readonly column: ExpressionNode;
  readonly query: SelectNode;
}

export interface ExistsNode {
  readonly kind: 'exists';
  readonly negated: boolean;
  readonly query: SelectNode;
}

/** A raw `sql` fragment used as a condition. */
export interface RawConditionNode {
  readonly kind: 'raw-condition';
  readonly raw: RawNode;
}

export interface NullCheckNode {
  readonly kind: 'null-check';
  readonly negated: boolean;
  readonly column: ExpressionNode;
}

export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly conditions: readonly ConditionNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly condition: ConditionNode;
}

export type ConditionNode =
  | ComparisonNode
  | BetweenNode
  | InListNode
  | InSubqueryNode
  | ExistsNode
  | RawConditionNode
  | NullCheckNode
  | LogicalNode
  | NotNode;

export interface OrderByNode {
  /** A column, or any expression (`random()`, an aggregate's alias is its expression). */
  readonly column: ExpressionNode;
  readonly direction: 'ASC' | 'DESC';
}

/** One selected value and the key it gets in result rows. */
export interface SelectItemNode {
  readonly expression: ExpressionNode;
  /** The result key; the SQL alias (`AS "manager.name"`) when it differs from the column's name. */
  readonly key: string;
}

export type SelectionNode =
  /** Columns of the query's own table only: the common case, its text cached per node. */
  | { readonly kind: 'columns'; readonly columns: readonly ColumnRefNode[] }
  /** Anything else: joined columns, expressions, aggregates. */
  | { readonly kind: 'items'; readonly items: readonly SelectItemNode[] }
  | { readonly kind: 'count' }
  | { readonly kind: 'exists' };

export interface SelectNode {
  readonly kind: 'select';
  readonly table: TableRefNode;
  readonly selection: SelectionNode;
  readonly where: ConditionNode | undefined;
  readonly orderBy: readonly OrderByNode[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  /** Absent on the plain queries; set by `distinct()`, `groupBy()`, `having()`, `count({ distinct })`. */
  readonly distinct?: boolean;
  readonly groupBy?: readonly ExpressionNode[];
  readonly having?: ConditionNode;
  /** `count({ distinct: [...] })`: count the distinct combinations of these. */
  readonly countDistinct?: readonly ExpressionNode[];
}

export interface InsertNode {
  readonly kind: 'insert';
  readonly table: TableRefNode;
  readonly columns: readonly ColumnRefNode[];
  /** One array of values per row, in `columns` order. Empty `columns`: DEFAULT VALUES. */
  readonly rows: readonly (readonly ValueNode[])[];
  readonly onConflict: 'abort' | 'ignore' | 'replace';
  /** `ON CONFLICT (...) DO NOTHING / DO UPDATE SET ...` clauses, in order: absent unless `onConflict({ ... })` added one. */
  readonly upserts?: readonly UpsertNode[];
  readonly returning: readonly ColumnRefNode[] | undefined;
}

export interface UpsertNode {
  /** The conflict target's columns; empty: any constraint (DO NOTHING, in the last clause only). */
  readonly target: readonly ColumnRefNode[];
  readonly action: 'doNothing' | 'doUpdate';
  readonly set: readonly AssignmentNode[];
  readonly where: ConditionNode | undefined;
}

export interface AssignmentNode {
  readonly column: ColumnRefNode;
  /** A parameter, or an expression (`Band.popularity.plus(10)`, `excluded(Band.name)`). */
  readonly value: ExpressionNode;
}

export interface UpdateNode {
  readonly kind: 'update';
  readonly table: TableRefNode;
  readonly assignments: readonly AssignmentNode[];
  readonly where: ConditionNode | undefined;
  readonly returning: readonly ColumnRefNode[] | undefined;
}

export interface DeleteNode {
  readonly kind: 'delete';
  readonly table: TableRefNode;
  readonly where: ConditionNode | undefined;
  readonly returning: readonly ColumnRefNode[] | undefined;
}

export interface CreateTableNode {
  readonly kind: 'create-table';
  readonly table: TableRefNode;
  readonly schema: TableSchema;
  readonly ifNotExists: boolean;
}

export interface DropTableNode {
  readonly kind: 'drop-table';
  readonly table: TableRefNode;
  readonly ifExists: boolean;
}

export interface TableExistsNode {
  readonly kind: 'table-exists';
  readonly table: TableRefNode;
}

/**
 * A change to an existing table: one schema operation on it (`schema/schema-operation.ts`),
 * with the table's schema before it. Each dialect decides how: SQLite in place where its
 * ALTER TABLE can, with a table rebuild otherwise.
 */
export interface AlterTableNode {
  readonly kind: 'alter-table';
  readonly table: TableRefNode;
  readonly schema: TableSchema;
  readonly operation: SchemaOperation;
}

export type QueryNode = SelectNode | InsertNode | UpdateNode | DeleteNode | CreateTableNode | DropTableNode | TableExistsNode | AlterTableNode;
