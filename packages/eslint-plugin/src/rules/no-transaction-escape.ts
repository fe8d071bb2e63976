/**
 * `@picco/no-transaction-escape`: a query inside a transaction's callback that does not run in
 * that transaction. knex, Kysely and Drizzle on async drivers (libsql, node-postgres) give the
 * callback a transaction handle; a query through the outer handle instead waits for the
 * connection the transaction holds (SQLite: one connection, so forever), is refused by SQLite's
 * lock (libsql: SQLITE_BUSY) or, with a pool, runs beside the transaction and survives its rollback. Picco's
 * async transactions on a pooled file engine run in a worker process, where `.runSync()` cannot
 * follow: the runtime refuses it with `TRANSACTION_CONFLICT`. Drizzle on better-sqlite3 runs
 * transactions synchronously on the one connection: the outer handle is inside the transaction
 * there, but an async callback is refused.
 */
import * as nodePath from 'node:path';
import { PiccoErrorCode } from '@picco/core';
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { awaitText, enclosingFunction, memberName, needsParenthesesForAwait, skipTypeWrappers, type FunctionLike } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { lazyResolvers } from '../util/resolvers.js';
import { handleLibrary, piccoEngineSite, type PiccoEngineSite } from '../util/transaction-handles.js';

export type MessageIds = 'outerHandle' | 'asyncCallbackOnSyncTransaction' | 'syncQueryInAsyncTransaction' | 'awaitInstead';

type EscapingLibrary = 'knex' | 'kysely' | 'drizzle-async';

/**
 * Members of the outer handle that build values or manage the handle and run no query. Drizzle's
 * `$client` is the driver's own client: a query on it escapes too, but `tx` has no `$client`.
 */
const HARMLESS_MEMBERS: Readonly<Record<EscapingLibrary, ReadonlySet<string>>> = {
  knex: new Set(['fn', 'ref', 'client', 'userParams', 'isTransaction', 'destroy', 'initialize', 'on', 'once', 'off', 'removeListener']),
  kysely: new Set(['fn', 'dynamic', 'case', 'isTransaction', 'destroy', 'getExecutor']),
  'drizzle-async': new Set(['$with', '$client', '$cache', '_', 'dialect', 'session']),
};

/** Methods of Kysely's `db.transaction()` builder before `.execute(callback)`. */
const KYSELY_TRANSACTION_SETTINGS: ReadonlySet<string> = new Set(['setIsolationLevel', 'setAccessMode']);

/** Kysely methods that run a query on the executor passed to them: `sql\`...\`.execute(db)`. */
const EXECUTE_WITH: ReadonlySet<string> = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow']);

const TRANSACTION_CALL = 'CallExpression:matches([callee.property.name="transaction"], [callee.property.value="transaction"])';
const TRANSACTION_OR_SYNC_CALL =
  'CallExpression:matches([callee.property.name=/^(transaction|runSync|transactionSync)$/], [callee.property.value=/^(transaction|runSync|transactionSync)$/])';

interface PiccoTransaction {
  readonly call: TSESTree.CallExpression;
  readonly callback: FunctionLike;
  readonly engine: PiccoEngineSite;
}

export default createRule<[], MessageIds>({
  name: 'no-transaction-escape',
  meta: {
    type: 'problem',
    docs: {
      description: "Disallow queries inside a transaction's callback that run outside that transaction",
      recommended: true,
      requiresTypeChecking: false,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [],
    messages: {
      outerHandle:
        "`{{handle}}` inside its own transaction's callback runs outside that transaction: it is locked out by it (waits, or SQLITE_BUSY) or escapes its rollback.{{use}}",
      asyncCallbackOnSyncTransaction:
        'Drizzle runs better-sqlite3 transactions synchronously: an async callback is refused ("Transaction function cannot return a promise") and rolled back.',
      syncQueryInAsyncTransaction: `\`{{call}}\` inside an async transaction on a pooled file engine is refused with ${PiccoErrorCode.TRANSACTION_CONFLICT}: the transaction runs in a worker process.`,
      awaitInstead: 'Await the query inside the transaction instead.',
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const resolvers = lazyResolvers(context);
    // Open Picco transactions on pooled engines around the node being visited, innermost last.
    const piccoTransactions: PiccoTransaction[] = [];

    function onTransaction(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): void {
      const handle = skipTypeWrappers(callee.object);
      const direct = callbackArgument(call);
      const builder = direct === undefined && call.arguments.length === 0 ? kyselyCallback(call) : undefined;
      if (direct === undefined && builder === undefined) return;
      const library = handleLibrary(handle, resolvers());
      if (library === undefined) return;

      if (direct !== undefined && (library === 'knex' || library === 'drizzle-async')) checkOuterReferences(handle, direct, library);
      else if (builder !== undefined && library === 'kysely') checkOuterReferences(handle, builder, library);
      else if (direct !== undefined && library === 'drizzle-sync' && direct.async) {
        context.report({ node: direct, loc: functionHead(direct), messageId: 'asyncCallbackOnSyncTransaction' });
      } else if (direct !== undefined && library === 'picco') {
        const engine = piccoEngineSite(handle, resolvers(), context.filename);
        if (engine?.pooled === true) piccoTransactions.push({ call, callback: direct, engine });
      }
    }

    /** Every use of the handle's variable inside the callback that runs a query. */
    function checkOuterReferences(handle: TSESTree.Node, callback: FunctionLike, library: EscapingLibrary): void {
      if (handle.type !== AST_NODE_TYPES.Identifier) return;
      const variable = ASTUtils.findVariable(sourceCode.getScope(handle), handle);
      if (variable === null) return;
      const [start, end] = callback.body.range;
      const parameter = callback.params[0];
      for (const reference of variable.references) {
        const identifier = reference.identifier;
        if (identifier.type !== AST_NODE_TYPES.Identifier || identifier.range[0] < start || identifier.range[1] > end) continue;
        const use = classifyUse(identifier, library);
        if (use === undefined) continue;
        const replacement = use === 'query' || library === 'knex' ? usableParameter(parameter, identifier) : undefined;
        context.report({
          node: identifier,
          messageId: 'outerHandle',
          data: { handle: identifier.name, use: replacement === undefined ? " Use the callback's transaction instead." : ` Use \`${replacement}\`.` },
          fix: replacement === undefined ? undefined : (fixer) => fixer.replaceText(identifier, replacement),
        });
      }
    }

    /** The callback's parameter name, when it names the same variable at `at` (not shadowed there). */
    function usableParameter(parameter: TSESTree.Parameter | undefined, at: TSESTree.Identifier): string | undefined {
      if (parameter?.type !== AST_NODE_TYPES.Identifier) return undefined;
      const seen = ASTUtils.findVariable(sourceCode.getScope(at), parameter.name);
      return seen?.defs[0]?.name === parameter ? parameter.name : undefined;
    }

    function onSyncCall(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, name: 'runSync' | 'transactionSync'): void {
      const around = piccoTransactions.filter((transaction) => isInside(call, transaction.callback.body));
      if (around.length === 0) return;
      let engine: { fileName: string; line: number } | undefined;
      let thenable = true;
      if (name === 'transactionSync') engine = piccoEngineSite(skipTypeWrappers(callee.object), resolvers(), context.filename);
      else {
        const facts = resolvers().queries.queryFacts(callee.object);
        engine = facts?.engine;
        thenable = facts?.thenable ?? true;
      }
      if (engine === undefined) return;
      const transaction = around.find((candidate) => sameSite(candidate.engine, engine));
      if (transaction === undefined) return;
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      const plainAwait = thenable && call.arguments.length === 0;
      if (name === 'runSync' && !call.optional && !callee.optional && (plainAwait || !callee.computed) && enclosingFunction(call) === transaction.callback && transaction.callback.async) {
        // `await q`; a prepared query (not awaitable) or a call with values: `await q.run(values)`.
        const text = plainAwait
            ? awaitText(sourceCode, callee.object)
            : `await ${sourceCode.text.slice(call.range[0], callee.property.range[0])}run${sourceCode.text.slice(callee.property.range[1], call.range[1])}`;
        suggest.push({ messageId: 'awaitInstead', fix: (fixer) => fixer.replaceText(call, needsParenthesesForAwait(call) ? `(${text})` : text) });
      }
      context.report({ node: call, messageId: 'syncQueryInAsyncTransaction', data: { call: `.${name}()` }, suggest });
    }

    return {
      // Selectors filter by method name before the rule runs at all: most calls are none of these.
      [TRANSACTION_OR_SYNC_CALL](node: TSESTree.CallExpression) {
        const callee = skipTypeWrappers(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const name = memberName(callee);
        if (name === 'transaction') onTransaction(node, callee);
        else if ((name === 'runSync' || name === 'transactionSync') && piccoTransactions.length > 0) onSyncCall(node, callee, name);
      },
      [`${TRANSACTION_CALL}:exit`](node: TSESTree.CallExpression) {
        if (piccoTransactions.at(-1)?.call === node) piccoTransactions.pop();
      },
    };
  },
});

/** `x.transaction(callback, ...)`: the callback, when written there as a function. */
function callbackArgument(call: TSESTree.CallExpression): FunctionLike | undefined {
  const first = call.arguments[0];
  if (first === undefined) return undefined;
  const callback = skipTypeWrappers(first);
  return callback.type === AST_NODE_TYPES.ArrowFunctionExpression || callback.type === AST_NODE_TYPES.FunctionExpression ? callback : undefined;
}

/** Kysely's `db.transaction().setIsolationLevel(...).execute(callback)`: the callback. */
function kyselyCallback(transaction: TSESTree.CallExpression): FunctionLike | undefined {
  let current: TSESTree.Node = transaction;
  for (;;) {
    const member: TSESTree.Node | undefined = current.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== current) return undefined;
    const call: TSESTree.Node = member.parent;
    if (call.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return undefined;
    const name = memberName(member);
    if (name === 'execute') return callbackArgument(call);
    if (name === undefined || !KYSELY_TRANSACTION_SETTINGS.has(name)) return undefined;
    current = call;
  }
}

/**
 * How the outer handle is used: `'query'` where it runs (or starts) a query, `'transaction'`
 * for a nested `handle.transaction(...)` (it waits for the connection too), `undefined` where it
 * only builds a value (`knex.fn.now()`, `knex.raw(...)` passed into a query, `db.fn.count(...)`).
 */
function classifyUse(identifier: TSESTree.Identifier, library: EscapingLibrary): 'query' | 'transaction' | undefined {
  let node: TSESTree.Node = identifier;
  while (isTypeWrapper(node.parent, node)) node = node.parent!;
  const parent = node.parent;
  if (parent === undefined) return undefined;
  if (parent.type === AST_NODE_TYPES.CallExpression) {
    if (parent.callee === node) return library === 'knex' ? 'query' : undefined;
    const callee = skipTypeWrappers(parent.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
    return library === 'kysely' && name !== undefined && EXECUTE_WITH.has(name) ? 'query' : undefined;
  }
  if (parent.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return undefined;
  const name = memberName(parent);
  if (name === undefined || HARMLESS_MEMBERS[library].has(name)) return undefined;
  if (name === 'transaction') return 'transaction';
  if (name === 'raw' && library === 'knex' && isValueInsideQuery(parent)) return undefined;
  return 'query';
}

/** `knex.raw(...)` written as an argument, property value or array element: a value for another query. */
function isValueInsideQuery(member: TSESTree.MemberExpression): boolean {
  const call = member.parent;
  if (call.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return false;
  const parent = call.parent;
  return (parent.type === AST_NODE_TYPES.CallExpression && parent.callee !== call) || parent.type === AST_NODE_TYPES.Property || parent.type === AST_NODE_TYPES.ArrayExpression;
}

function isTypeWrapper(parent: TSESTree.Node | undefined, child: TSESTree.Node): boolean {
  if (parent === undefined) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
      return parent.expression === child;
    default:
      return false;
  }
}

function isInside(node: TSESTree.Node, container: TSESTree.Node): boolean {
  return node.range[0] >= container.range[0] && node.range[1] <= container.range[1];
}

function sameSite(a: { fileName: string; line: number }, b: { fileName: string; line: number }): boolean {
  return a.line === b.line && nodePath.resolve(a.fileName) === nodePath.resolve(b.fileName);
}

/** From the start of the function to its `=>` or body: the part the editor underlines. */
function functionHead(fn: FunctionLike): TSESTree.SourceLocation {
  return { start: fn.loc.start, end: fn.body.loc.start };
}
