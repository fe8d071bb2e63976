export { PiccoError, PiccoErrorCode, isPiccoError, DOCS_BASE_URL, type PiccoErrorDetails } from './errors.js';
export { parseSqlitePath, resolveSqlitePath, invalidPathError, isPrivatePathKind, type SqlitePathInfo, type SqlitePathKind } from './path/parse-sqlite-path.js';
export type { Engine, StatementRunner } from './engine.js';
export { Mutex } from './transaction/mutex.js';
export { TransactionScope, transactionEnded, type EnterScope } from './transaction/transaction-scope.js';
export { Transactions, type TopLevelTarget, type TransactionsOptions } from './transaction/transactions.js';
export type { CompiledQuery, ExecutionResult, StatementMemo, SchemaBatch, BatchStep, TableRebuildStep } from './compiler/compiled-query.js';
export { countsOf } from './compiler/compiled-query.js';
export { compileQuery } from './compiler/query-compiler.js';
export type { DialectName } from './dialect/dialect.js';
export { columnDefinitionSql, createTableSql, createIndexSql, createIndexStatements, dropIndexSql } from './dialect/sqlite/sqlite-ddl.js';
export { addsColumnInPlace, dropsColumnInPlace, onlyIndexDiffers, batchSql, tableRebuildStep } from './dialect/sqlite/sqlite-rebuild.js';
export { sqliteSchemaSteps } from './dialect/sqlite/sqlite-schema-changes.js';
export { postgresSchemaSteps } from './dialect/postgres/postgres-schema-changes.js';
export { applyOperation, replayOperations, inverseOperation, describeOperation, type SchemaOperation, type SchemaState } from './schema/schema-operation.js';
export { tableSchemaOf, columnSchemaOf, sameColumn, toSchemaValue, fromSchemaValue, type ColumnSchema, type ColumnSource, type TableSchema, type ReferenceSchema, type SchemaValue } from './schema/table-schema.js';
export { quoteIdentifier } from './compiler/quote.js';
export type * from './operation-node/nodes.js';
export {
  ColumnBuilder,
  serial,
  integer,
  smallint,
  bigint,
  real,
  double,
  text,
  date,
  time,
  uuid,
  uuid4,
  bytes,
  numeric,
  varchar,
  boolean,
  timestamp,
  json,
  array,
  foreignKey,
  type ColumnSpec,
  type ColumnType,
  type OnDeleteAction,
  type PrimaryKeyValue,
  type SelfReference,
} from './schema/column-builder.js';
export { Column, type AnyColumn, type JoinedColumns } from './schema/column.js';
export { Expression, type AnyExpression, type SubqueryLike, type ValueOrExpression } from './schema/expression.js';
export {
  count,
  sum,
  avg,
  min,
  max,
  lower,
  upper,
  length,
  abs,
  round,
  floor,
  ceil,
  coalesce,
  nullIf,
  cast,
  year,
  month,
  day,
  hour,
  minute,
  second,
  now,
  random,
  exists,
  notExists,
  excluded,
  sql,
  SqlFragment,
  type CastValue,
} from './schema/functions.js';
export { caseWhen, CaseWhen } from './schema/case-when.js';
export { Condition, MAX_CONDITION_HEIGHT, and, or, not, type Filter } from './schema/condition.js';
export { defineTable, RESERVED_COLUMN_NAMES, TABLE_QUERY_METHODS, QUERY_CHAIN_METHODS, type Table, type TableMethods, type TableOptions } from './schema/table.js';
export type {
  AnyTable,
  ColumnsShape,
  ColumnObject,
  ForeignKeyColumn,
  FullRow,
  TableShape,
  VisibleKeys,
  JoinedColumnsOf,
  InsertRow,
  Nested,
  RowOfSelection,
  Selectable,
  SelectRow,
  UpdateValues,
  UpdateSet,
  RowOfColumns,
  ValueOf,
} from './schema/table-types.js';
export { Query } from './query/query.js';
export { RawQuery } from './query/raw-query.js';
export { SelectQuery, FirstQuery, CountQuery, ExistsQuery, JsonQuery, type OrderDirection, type OutputSettings } from './query/select-query.js';
export { InsertQuery, UpdateQuery, DeleteQuery, type RunResult, type UpsertClause } from './query/mutation-queries.js';
export { CreateTableQuery, DropTableQuery, TableExistsQuery, SchemaBatchQuery, createTables, dropTables } from './query/schema-queries.js';
export { alter, AlterTable, AlterTableQuery, type FillOptions } from './query/alter-query.js';
export { param, Param, type NoParams, type ParamValues } from './query/param.js';
export { PreparedQuery, type RunArguments } from './query/prepared-query.js';
