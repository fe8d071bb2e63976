/**
 * `@picco/no-unexecuted-query`: a query built and dropped. Picco's queries are lazy: nothing
 * runs until the query is awaited, `.run()` or `.runSync()`, so `Users.createTable();` does
 * nothing at all.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { awaitText, canAwaitAt, runSyncText, skipTypeWrappers, startingStatement } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { lazyResolvers } from '../util/resolvers.js';
import { judgePrivacy } from '../util/sqlite-paths.js';

export type MessageIds = 'unexecuted' | 'addAwait' | 'addRunSync';

export default createRule<[], MessageIds>({
  name: 'no-unexecuted-query',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow Picco queries that are built and never executed',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      unexecuted:
        '{{subject}} is built and dropped, so it never runs: queries are lazy and execute only when awaited, `.run()` or `.runSync()`.',
      addAwait: 'Execute it with `await`.',
      addRunSync: 'Execute it synchronously with `.runSync()`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const resolvers = lazyResolvers(context);

    return {
      ExpressionStatement(node) {
        if (node.directive !== undefined && node.directive !== null) return;
        const expression = node.expression;
        if (!mayBeQuery(expression)) return;
        const facts = resolvers().queries.queryFacts(expression);
        if (facts === undefined) return;

        const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
        // `await` on an engine that is certainly private would only trade this report for
        // no-async-private-memory's: offer `.runSync()` alone there.
        // A prepared query is not awaitable: `await` would run nothing.
        if (facts.thenable && canAwaitAt(node, sourceCode) && judgePrivacy(facts.paths).kind !== 'private') {
          suggest.push({ messageId: 'addAwait', fix: (fixer) => fixer.replaceText(expression, awaitText(sourceCode, expression)) });
        }
        // A PostgreSQL engine refuses `.runSync()` (SYNC_UNSUPPORTED): never offer it there.
        // A prepared query runs with its values (`.run(values)`): no mechanical rewrite knows them.
        if (facts.syncRefused === 'never' && facts.thenable) {
          suggest.push({ messageId: 'addRunSync', fix: (fixer) => fixer.replaceText(expression, startingStatement(sourceCode, expression, runSyncText(sourceCode, expression, facts.nullable))) });
        }

        context.report({
          node: expression,
          messageId: 'unexecuted',
          data: { subject: facts.tableName === undefined ? 'This query' : `This query on table "${facts.tableName}"` },
          suggest,
        });
      },
    };
  },
});

/** A cheap syntax filter before any type is asked for. */
function mayBeQuery(node: TSESTree.Node): boolean {
  const expression = skipTypeWrappers(node);
  return expression.type === AST_NODE_TYPES.CallExpression || expression.type === AST_NODE_TYPES.NewExpression || expression.type === AST_NODE_TYPES.Identifier || expression.type === AST_NODE_TYPES.MemberExpression;
}
