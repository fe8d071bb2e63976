/** A WHERE condition and the combinators `and`, `or`, `not`. */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ConditionNode } from '../operation-node/nodes.js';

export class Condition {
  constructor(readonly node: ConditionNode) {}
}

/** All conditions hold. `and()` with none is always true. */
export function and(...conditions: Condition[]): Condition {
  return new Condition({ kind: 'and', conditions: conditions.map(nodeOf) });
}

/** At least one condition holds. `or()` with none is always false. */
export function or(...conditions: Condition[]): Condition {
  return new Condition({ kind: 'or', conditions: conditions.map(nodeOf) });
}

export function not(condition: Condition): Condition {
  return new Condition({ kind: 'not', condition: nodeOf(condition) });
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
