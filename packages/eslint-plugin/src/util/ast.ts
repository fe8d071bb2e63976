/** Small ESTree helpers shared by the rules: syntax only, no types, no scope. */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/**
 * A cheap syntax filter before any type is asked for: only these expressions can evaluate to a
 * query or an engine (literals, functions, templates and the like never do).
 */
export function mayBeObject(node: TSESTree.Node): boolean {
  switch (skipTypeWrappers(node).type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.MemberExpression:
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.ThisExpression:
    case AST_NODE_TYPES.ConditionalExpression:
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.ChainExpression:
      return true;
    default:
      return false;
  }
}

/** The expression under TypeScript-only wrappers (`x as T`, `x!`, `x satisfies T`, `<T>x`). */
export function skipTypeWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** `a.b` or `a['b']`: `'b'`. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.computed) return staticString(node.property);
  return undefined;
}

/** The value of a string literal or of a template literal without expressions. */
export function staticString(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** The value of the non-computed (or string-keyed) `name: value` property of an object literal. */
export function objectProperty(node: TSESTree.Node | undefined, name: string): TSESTree.Node | undefined {
  if (node === undefined) return undefined;
  const object = skipTypeWrappers(node);
  if (object.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  let found: TSESTree.Node | undefined;
  for (const property of object.properties) {
    // A later spread may override the property: then nothing is proven.
    if (property.type === AST_NODE_TYPES.SpreadElement) {
      found = undefined;
      continue;
    }
    if (property.kind !== 'init' || property.method) continue;
    const key = property.computed ? staticString(property.key) : property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : staticString(property.key);
    if (key === name) found = property.value;
  }
  return found;
}

export type FunctionLike = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/**
 * The function whose body directly holds `node`, `'class-initializer'` for a class static block or field initializer (no
 * `await` there), or `undefined` at the top level of the file.
 */
export function enclosingFunction(node: TSESTree.Node): FunctionLike | 'class-initializer' | undefined {
  for (let current: TSESTree.Node | null | undefined = node.parent; current != null; current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
        return current;
      case AST_NODE_TYPES.StaticBlock:
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
        return 'class-initializer';
      default:
        break;
    }
  }
  return undefined;
}

/** True where `await` may be written before `node`: inside an async function or at a module's top level. */
export function canAwaitAt(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const fn = enclosingFunction(node);
  if (fn === 'class-initializer') return false;
  if (fn === undefined) return sourceCode.ast.sourceType === 'module';
  return fn.async;
}

/**
 * `expr.runSync()`, with parentheses when `expr` does not bind as tightly as a member access;
 * `expr?.runSync()` when `expr` may be nullish (awaiting `undefined` gives `undefined`, and so does this).
 */
export function runSyncText(sourceCode: Readonly<TSESLint.SourceCode>, expression: TSESTree.Node, nullable = false): string {
  return `${asMemberObject(sourceCode, expression)}${nullable ? '?.' : '.'}runSync()`;
}

/**
 * `text`, to replace `node`, with a `;` before it when it would start a statement with `(`, `[`
 * or a template right after a line with no semicolon: in that style `foo()\n(q).runSync()` calls
 * `foo()`'s result (found by the fix properties, hardening/properties). Not after `;` or `{`, and
 * not where the statement is the body of an `if` or a loop, whose meaning an empty statement changes.
 */
export function startingStatement(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, text: string): string {
  if (!/^[([`]/.test(text)) return text;
  let statement: TSESTree.Node = node;
  while (statement.type !== AST_NODE_TYPES.ExpressionStatement) {
    const parent = statement.parent;
    if (parent == null || parent.range[0] !== node.range[0]) return text;
    statement = parent;
  }
  switch (statement.parent?.type) {
    case AST_NODE_TYPES.Program:
    case AST_NODE_TYPES.BlockStatement:
    case AST_NODE_TYPES.StaticBlock:
    case AST_NODE_TYPES.SwitchCase:
    case AST_NODE_TYPES.TSModuleBlock:
      break;
    default:
      return text;
  }
  const before = sourceCode.getTokenBefore(statement);
  if (before === null || before.value === ';' || before.value === '{' || before.value === ':') return text;
  return `;${text}`;
}

/**
 * True where `await x`, put in place of `node`, needs parentheses to keep its meaning: `node` is
 * the object of a member access, the callee of a call or a tag, or an operand of an operator.
 */
export function needsParenthesesForAwait(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (parent == null) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.MemberExpression:
      return parent.object === node;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return parent.callee === node;
    case AST_NODE_TYPES.TaggedTemplateExpression:
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
      return true;
    default:
      return false;
  }
}

/** `await expr`, with parentheses when needed. */
export function awaitText(sourceCode: Readonly<TSESLint.SourceCode>, expression: TSESTree.Node): string {
  return `await ${asMemberObject(sourceCode, expression)}`;
}

function asMemberObject(sourceCode: Readonly<TSESLint.SourceCode>, expression: TSESTree.Node): string {
  const text = sourceCode.getText(expression);
  switch (expression.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.ThisExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
      return text;
    case AST_NODE_TYPES.MemberExpression:
    case AST_NODE_TYPES.CallExpression:
      return expression.optional ? `(${text})` : text;
    default:
      return `(${text})`;
  }
}

/** True when a comment lies within `node`'s range (a binary search of the file's sorted comments). */
export function hasCommentInside(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  const comments = sourceCode.ast.comments ?? [];
  const [start, end] = node.range;
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (comments[middle]!.range[0] < start) low = middle + 1;
    else high = middle;
  }
  return low < comments.length && comments[low]!.range[1] <= end;
}

/** The quote character a string literal was written with. */
export function quoteOf(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): string {
  const first = sourceCode.getText(node)[0];
  return first === '"' || first === '`' ? first : "'";
}

/** A string literal's source text for `value`, written with `quote`. */
export function quoteString(value: string, quote: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  if (quote === '`') return `\`${escaped.replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
  return `${quote}${escaped.split(quote).join(`\\${quote}`)}${quote}`;
}

/** The 1-based line of an offset in a text. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
