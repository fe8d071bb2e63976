/** A WHERE condition and the combinators `and`, `or`, `not`. */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ConditionNode } from '../operation-node/nodes.js';

/** Proof that a condition was built by Picco itself; never exported. */
const BUILT_BY_PICCO: unique symbol = Symbol('picco.condition');

/**
 * A condition built by a column (`Band.name.eq('x')`) or by `and`, `or`, `not`. The class is
 * exported for `instanceof` and as a type; its constructor is not for users: a node written
 * by hand could carry any operator into the SQL, so only Picco's own builders may make one.
 */
export class Condition {
  readonly node: ConditionNode;

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
export function conditionOf(node: ConditionNode): Condition {
  return new Condition(node, BUILT_BY_PICCO);
}

/** All conditions hold. `and()` with none is always true. */
export function and(...conditions: Condition[]): Condition {
  return conditionOf({ kind: 'and', conditions: conditions.map(nodeOf) });
}

/** At least one condition holds. `or()` with none is always false. */
export function or(...conditions: Condition[]): Condition {
  return conditionOf({ kind: 'or', conditions: conditions.map(nodeOf) });
}

export function not(condition: Condition): Condition {
  return conditionOf({ kind: 'not', condition: nodeOf(condition) });
}

export function nodeOf(condition: Condition): ConditionNode {
  if (!(condition instanceof Condition)) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `Expected a condition such as Band.name.eq('x'), got ${condition === null ? 'null' : typeof condition}.`,
    );
  }
  return condition.node;
}
