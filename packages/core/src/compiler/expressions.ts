/**
 * Expressions and conditions, twice: `walk*` records a statement's shape and collects its
 * values; `compile*` writes its text. The two must list values in the same order (the
 * compiler checks that they agree before it keeps a shape; see query-compiler.ts). What differs
 * between databases (placeholders, operators, timestamps) is asked of the context's dialect.
 *
 * Columns are written bare in single-table statements (`"name"`, as always) and qualified
 * when the statement joins (`"band"."name"`, `"manager"."name"`, the join's alias being its
 * path).
 */
import type { SqlDialect } from '../dialect/dialect.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { CastType, ComparisonOperator, ConditionNode, DatePart, ExpressionNode, JoinStepNode, SelectNode, SqlValue, TableRefNode, ValueNode } from '../operation-node/nodes.js';
import { valueSpec } from '../schema/column-builder.js';
import { specOf } from '../schema/expression.js';
import { quoteIdentifier } from './quote.js';
import type { ShapeCursor } from './shape-cache.js';

export interface SqlContext {
  readonly params: SqlValue[];
  /** The statement's own table. */
  readonly table: TableRefNode;
  /** Each join's quoted alias; `undefined` in a single-table statement (columns stay bare). */
  readonly joins: ReadonlyMap<JoinStepNode, string> | undefined;
  /** The SQL being written: SQLite's or PostgreSQL's. */
  readonly dialect: SqlDialect;
  /**
   * Where the dialect sends numeric values as decimals: the index in `params` of each numeric
   * value, and its scale (the statement's values are converted once collected). `undefined` when
   * the dialect sends numeric values as they are.
   */
  readonly decimals: Map<number, number> | undefined;
  /** Compiles a subquery (its own context), appending its values to `params`. */
  readonly subquery: (node: SelectNode, params: SqlValue[]) => string;
}

/**
 * Walks a subquery's shape into the same cursor and values: the statement compiler's
 * `walkSelect`, passed in (this file cannot import it back). A plain function, not a closure
 * made per statement.
 */
export type WalkSubquery = (node: SelectNode, cursor: ShapeCursor, params: SqlValue[]) => void;

/** Marks an operand that is not the plain column / plain value of the common shapes. */
const EXPRESSION_OPERAND = Symbol('expression operand');

// ---- shapes

export function walkCondition(node: ConditionNode | undefined, cursor: ShapeCursor, params: SqlValue[], walkSubquery: WalkSubquery): void {
  if (node === undefined) {
    cursor.step(undefined);
    return;
  }
  cursor.step(node.kind);
  switch (node.kind) {
    case 'comparison':
      walkOperand(node.column, cursor, params, walkSubquery);
      cursor.step(node.operator);
      walkOperand(node.value, cursor, params, walkSubquery);
      return;
    case 'between':
      cursor.step(node.negated);
      walkOperand(node.column, cursor, params, walkSubquery);
      walkOperand(node.low, cursor, params, walkSubquery);
      walkOperand(node.high, cursor, params, walkSubquery);
      return;
    case 'in-list':
      walkOperand(node.column, cursor, params, walkSubquery);
      cursor.step(node.negated);
      cursor.step(node.values.length);
      for (const value of node.values) params.push(value.value);
      return;
    case 'in-subquery':
      walkOperand(node.column, cursor, params, walkSubquery);
      cursor.step(node.negated);
      walkSubquery(node.query, cursor, params);
      return;
    case 'exists':
      cursor.step(node.negated);
      walkSubquery(node.query, cursor, params);
      return;
    case 'raw-condition':
      walkExpression(node.raw, cursor, params, walkSubquery);
      return;
    case 'null-check':
      walkOperand(node.column, cursor, params, walkSubquery);
      cursor.step(node.negated);
      return;
    case 'not':
      walkCondition(node.condition, cursor, params, walkSubquery);
      return;
    case 'and':
    case 'or':
      cursor.step(node.conditions.length);
      for (const condition of node.conditions) walkCondition(condition, cursor, params, walkSubquery);
      return;
    default:
      // compileQuery is public: a node made by hand is refused before anything reads it.
      throw invalidNode(`condition kind ${JSON.stringify((node as { kind?: unknown }).kind)}`);
  }
}

/**
 * An operand: a table column steps as itself and a value adds only its parameter (the shapes
 * of the common conditions are unchanged); anything else is marked, then walked.
 */
function walkOperand(node: ExpressionNode, cursor: ShapeCursor, params: SqlValue[], walkSubquery: WalkSubquery): void {
  if (node.kind === 'column') {
    cursor.step(node);
  } else if (node.kind === 'value') {
    params.push(node.value);
  } else {
    cursor.step(EXPRESSION_OPERAND);
    walkExpression(node, cursor, params, walkSubquery);
  }
}

export function walkExpression(node: ExpressionNode, cursor: ShapeCursor, params: SqlValue[], walkSubquery: WalkSubquery): void {
  cursor.step(node.kind);
  switch (node.kind) {
    case 'column':
      cursor.step(node);
      return;
    case 'joined-column':
      cursor.step(node.step);
      cursor.step(node.column);
      return;
    case 'value':
      params.push(node.value);
      return;
    case 'binary':
      cursor.step(node.operator);
      walkExpression(node.left, cursor, params, walkSubquery);
      walkExpression(node.right, cursor, params, walkSubquery);
      return;
    case 'function':
      cursor.step(node.name);
      cursor.step(node.args.length);
      for (const arg of node.args) walkExpression(arg, cursor, params, walkSubquery);
      return;
    case 'aggregate':
      cursor.step(node.name);
      cursor.step(node.distinct);
      if (node.arg === undefined) cursor.step(undefined);
      else walkExpression(node.arg, cursor, params, walkSubquery);
      return;
    case 'raw':
      // The template's strings array is one object per call site: its identity is the text.
      cursor.step(node.strings);
      for (const arg of node.args) walkExpression(arg, cursor, params, walkSubquery);
      return;
    case 'excluded':
      cursor.step(node.column);
      return;
    case 'subquery':
      walkSubquery(node.query, cursor, params);
      return;
    case 'cast':
      cursor.step(node.to);
      walkExpression(node.expression, cursor, params, walkSubquery);
      return;
    case 'date-part':
      cursor.step(node.part);
      walkExpression(node.expression, cursor, params, walkSubquery);
      return;
    case 'case':
      cursor.step(node.whens.length);
      for (const when of node.whens) {
        walkCondition(when.condition, cursor, params, walkSubquery);
        walkExpression(when.then, cursor, params, walkSubquery);
      }
      if (node.otherwise === undefined) cursor.step(undefined);
      else walkExpression(node.otherwise, cursor, params, walkSubquery);
      return;
    default:
      throw invalidNode(`expression kind ${JSON.stringify((node as { kind?: unknown }).kind)}`);
  }
}

// ---- text

export function compileCondition(node: ConditionNode, context: SqlContext): string {
  switch (node.kind) {
    case 'comparison':
      if (!COMPARISON_OPERATORS.has(node.operator)) throw invalidNode(`comparison operator ${JSON.stringify(node.operator)}`);
      return `${compileOperand(node.column, context)} ${context.dialect.comparisonOperator(node.operator)} ${compileOperand(node.value, context)}`;
    case 'between':
      return `${compileOperand(node.column, context)} ${node.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${compileOperand(node.low, context)} AND ${compileOperand(node.high, context)}`;
    case 'in-list': {
      const column = compileOperand(node.column, context);
      // `x IN ()` is not SQL; an empty list matches nothing (and NOT IN matches everything).
      if (node.values.length === 0) return node.negated ? '1 = 1' : '1 = 0';
      const placeholders = node.values.map((value) => parameter(value, context));
      return `${column} ${node.negated ? 'NOT IN' : 'IN'} (${placeholders.join(', ')})`;
    }
    case 'in-subquery': {
      const column = compileOperand(node.column, context);
      return `${column} ${node.negated ? 'NOT IN' : 'IN'} (${context.subquery(node.query, context.params)})`;
    }
    case 'exists':
      return `${node.negated ? 'NOT EXISTS' : 'EXISTS'} (${context.subquery(node.query, context.params)})`;
    case 'raw-condition':
      return `(${compileExpression(node.raw, context)})`;
    case 'null-check':
      return `${compileExpression(node.column, context)} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'not':
      return `NOT (${compileCondition(node.condition, context)})`;
    case 'and':
    case 'or': {
      if (node.conditions.length === 0) return node.kind === 'and' ? '1 = 1' : '1 = 0';
      if (node.conditions.length === 1) return compileCondition(node.conditions[0]!, context);
      const glue = node.kind === 'and' ? ' AND ' : ' OR ';
      return node.conditions.map((condition) => `(${compileCondition(condition, context)})`).join(glue);
    }
    default:
      throw invalidNode(`condition kind ${JSON.stringify((node as { kind?: unknown }).kind)}`);
  }
}

/**
 * The operators a comparison may carry. The builders only make these; the check keeps a node
 * made by hand (`compileQuery` is public) from writing anything else into the SQL.
 */
const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['=', '<>', '>', '>=', '<', '<=', 'LIKE', 'NOT LIKE', 'ILIKE']);

function invalidNode(what: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `Cannot compile a ${what}: it is not one Picco makes. Build conditions with the column methods (eq, ne, gt, gte, lt, lte, like, in, notIn, isNull, isNotNull, ...) and and(), or(), not().`,
  );
}

/**
 * What a condition or ORDER BY compares for a column: for a timestamp column (own or joined),
 * what the dialect compares (on SQLite, its canonical UTC text; see `sqliteTimestampOperand`).
 */
export function compileOperand(node: ExpressionNode, context: SqlContext): string {
  const sql = compileExpression(node, context);
  const spec = node.kind === 'column' ? node.spec : node.kind === 'joined-column' ? node.column.spec : undefined;
  return spec !== undefined && valueSpec(spec).type === 'timestamp' ? context.dialect.timestampOperand(sql) : sql;
}

export function compileExpression(node: ExpressionNode, context: SqlContext): string {
  switch (node.kind) {
    case 'column':
      return context.joins === undefined ? node.quoted : `${context.table.quoted}.${node.quoted}`;
    case 'joined-column':
      return `${joinAlias(node.step, context)}.${node.column.quoted}`;
    case 'value':
      return parameter(node, context);
    case 'binary':
      return `(${compileExpression(node.left, context)} ${node.operator} ${compileExpression(node.right, context)})`;
    case 'function':
      if (node.name === 'NOW') return context.dialect.now;
      return context.dialect.functionCall(
        node.name,
        node.args.map((arg) => compileExpression(arg, context)),
      );
    case 'aggregate':
      return context.dialect.aggregate(
        node.name,
        node.distinct,
        node.arg === undefined ? undefined : compileExpression(node.arg, context),
        node.spec !== undefined && valueSpec(node.spec).type === 'numeric',
      );
    case 'raw': {
      let sql = node.strings[0] ?? '';
      for (let index = 0; index < node.args.length; index++) sql += compileExpression(node.args[index]!, context) + (node.strings[index + 1] ?? '');
      return sql;
    }
    case 'excluded':
      return `excluded.${node.column.quoted}`;
    case 'subquery':
      return `(${context.subquery(node.query, context.params)})`;
    case 'cast':
      if (!CAST_TYPES.has(node.to)) throw invalidNode(`cast to ${JSON.stringify(node.to)}`);
      return context.dialect.cast(compileExpression(node.expression, context), node.to);
    case 'date-part':
      if (!DATE_PARTS.has(node.part)) throw invalidNode(`date part ${JSON.stringify(node.part)}`);
      return context.dialect.datePart(compileExpression(node.expression, context), node.part, isDate(node.expression));
    case 'case': {
      // A branch that is a bare parameter has no type of its own: the dialect gives it the CASE's
      // (PostgreSQL would otherwise make a CASE of parameters text).
      const branch = (value: ExpressionNode): string =>
        value.kind === 'value' && value.value !== null && node.spec !== undefined ? context.dialect.typedParameter(parameter(value, context), node.spec) : compileExpression(value, context);
      let sql = 'CASE';
      for (const when of node.whens) sql += ` WHEN ${compileCondition(when.condition, context)} THEN ${branch(when.then)}`;
      if (node.otherwise !== undefined) sql += ` ELSE ${branch(node.otherwise)}`;
      return `${sql} END`;
    }
  }
}

/** A value's placeholder; its value goes to the statement's parameters (a numeric one noted with its scale). */
export function parameter(node: ValueNode, context: SqlContext): string {
  const index = context.params.push(node.value);
  if (node.scale !== undefined) context.decimals?.set(index - 1, node.scale);
  return context.dialect.placeholder(index);
}

/** Whether an ORDER BY value may be NULL: a column says; a joined column may always be (LEFT JOIN); `undefined`: not known. */
export function mayBeNull(node: ExpressionNode): boolean | undefined {
  if (node.kind === 'column') return node.spec.nullable;
  if (node.kind === 'joined-column') return true;
  return undefined;
}

function isDate(node: ExpressionNode): boolean {
  const spec = specOf(node);
  return spec !== undefined && valueSpec(spec).type === 'date';
}

/** The cast types and date parts the builders make; a node made by hand with another is refused before the dialect writes it. */
const CAST_TYPES: ReadonlySet<string> = new Set<CastType>(['text', 'integer', 'bigint', 'real']);
const DATE_PARTS: ReadonlySet<string> = new Set<DatePart>(['year', 'month', 'day', 'hour', 'minute', 'second']);

export function joinAlias(step: JoinStepNode, context: SqlContext): string {
  const alias = context.joins?.get(step);
  if (alias === undefined) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `A joined column (${step.path}) was used where its join is not part of the statement.`);
  return alias;
}

// ---- joins

/**
 * The joins a statement needs, parents before children, each aliased by its path (result keys
 * come from the select items, never from aliases). Visits the given nodes, not subqueries:
 * they have their own joins.
 */
export function collectJoins(table: TableRefNode, roots: readonly (ExpressionNode | ConditionNode | undefined)[]): Map<JoinStepNode, string> | undefined {
  let joins: Map<JoinStepNode, string> | undefined;
  const taken = new Set<string>([table.quoted]);
  const add = (step: JoinStepNode): void => {
    if (joins?.has(step)) return;
    if (step.parent !== undefined) add(step.parent);
    // The alias is the path; in the rare case it is taken (a path named like the table, or
    // two paths spelled alike: `a.b` as a key and `a` -> `b`), a suffix keeps it unique.
    let alias = quoteIdentifier(step.path);
    for (let suffix = 2; taken.has(alias); suffix++) alias = quoteIdentifier(`${step.path}$${suffix}`);
    taken.add(alias);
    (joins ??= new Map()).set(step, alias);
  };
  // Depth first, in the order the nodes appear (children pushed in reverse), so joins are
  // written in the order their columns first appear in the statement.
  const stack: (ExpressionNode | ConditionNode)[] = [];
  const push = (...nodes: (ExpressionNode | ConditionNode | undefined)[]): void => {
    for (let index = nodes.length - 1; index >= 0; index--) if (nodes[index] !== undefined) stack.push(nodes[index]!);
  };
  push(...roots);
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.kind) {
      case 'joined-column':
        add(node.step);
        break;
      case 'and':
      case 'or':
        push(...node.conditions);
        break;
      case 'not':
        push(node.condition);
        break;
      case 'comparison':
        push(node.column, node.value);
        break;
      case 'between':
        push(node.column, node.low, node.high);
        break;
      case 'in-list':
      case 'in-subquery':
      case 'null-check':
        push(node.column);
        break;
      case 'raw-condition':
        push(node.raw);
        break;
      case 'binary':
        push(node.left, node.right);
        break;
      case 'function':
      case 'raw':
        push(...node.args);
        break;
      case 'aggregate':
        push(node.arg);
        break;
      case 'cast':
      case 'date-part':
        push(node.expression);
        break;
      case 'case':
        for (let index = node.whens.length - 1; index >= 0; index--) push(node.whens[index]!.condition, node.whens[index]!.then);
        push(node.otherwise);
        break;
      default:
        break;
    }
  }
  return joins;
}

/** `LEFT JOIN "manager" AS "manager" ON "band"."manager" = "manager"."id"`, for each join in order. */
export function compileJoins(context: SqlContext): string {
  if (context.joins === undefined) return '';
  let sql = '';
  for (const [step, alias] of context.joins) {
    const from = step.parent === undefined ? context.table.quoted : joinAlias(step.parent, context);
    sql += ` LEFT JOIN ${step.table.quoted} AS ${alias} ON ${from}.${step.from.quoted} = ${alias}.${step.toQuoted}`;
  }
  return sql;
}
