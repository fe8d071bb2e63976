/**
 * `CASE WHEN ... THEN ... ELSE ... END` as a typed expression:
 * `caseWhen(Band.popularity.gte(1000), 'popular').when(Band.popularity.gte(100), 'known').else('new')`
 * is an expression of `'popular' | 'known' | 'new'`, usable wherever an expression is (select,
 * where, orderBy, groupBy, update). Its result key is `case`; `.as('label')` renames it.
 *
 * The branches are kept as given and the node is rebuilt by each step, so that plain values
 * are encoded like the expressions among the branches (`caseWhen(cond, Ticket.price).else('0.00')`
 * writes the numeric column's stored form), whichever step brings the expression.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { CaseNode, ExpressionNode } from '../operation-node/nodes.js';
import { valueSpec, type ColumnSpec } from './column-builder.js';
import { nodeOf, type Filter, type Condition } from './condition.js';
import { BIGINT_SPEC, BOOLEAN_SPEC, describe, encodeLoose, Expression, INTEGER_SPEC, plainSpec, REAL_SPEC, specOf, TEXT_SPEC, TIMESTAMP_SPEC, valueNode } from './expression.js';
import { encodedValue } from './values.js';
import { isParamSlot, Param } from '../query/param.js';

interface Branch {
  readonly condition: Filter | undefined;
  readonly value: unknown;
}

/** `CASE WHEN condition THEN value`: the first branch; add more with `.when()`, close with `.else()`. */
export function caseWhen<const V, N extends boolean = false, T extends string = never>(condition: Filter, then: V | Expression<V, N, string, T>): CaseWhen<V, N, T> {
  return new CaseWhen<V, N, T>([branch(condition, then, 'caseWhen')], false);
}

/**
 * A CASE expression still open for branches. Without `.else()` a row no condition holds for
 * reads `null` (its type is nullable).
 */
export class CaseWhen<V, N extends boolean, T extends string> extends Expression<V, true, 'case', T> {
  constructor(
    private readonly branches: readonly Branch[],
    closed: boolean,
  ) {
    super(caseNode(branches, closed), 'case');
  }

  /** Another `WHEN condition THEN value`, tried after the earlier ones. */
  when<const W, NW extends boolean = false, U extends string = never>(condition: Filter, then: W | Expression<W, NW, string, U>): CaseWhen<V | W, N | NW, T | U> {
    return new CaseWhen<V | W, N | NW, T | U>([...this.branches, branch(condition, then, 'when')], false);
  }

  /** The value when no condition holds (`ELSE`); the expression is then complete. */
  else<const W, NW extends boolean = false, U extends string = never>(value: W | Expression<W, NW, string, U>): Expression<V | W, N | NW, 'case', T | U> {
    if (value === undefined) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `else() takes the value when no condition holds; got undefined. Leave else() out for null.`);
    if (value instanceof Param) throw paramRefused('else');
    return new CaseWhen([...this.branches, { condition: undefined, value }], true) as unknown as Expression<V | W, N | NW, 'case', T | U>;
  }
}

function branch(condition: Filter, then: unknown, method: string): Branch {
  if (then === undefined) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${method}() takes a condition and the value when it holds, for example ${method}(Band.popularity.gte(1000), 'popular'); got undefined for the value.`);
  }
  // Checked now, so the mistake points at this call.
  const node = nodeOf(condition as Condition);
  if (then instanceof Param || holdsParam(node)) throw paramRefused(method);
  return { condition, value: then };
}

/**
 * Prepared queries' parameters are not taken inside a CASE: the query's type would not know
 * them, so its prepared `run()` could not be given their values.
 */
function paramRefused(method: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `${method}() got a param(): prepared-query parameters are not supported inside caseWhen(). Pass plain values, or build the query per value.`,
  );
}

/** Whether a node holds a prepared-query parameter anywhere (tables and join steps are never walked into). */
function holdsParam(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || node instanceof Map) return false;
  if (isParamSlot(node)) return true;
  return Object.values(node).some(holdsParam);
}

function caseNode(branches: readonly Branch[], closed: boolean): CaseNode {
  const spec = commonSpec(branches);
  // Next to a column, plain values are written as the column stores them (and must fit it).
  const columnLike = branches.some(({ value }) => value instanceof Expression && specOf(value.node) !== undefined);
  const encode = (value: unknown): ExpressionNode => {
    if (value instanceof Expression) return value.node;
    if (value === null) return valueNode(null);
    // encodedValue keeps a numeric value's scale, for a dialect that sends it as a decimal.
    return columnLike && spec !== undefined ? encodedValue(spec, 'caseWhen()', value) : valueNode(encodeLoose(value, 'caseWhen()'));
  };
  const whens = (closed ? branches.slice(0, -1) : branches).map((item) => ({ condition: nodeOf(item.condition as Condition), then: encode(item.value) }));
  return { kind: 'case', whens, otherwise: closed ? encode(branches[branches.length - 1]!.value) : undefined, spec };
}

/**
 * The spec every branch follows: that of the expressions among them (plain values are then
 * encoded like them, and refused if they do not fit), else one for the plain values'
 * JavaScript type. Branches that read back differently (a boolean and a string, a Date and a
 * number) are refused: one column of results cannot be decoded as both.
 */
function commonSpec(branches: readonly Branch[]): ColumnSpec | undefined {
  const expressions = branches.flatMap(({ value }) => (value instanceof Expression && specOf(value.node) !== undefined ? [specOf(value.node)!] : []));
  const specs = expressions.length > 0 ? expressions : branches.flatMap(({ value }) => (value === null || value instanceof Expression ? [] : [specOfValue(value)]));
  // Whole numbers and fractions mix: the CASE is then a double.
  const first = expressions.length === 0 ? (specs.find((spec) => spec === REAL_SPEC) ?? specs[0]) : specs[0];
  const other = specs.find((spec) => decodingOf(spec) !== decodingOf(first!));
  if (other !== undefined) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `caseWhen() branches give ${describeSpec(first!)} and ${describeSpec(other)}; their results could not be read back alike. Give every branch the same type (cast() converts one).`,
    );
  }
  return first;
}

function specOfValue(value: unknown): ColumnSpec {
  switch (typeof value) {
    case 'string':
      return TEXT_SPEC;
    case 'number':
      // A 32-bit integer is an integer everywhere (PostgreSQL's integer too); anything else a double.
      return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1 ? INTEGER_SPEC : REAL_SPEC;
    case 'bigint':
      return BIGINT_SPEC;
    case 'boolean':
      return BOOLEAN_SPEC;
    default:
      if (value instanceof Date) return TIMESTAMP_SPEC;
      if (value instanceof Uint8Array) return BYTES_SPEC;
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `caseWhen() got ${describe(value)} as a value. Pass a string, number, bigint, boolean, Date, Uint8Array, null or an expression.`);
  }
}

const BYTES_SPEC = plainSpec('bytes');

/** How a result of this spec is read back: specs that read alike may share a CASE. */
function decodingOf(spec: ColumnSpec): string {
  const type = valueSpec(spec).type;
  switch (type) {
    case 'text':
    case 'varchar':
    case 'uuid':
    case 'time':
    case 'integer':
    case 'smallint':
    case 'serial':
    case 'real':
    case 'double':
    case 'foreignKey':
      return 'plain';
    case 'numeric':
      return `numeric:${valueSpec(spec).digits?.[1] ?? 0}`;
    default:
      return type;
  }
}

function describeSpec(spec: ColumnSpec): string {
  const type = valueSpec(spec).type;
  return type === 'integer' || type === 'real' || type === 'double' || type === 'smallint' || type === 'serial' ? 'a number' : `a ${type}`;
}
