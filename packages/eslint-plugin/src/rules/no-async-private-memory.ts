/**
 * `@picco/no-async-private-memory`: an async execution of a query on an engine whose database
 * exists inside one connection only. Async queries run on other connections (worker processes),
 * so they would see another, empty database; Picco's runtime rejects them with
 * `PRIVATE_MEMORY_ASYNC`. This rule finds them before the code runs.
 */
import { PiccoErrorCode } from '@picco/core';
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { enclosingFunction, hasCommentInside, mayBeObject, memberName, quoteString, runSyncText, skipTypeWrappers, startingStatement } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { describeEngine, type QueryFacts } from '../util/query-facts.js';
import { lazyResolvers } from '../util/resolvers.js';
import { judgePrivacy, sharedSpellingOf, type PrivacyVerdict } from '../util/sqlite-paths.js';

export type FixStrategy = 'shared-cache' | 'run-sync' | 'suggest-only';
export type Options = [{ fix?: FixStrategy }];
export type MessageIds = 'privateMemory' | 'mayBePrivate' | 'useSharedCache' | 'useRunSync' | 'useRunSyncThen';

const PROMISE_COMBINATORS: ReadonlySet<string> = new Set(['all', 'allSettled', 'race', 'any']);
/** `x.run()`, `x.then()`, `Promise.all()` and friends, also written `x['run']()` or `(x.run as F)()`. */
const EXECUTING_METHODS = '/^(run|then|all|allSettled|race|any)$/';
const EXECUTING_CALL = `CallExpression:matches([callee.property.name=${EXECUTING_METHODS}], [callee.property.value=${EXECUTING_METHODS}], [callee.expression.property.name=${EXECUTING_METHODS}])`;

/** Where and how a query is executed asynchronously. */
type Site =
  | { readonly kind: 'await'; readonly node: TSESTree.AwaitExpression }
  | { readonly kind: 'run' | 'then'; readonly node: TSESTree.CallExpression; readonly callee: TSESTree.MemberExpression }
  | { readonly kind: 'return' | 'yield' | 'for-await'; readonly node: TSESTree.Expression }
  | { readonly kind: 'combinator'; readonly node: TSESTree.Expression; readonly combinator: string };

export default createRule<Options, MessageIds>({
  name: 'no-async-private-memory',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow async execution of queries on a private in-memory or temporary SQLite database',
      recommended: true,
      requiresTypeChecking: false,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          fix: {
            type: 'string',
            enum: ['shared-cache', 'run-sync', 'suggest-only'],
            description: "Which autofix to apply: rewrite the engine's path, rewrite the call to `.runSync()`, or only suggest.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ fix: 'shared-cache' }],
    messages: {
      // One sentence, what and why; the fixes and the details are in the rule's docs (the URL).
      privateMemory: `{{subject}} runs asynchronously on {{path}}{{where}}, a database private to one connection: it rejects with ${PiccoErrorCode.PRIVATE_MEMORY_ASYNC}.`,
      mayBePrivate: `{{subject}} runs asynchronously, and its engine's path may be {{path}}{{where}}, a database private to one connection: then it rejects with ${PiccoErrorCode.PRIVATE_MEMORY_ASYNC}.`,
      useSharedCache: "Change the engine's path {{from}} to {{to}}: one in-memory database shared by every query of the engine.",
      useRunSync: 'Run the query synchronously with `.runSync()`.',
      useRunSyncThen: 'Run the query synchronously: `Promise.resolve(query.runSync()).then(...)`.',
    },
  },
  defaultOptions: [{ fix: 'shared-cache' }],
  create(context, [{ fix: strategy = 'shared-cache' }]) {
    const sourceCode = context.sourceCode;
    const resolvers = lazyResolvers(context);

    function check(query: TSESTree.Node, site: Site): void {
      if (!mayBeObject(query)) return;
      const facts = resolvers().queries.queryFacts(query);
      // `await prepared` runs nothing: only `.run(values)` executes a prepared query.
      if (facts === undefined || (!facts.thenable && site.kind !== 'run')) return;
      const verdict = judgePrivacy(facts.paths);
      if (verdict.kind === 'none') return;

      const shared = sharedCacheFix(facts, verdict);
      // An engine that may be PostgreSQL's refuses `.runSync()`: no rewrite to it then.
      const syncWorks = facts.syncRefused === 'never';
      const runSync = syncWorks ? runSyncFix(site, facts.nullable) : undefined;
      let autofix: TSESLint.ReportFixFunction | undefined;
      if (strategy === 'shared-cache') autofix = shared?.fix ?? (verdict.kind === 'private' ? runSync : undefined);
      else if (strategy === 'run-sync') autofix = verdict.kind === 'private' ? runSync : undefined;

      // The autofix is offered once, as the editor's "Fix this problem"; the other rewrite as a suggestion.
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      if (shared !== undefined && autofix !== shared.fix) suggest.push({ messageId: 'useSharedCache', data: { from: shared.from, to: shared.to }, fix: shared.fix });
      if (runSync !== undefined && autofix !== runSync) suggest.push({ messageId: 'useRunSync', fix: runSync });
      const then = site.kind === 'then' && syncWorks ? thenSuggestion(site, facts.nullable) : undefined;
      if (then !== undefined) suggest.push({ messageId: 'useRunSyncThen', fix: then });

      context.report({
        node: site.node,
        messageId: verdict.kind === 'private' ? 'privateMemory' : 'mayBePrivate',
        data: {
          subject: facts.tableName === undefined ? 'This query' : `A query on table "${facts.tableName}"`,
          path: verdict.privatePaths.map(showPath).join(' or '),
          where: describeEngine(facts.engine, context.filename),
        },
        fix: autofix,
        suggest,
      });
    }

    function sharedCacheFix(facts: QueryFacts, verdict: Exclude<PrivacyVerdict, { kind: 'none' }>) {
      const literals = facts.engine?.literals ?? [];
      const edits: { range: readonly [number, number]; text: string }[] = [];
      for (const path of verdict.privatePaths) {
        const to = sharedSpellingOf(path);
        const matching = literals.filter((literal) => literal.value === path);
        if (to === undefined || matching.length === 0) return undefined;
        for (const literal of matching) {
          if (literal.fix === undefined) return undefined;
          edits.push({ range: literal.fix.range, text: quoteString(to, literal.fix.quote) });
        }
      }
      const from = verdict.privatePaths.map(showPath).join(' or ');
      const to = verdict.privatePaths.map((path) => showPath(sharedSpellingOf(path)!)).join(' or ');
      const fix: TSESLint.ReportFixFunction = (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text));
      return { fix, from, to };
    }

    /**
     * `nullable`: the query expression may also be nullish (`flag ? q : undefined`); then
     * `?.runSync()`, since `(flag ? q : undefined).runSync()` would throw where `await` gave
     * `undefined` (found by the fix properties, hardening/properties).
     */
    function runSyncFix(site: Site, nullable: boolean): TSESLint.ReportFixFunction | undefined {
      switch (site.kind) {
        case 'await':
          return (fixer) => fixer.replaceText(site.node, withKeptComments(site.node, site.node.argument, runSyncText(sourceCode, site.node.argument, nullable)));
        case 'return':
        case 'yield':
        case 'for-await':
        case 'combinator':
          return (fixer) => fixer.replaceText(site.node, runSyncText(sourceCode, site.node, nullable));
        case 'then':
          // `.then(callback)` needs a promise; no mechanical rewrite keeps it meaning the same.
          return undefined;
        case 'run': {
          const call = site.node;
          if (call.optional || site.callee.optional || site.callee.computed) return undefined;
          const parent = call.parent;
          if (parent.type === AST_NODE_TYPES.AwaitExpression) {
            // `await q.run(values)` -> `q.runSync(values)`: a prepared query's values are kept.
            const property = site.callee.property;
            const text = call.arguments.length === 0 ? runSyncText(sourceCode, site.callee.object) : sourceCode.text.slice(call.range[0], property.range[0]) + 'runSync' + sourceCode.text.slice(property.range[1], call.range[1]);
            return (fixer) => fixer.replaceText(parent, withKeptComments(parent, call.arguments.length === 0 ? site.callee.object : call, text));
          }
          if (!acceptsPlainValue(call)) return undefined;
          return (fixer) => fixer.replaceText(site.callee.property, 'runSync');
        }
      }
    }

    /**
     * `replacement` for `whole`, keeping the comments of `whole` outside `kept` (`await /* keep *\/ q`
     * loses only `await`), with the `;` that `startingStatement` may put first.
     */
    function withKeptComments(whole: TSESTree.Node, kept: TSESTree.Node, replacement: string): string {
      // Most rewrites have no comment inside: then no walk over the tokens of `whole`.
      const comments = hasCommentInside(sourceCode, whole)
        ? sourceCode
            .getCommentsInside(whole)
            .filter((comment) => comment.range[1] <= kept.range[0] || comment.range[0] >= kept.range[1])
            .map((comment) => `${sourceCode.getText(comment as unknown as TSESTree.Node)}${comment.type === 'Line' ? '\n' : ' '}`)
            .join('')
        : '';
      const started = startingStatement(sourceCode, whole, replacement);
      const semicolon = started.length > replacement.length ? ';' : '';
      return `${semicolon}${comments}${replacement}`;
    }

    /** `q.then(f)` to `Promise.resolve(q.runSync()).then(f)`: the query runs now, on the engine's connection; `f` still runs later. */
    function thenSuggestion(site: { readonly node: TSESTree.CallExpression; readonly callee: TSESTree.MemberExpression }, nullable: boolean): TSESLint.ReportFixFunction | undefined {
      if (site.node.optional || site.callee.optional || nullable || !isGlobalPromiseFree(site.node)) return undefined;
      const query = site.callee.object;
      return (fixer) => fixer.replaceText(query, `Promise.resolve(${runSyncText(sourceCode, query)})`);
    }

    /** True where `Promise` names the global one. */
    function isGlobalPromiseFree(at: TSESTree.Node): boolean {
      const variable = ASTUtils.findVariable(sourceCode.getScope(at), 'Promise');
      return variable === null || variable.defs.length === 0;
    }

    /** `Promise.all([...])` and friends, with the global `Promise`. */
    function promiseCombinator(call: TSESTree.CallExpression): string | undefined {
      const callee = skipTypeWrappers(call.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.object.type !== AST_NODE_TYPES.Identifier || callee.object.name !== 'Promise') return undefined;
      const name = memberName(callee);
      if (name === undefined || !PROMISE_COMBINATORS.has(name)) return undefined;
      const variable = ASTUtils.findVariable(sourceCode.getScope(callee.object), callee.object);
      if (variable !== null && variable.defs.length > 0) return undefined;
      return name;
    }

    /** True where a promise could be replaced by its value without changing what happens. */
    function acceptsPlainValue(node: TSESTree.Node): boolean {
      const parent = node.parent;
      if (parent == null) return false;
      switch (parent.type) {
        case AST_NODE_TYPES.ExpressionStatement:
          return true;
        case AST_NODE_TYPES.UnaryExpression:
          return parent.operator === 'void';
        case AST_NODE_TYPES.ReturnStatement: {
          const fn = enclosingFunction(parent);
          return fn !== undefined && fn !== 'class-initializer' && fn.async;
        }
        case AST_NODE_TYPES.ArrowFunctionExpression:
          return parent.async && parent.body === node;
        case AST_NODE_TYPES.ArrayExpression:
          return parent.parent.type === AST_NODE_TYPES.CallExpression && promiseCombinator(parent.parent) !== undefined;
        default:
          return false;
      }
    }

    return {
      // Selectors filter by method name before the rule runs at all: most calls in a file are none of these.
      AwaitExpression(node) {
        check(node.argument, { kind: 'await', node });
      },
      [EXECUTING_CALL](node: TSESTree.CallExpression) {
        const callee = skipTypeWrappers(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const name = memberName(callee);
        if (name === 'run' || name === 'then') {
          check(callee.object, { kind: name, node, callee });
          return;
        }
        const combinator = promiseCombinator(node);
        const list = node.arguments[0];
        if (combinator === undefined || list?.type !== AST_NODE_TYPES.ArrayExpression) return;
        for (const element of list.elements) {
          if (element === null || element.type === AST_NODE_TYPES.SpreadElement) continue;
          check(element, { kind: 'combinator', node: element, combinator });
        }
      },
      YieldExpression(node) {
        // An async generator awaits what it yields; a sync one hands the query over unexecuted.
        if (node.delegate || node.argument == null) return;
        const fn = enclosingFunction(node);
        if (fn === undefined || fn === 'class-initializer' || !fn.async) return;
        check(node.argument, { kind: 'yield', node: node.argument });
      },
      'ForOfStatement[await=true]'(node: TSESTree.ForOfStatement) {
        // `for await` awaits each element of an array of thenables.
        if (node.right.type !== AST_NODE_TYPES.ArrayExpression) return;
        for (const element of node.right.elements) {
          if (element === null || element.type === AST_NODE_TYPES.SpreadElement) continue;
          check(element, { kind: 'for-await', node: element });
        }
      },
      ReturnStatement(node) {
        if (node.argument == null) return;
        const fn = enclosingFunction(node);
        if (fn === undefined || fn === 'class-initializer' || !fn.async) return;
        check(node.argument, { kind: 'return', node: node.argument });
      },
      'ArrowFunctionExpression[async=true]'(node: TSESTree.ArrowFunctionExpression) {
        if (node.body.type === AST_NODE_TYPES.BlockStatement) return;
        check(node.body, { kind: 'return', node: node.body });
      },
    };
  },
});

function showPath(path: string): string {
  return `'${path}'`;
}
