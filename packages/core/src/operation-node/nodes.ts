/**
 * The small tree that builders produce and the compiler consumes (Kysely's "operation nodes").
 * Nodes are plain, immutable objects; builders share them structurally between queries.
 */
import type { ColumnSpec } from '../schema/column-builder.js';

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
}

export type ComparisonOperator = '=' | '<>' | '>' | '>=' | '<' | '<=' | 'LIKE';

export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly column: ColumnRefNode;
  readonly value: ValueNode;
}

export interface InListNode {
  readonly kind: 'in-list';
  readonly negated: boolean;
  readonly column: ColumnRefNode;
  readonly values: readonly ValueNode[];
}

export interface NullCheckNode {
  readonly kind: 'null-check';
  readonly negated: boolean;
  readonly column: ColumnRefNode;
}

export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly conditions: readonly ConditionNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly condition: ConditionNode;
}

export type ConditionNode = ComparisonNode | InListNode | NullCheckNode | LogicalNode | NotNode;

export interface OrderByNode {
  readonly column: ColumnRefNode;
  readonly direction: 'ASC' | 'DESC';
}

export type SelectionNode =
  | { readonly kind: 'columns'; readonly columns: readonly ColumnRefNode[] }
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
}

export interface InsertNode {
  readonly kind: 'insert';
  readonly table: TableRefNode;
  readonly columns: readonly ColumnRefNode[];
  /** One array of values per row, in `columns` order. Empty `columns`: DEFAULT VALUES. */
  readonly rows: readonly (readonly ValueNode[])[];
  readonly onConflict: 'abort' | 'ignore' | 'replace';
  readonly returning: readonly ColumnRefNode[] | undefined;
}

export interface AssignmentNode {
  readonly column: ColumnRefNode;
  readonly value: ValueNode;
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

export interface ForeignKeyNode {
  readonly table: TableRefNode;
  readonly column: string;
}

export interface ColumnDefinitionNode {
  readonly column: ColumnRefNode;
  /** Present for foreign keys: the referenced table and its primary key column. */
  readonly references: ForeignKeyNode | undefined;
  /** The default as a SQL literal, already encoded. */
  readonly defaultValue: SqlValue | undefined;
}

export interface CreateTableNode {
  readonly kind: 'create-table';
  readonly table: TableRefNode;
  readonly columns: readonly ColumnDefinitionNode[];
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

export type QueryNode = SelectNode | InsertNode | UpdateNode | DeleteNode | CreateTableNode | DropTableNode | TableExistsNode;
