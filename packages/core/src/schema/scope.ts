/**
 * Which columns a query may use: its own table's, and those reached through joins that start
 * at its own table. Subqueries are checked when they are built, against their own table.
 * Iterative (an explicit stack), so a deeply nested condition cannot overflow the call stack.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnRefNode, ConditionNode, ExpressionNode, JoinStepNode } from '../operation-node/nodes.js';

export interface Scope {
  readonly name: string;
  owns(column: ColumnRefNode): boolean;
}

export interface ScopeRules {
  /** `excluded(...)`: only in an upsert's DO UPDATE. */
  readonly excluded?: boolean;
  /** Aggregates: not in WHERE (SQLite evaluates WHERE per row; `having()` filters groups). */
  readonly aggregates?: boolean;
  /** Joined columns: not in an UPDATE's SET or an upsert (those statements cannot join). */
  readonly joins?: boolean;
}

type Node = ConditionNode | ExpressionNode;

export function checkScope(scope: Scope, root: Node, usedIn: string, rules: ScopeRules = {}): void {
  // The most common condition, a column of the table against a value (`Band.id.eq(1)`), without the walk.
  if (root.kind === 'comparison' && root.column.kind === 'column' && root.value.kind === 'value') {
    if (!scope.owns(root.column)) throw foreignColumn(scope, root.column.key, usedIn);
    return;
  }
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.kind) {
      case 'and':
      case 'or':
        stack.push(...node.conditions);
        break;
      case 'not':
        stack.push(node.condition);
        break;
      case 'comparison':
        stack.push(node.column, node.value);
        break;
      case 'between':
        stack.push(node.column, node.low, node.high);
        break;
      case 'in-list':
      case 'in-subquery':
      case 'null-check':
        stack.push(node.column);
        break;
      case 'raw-condition':
        stack.push(node.raw);
        break;
      case 'exists':
      case 'subquery':
      case 'value':
        break;
      case 'column':
        if (!scope.owns(node)) throw foreignColumn(scope, node.key, usedIn);
        break;
      case 'joined-column':
        if (!scope.owns(firstStep(node.step).from)) throw foreignColumn(scope, node.key, usedIn);
        if (rules.joins === false) {
          throw new PiccoError(
            PiccoErrorCode.INVALID_QUERY,
            `${usedIn} on "${scope.name}" uses the joined column "${node.key}", but this statement cannot join. Read it with a subquery instead (Manager.select(Manager.name).where(...)).`,
          );
        }
        break;
      case 'excluded':
        if (rules.excluded !== true) {
          throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${usedIn}: excluded(...) only means something in onConflict({ action: 'doUpdate', set, where }).`);
        }
        if (!scope.owns(node.column)) throw foreignColumn(scope, node.column.key, usedIn);
        break;
      case 'binary':
        stack.push(node.left, node.right);
        break;
      case 'function':
      case 'raw':
        stack.push(...node.args);
        break;
      case 'cast':
      case 'date-part':
        stack.push(node.expression);
        break;
      case 'case':
        for (const when of node.whens) stack.push(when.condition, when.then);
        if (node.otherwise !== undefined) stack.push(node.otherwise);
        break;
      case 'aggregate':
        if (rules.aggregates === false) {
          throw new PiccoError(
            PiccoErrorCode.INVALID_QUERY,
            `${usedIn} on "${scope.name}" uses an aggregate (${node.name.toLowerCase()}), which SQLite cannot evaluate per row. Filter groups with having() instead.`,
          );
        }
        if (node.arg !== undefined) stack.push(node.arg);
        break;
    }
  }
}

function firstStep(step: JoinStepNode): JoinStepNode {
  let current = step;
  while (current.parent !== undefined) current = current.parent;
  return current;
}

function foreignColumn(scope: Scope, key: string, usedIn: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `${usedIn} on table "${scope.name}" uses column "${key}" of another table. ` +
      `Use columns of ${scope.name} itself, or reach other tables through its foreign keys (${scope.name}.someForeignKey.column) or joinOn().`,
  );
}
