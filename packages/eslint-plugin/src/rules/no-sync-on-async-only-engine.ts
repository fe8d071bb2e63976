/**
 * `@picco/no-sync-on-async-only-engine`: a synchronous call on an engine that has no synchronous
 * driver. PostgreSQL's engine (`@picco/postgres`, on node-postgres) runs every query
 * asynchronously: `.runSync()` on its queries, `.batchSync()`, `transactionSync()` and
 * `executeSync()` always throw `SYNC_UNSUPPORTED`. This rule finds them before the code runs.
 */
import { PiccoErrorCode } from '@picco/core';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { canAwaitAt, mayBeObject, memberName, needsParenthesesForAwait, quoteOf, quoteString, skipTypeWrappers, startingStatement } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { ASYNC_ONLY_ENGINE_PACKAGES } from '../util/packages.js';
import { describeEngine, type EngineDefinition, type SyncRefusal } from '../util/query-facts.js';
import { lazyResolvers } from '../util/resolvers.js';

export type MessageIds = 'syncRefused' | 'syncMaybeRefused' | 'runAsync';

/** The synchronous methods, on a query or on the engine, and what runs the same work asynchronously. */
const SYNC_METHODS: Readonly<Record<string, { readonly on: 'query' | 'engine'; readonly async: string }>> = {
  runSync: { on: 'query', async: 'await query.run()' },
  batchSync: { on: 'query', async: 'for await (... of query.batch(size))' },
  transactionSync: { on: 'engine', async: 'await engine.transaction(...)' },
  executeSync: { on: 'engine', async: 'await engine.execute(...)' },
};
const SYNC_METHOD_NAMES = '/^(runSync|batchSync|transactionSync|executeSync)$/';
/** `x.runSync()`, also written `x['runSync']()` or `(x.runSync as F)()`. */
const SYNC_CALL = `CallExpression:matches([callee.property.name=${SYNC_METHOD_NAMES}], [callee.property.value=${SYNC_METHOD_NAMES}], [callee.expression.property.name=${SYNC_METHOD_NAMES}])`;

export default createRule<[], MessageIds>({
  name: 'no-sync-on-async-only-engine',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow synchronous calls on an engine without a synchronous driver (PostgreSQL)',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      // One sentence, what and why; the details are in the rule's docs (the URL).
      syncRefused: `\`{{call}}\` on {{subject}}{{where}} always throws ${PiccoErrorCode.SYNC_UNSUPPORTED}: PostgreSQL's engine has no synchronous driver.`,
      syncMaybeRefused: `\`{{call}}\` on {{subject}} throws ${PiccoErrorCode.SYNC_UNSUPPORTED} when its engine{{where}} is PostgreSQL's, which has no synchronous driver.`,
      runAsync: 'Run it asynchronously: `{{replacement}}`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const resolvers = lazyResolvers(context);
    // Without types, only an engine constructed in this file is proven, so the file must import it.
    let mentionsAsyncOnlyEngine: boolean | undefined;
    const mayHoldAsyncOnlyEngine = (): boolean => {
      const types = resolvers().types;
      if (types !== undefined) return types.mayRefuseSync();
      mentionsAsyncOnlyEngine ??= [...ASYNC_ONLY_ENGINE_PACKAGES].some((name) => sourceCode.text.includes(name));
      return mentionsAsyncOnlyEngine;
    };

    return {
      // The selector filters by method name before the rule runs at all.
      [SYNC_CALL](call: TSESTree.CallExpression) {
        const callee = skipTypeWrappers(call.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const name = memberName(callee);
        const method = name === undefined || !Object.hasOwn(SYNC_METHODS, name) ? undefined : SYNC_METHODS[name]!;
        if (name === undefined || method === undefined || !mayBeObject(callee.object) || !mayHoldAsyncOnlyEngine()) return;

        const queries = resolvers().queries;
        let facts: { readonly syncRefused: SyncRefusal; readonly engine: EngineDefinition | undefined } | undefined;
        let subject = 'this engine';
        if (method.on === 'query') {
          const query = queries.queryFacts(callee.object);
          facts = query;
          if (query !== undefined) subject = query.tableName === undefined ? 'this query' : `a query on table "${query.tableName}"`;
        } else {
          facts = queries.engineFacts(callee.object);
        }
        if (facts === undefined || facts.syncRefused === 'never') return;

        const fix = asyncRewrite(call, callee, name);
        context.report({
          node: call,
          messageId: facts.syncRefused === 'always' ? 'syncRefused' : 'syncMaybeRefused',
          data: { call: `.${name}()`, subject, where: describeEngine(facts.engine, context.filename) },
          suggest: fix === undefined ? [] : [{ messageId: 'runAsync', data: { replacement: method.async }, fix }],
        });
      },
    };

    /** The asynchronous form of the call, where `await` can be written and the rewrite keeps the meaning. */
    function asyncRewrite(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression, name: string): TSESLint.ReportFixFunction | undefined {
      const whole = call.parent.type === AST_NODE_TYPES.ChainExpression ? call.parent : call;
      // Inside a longer optional chain (`a?.q.runSync().length`) an `await` would change what short-circuits.
      if (whole === call && hasOptionalLink(call)) return undefined;
      switch (name) {
        case 'runSync':
          // `q.runSync(values)` -> `await q.run(values)`: the same result, for every query (a
          // prepared query takes its values there, and is not itself awaitable).
          return awaitTheAsyncMethod(whole, callee, 'run');
        case 'batchSync': {
          // `for (const rows of q.batchSync(n))` -> `for await (const rows of q.batch(n))`: the same pages.
          const loop = whole.parent;
          if (loop?.type !== AST_NODE_TYPES.ForOfStatement || loop.right !== whole || loop.await || !canAwaitAt(loop, sourceCode)) return undefined;
          if (whole !== call || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return undefined;
          const forKeyword = sourceCode.getFirstToken(loop);
          if (forKeyword === null) return undefined;
          const property = callee.property;
          return (fixer) => [fixer.insertTextAfter(forKeyword, ' await'), fixer.replaceText(property, 'batch')];
        }
        default:
          // `DB.transactionSync(callback)` -> `await DB.transaction(callback)` (it takes a sync callback too).
          return awaitTheAsyncMethod(whole, callee, name === 'transactionSync' ? 'transaction' : 'execute');
      }
    }

    /** `await` before the call, and the method renamed to its async counterpart (`x['runSync']()` too). */
    function awaitTheAsyncMethod(whole: TSESTree.Node, callee: TSESTree.MemberExpression, counterpart: string): TSESLint.ReportFixFunction | undefined {
      if (!canAwaitAt(whole, sourceCode)) return undefined;
      const property = callee.property;
      let renamed: string;
      if (!callee.computed && property.type === AST_NODE_TYPES.Identifier) renamed = counterpart;
      else if (callee.computed && property.type === AST_NODE_TYPES.Literal && typeof property.value === 'string') renamed = quoteString(counterpart, quoteOf(sourceCode, property));
      else return undefined;
      const parenthesized = needsParenthesesForAwait(whole);
      const prefix = startingStatement(sourceCode, whole, parenthesized ? '(await ' : 'await ');
      return (fixer) => [fixer.insertTextBefore(whole, prefix), fixer.replaceText(property, renamed), ...(parenthesized ? [fixer.insertTextAfter(whole, ')')] : [])];
    }
  },
});

/** True when the call's own chain (`a?.b.runSync()`, `q.runSync?.()`) has an optional link. */
function hasOptionalLink(call: TSESTree.CallExpression): boolean {
  let node: TSESTree.Node = call;
  for (;;) {
    switch (node.type) {
      case AST_NODE_TYPES.CallExpression:
        if (node.optional) return true;
        node = node.callee;
        break;
      case AST_NODE_TYPES.MemberExpression:
        if (node.optional) return true;
        node = node.object;
        break;
      case AST_NODE_TYPES.TSNonNullExpression:
        node = node.expression;
        break;
      default:
        return false;
    }
  }
}
