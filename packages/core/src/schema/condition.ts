/** A WHERE condition and the combinators `and`, `or`, `not`. */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ConditionNode, RawNode } from '../operation-node/nodes.js';
import type { SqlFragment } from './functions.js';
import type { Intersect, NoParams } from '../query/param.js';

/** Proof that a condition was built by Picco itself; never exported. */
const BUILT_BY_PICCO: unique symbol = Symbol('picco.condition');

/**
 * A condition built by a column (`Band.name.eq('x')`) or by `and`, `or`, `not`. The class is
 * exported for `instanceof` and as a type; its constructor is not for users: a node written
 * by hand could carry any operator into the SQL, so only Picco's own builders may make one.
 */
export class Condition<TParams = NoParams> {
  readonly node: ConditionNode;
  /** Phantom: the named parameters (`param('id')`) the condition uses and their types; never read at run time. */
  declare readonly _params: TParams;

  constructor(node: ConditionNode, proof: typeof BUILT_BY_PICCO) {
    if (proof !== BUILT_BY_PICCO) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `new Condition() is not part of Picco's API. Build conditions from columns, for example Band.name.eq('x'), and combine them with and(), or() and not().`,
      );
    }
    this.node = node;
  }
}

/** How Picco's own builders make a condition. */
export function conditionOf<P = NoParams>(node: ConditionNode): Condition<P> {
  return new Condition<P>(node, BUILT_BY_PICCO);
}

/** What `where()` and `having()` take: a condition, or a raw `sql` fragment. */
export type Filter = Condition<any> | SqlFragment<unknown>;

/** The parameters of several conditions together (`{}` when none has any). */
export type ParamsOfFilters<C extends readonly unknown[]> = Intersect<C[number] extends infer X ? (X extends Condition<infer P> ? P : NoParams) : never> & NoParams;

/** All conditions hold. At least one is needed: `and()` of nothing would match every row. */
export function and<C extends Condition<any>[]>(...conditions: C): Condition<ParamsOfFilters<C>> {
  return combine('and', conditions);
}

/** At least one condition holds. At least one is needed: `or()` of nothing would match no row. */
export function or<C extends Condition<any>[]>(...conditions: C): Condition<ParamsOfFilters<C>> {
  return combine('or', conditions);
}

export function not<P>(condition: Condition<P>): Condition<P> {
  const node = nodeOf(condition);
  return conditionOf(withHeight({ kind: 'not', condition: node }, 1 + heightOf(node), 'not()'));
}

function combine<P>(kind: 'and' | 'or', conditions: readonly Condition<any>[]): Condition<P> {
  if (conditions.length === 0) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${kind}() got no conditions; with none it would match ${kind === 'and' ? 'every row' : 'no row'}. ` +
        `Pass at least one condition; when they come from a list, handle the empty list before calling ${kind}().`,
    );
  }
  return conditionOf(conjunction(kind, conditions.map(nodeOf), `${kind}()`));
}

/**
 * SQLite refuses an expression tree deeper than 1000 (SQLITE_MAX_EXPR_DEPTH, "Expression tree
 * is too large"). Picco counts a condition's height as SQLite will, as each condition is
 * built, and refuses one level too many at once: a clear error at the call that went too far,
 * rather than a failure at execution or a stack overflow deep inside the compiler.
 */
export const MAX_CONDITION_HEIGHT = 1000;

const heights = new WeakMap<ConditionNode, number>();

/**
 * How deep SQLite's tree for this condition is: `"a" = ?` is 2 (the comparison over its two
 * operands), `NOT (x)` one more than x, and `(x) AND (y) AND (z)`, which SQLite parses as
 * `(x AND y) AND z`, one level per AND over its deepest operand.
 */
export function heightOf(node: ConditionNode): number {
  if (node.kind !== 'and' && node.kind !== 'or' && node.kind !== 'not') return 2;
  const known = heights.get(node);
  if (known !== undefined) return known;
  // A node not made by these builders (a hand-made one): count it the same way.
  const height = node.kind === 'not' ? 1 + heightOf(node.condition) : chainHeight(node.conditions);
  heights.set(node, height);
  return height;
}

/** `and`/`or` of these nodes, its height checked and remembered; `usedIn` names the call for the error. */
export function conjunction(kind: 'and' | 'or', conditions: readonly ConditionNode[], usedIn: string): ConditionNode {
  return withHeight({ kind, conditions }, chainHeight(conditions), usedIn);
}

function chainHeight(conditions: readonly ConditionNode[]): number {
  let height = conditions.length === 0 ? 2 : heightOf(conditions[0]!);
  for (let index = 1; index < conditions.length; index++) height = 1 + Math.max(height, heightOf(conditions[index]!));
  return height;
}

function withHeight<N extends ConditionNode>(node: N, height: number, usedIn: string): N {
  if (height > MAX_CONDITION_HEIGHT) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${usedIn} would make a condition ${height} levels deep; SQLite accepts at most ${MAX_CONDITION_HEIGHT} ` +
        `(SQLITE_MAX_EXPR_DEPTH). Match many values of one column with in([...]) instead of a chain of eq() / or(), ` +
        `or split the work into several queries.`,
    );
  }
  heights.set(node, height);
  return node;
}

/**
 * The node of a condition; a raw `sql` fragment counts as one (`where(sql\`... > ${x}\`)`).
 * Duck-typed on the fragment's node to keep this module free of a cycle with expressions.
 */
export function nodeOf(condition: Condition<any>): ConditionNode {
  if (condition instanceof Condition) return condition.node;
  const raw = (condition as unknown as { node?: RawNode } | null)?.node;
  if (raw?.kind === 'raw') return { kind: 'raw-condition', raw };
  throw new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `Expected a condition such as Band.name.eq('x'), got ${condition === null ? 'null' : typeof condition}.`,
  );
}
