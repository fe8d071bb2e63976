/**
 * `@picco/no-misleading-sqlite-path`: a database path that SQLite, as shipped in better-sqlite3,
 * turns into a junk file, or that is a typo. Checks the paths given to Picco's `SQLiteEngine`
 * and to better-sqlite3's `Database` directly, so it is useful to every better-sqlite3 user.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { objectProperty, quoteString, skipTypeWrappers } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import type { PathLiteral } from '../util/query-facts.js';
import { lazyResolvers } from '../util/resolvers.js';
import { checkLibraryPath, checkPiccoPath, checkRawSqlitePath, type PathProblem } from '../util/sqlite-paths.js';
import { mentionsModules } from '../util/library-configs.js';
import { libraryPathsOfCall, libraryPathsOfExport, type LibraryPath } from '../util/library-paths.js';

export type MessageIds = 'invalidPath' | 'uriOnRawSqlite' | 'fileOfThatName' | 'replacePath';

type Receiver = 'picco' | 'better-sqlite3';

/** Global constructors of JavaScript and Node that take no database path (asked about often: `new Set(items)`). */
const BUILT_IN_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'Array', 'ArrayBuffer', 'Date', 'Error', 'TypeError', 'RangeError', 'Map', 'WeakMap', 'Set', 'WeakSet', 'Promise',
  'RegExp', 'URL', 'URLSearchParams', 'Uint8Array', 'Int32Array', 'Float64Array', 'TextEncoder', 'TextDecoder',
  'AbortController', 'Proxy', 'WeakRef', 'Intl', 'Buffer', 'Function', 'Object', 'Number', 'String', 'Boolean',
]);

/** The modules whose paths `libraryPathsOfCall` knows. */
const PATH_LIBRARIES = ['knex', 'typeorm', 'sequelize', 'sqlite3', '@libsql/client'];

export default createRule<[], MessageIds>({
  name: 'no-misleading-sqlite-path',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow SQLite paths that are typos or that better-sqlite3 would turn into a file of that name',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      invalidPath: '{{path}} is not a usable database path: {{reason}}.{{hint}}',
      uriOnRawSqlite: '{{path}} is given to better-sqlite3 directly, and {{reason}}.{{hint}}',
      fileOfThatName: '{{path}} becomes a file of that name: {{reason}}.{{hint}}',
      replacePath: 'Use {{replacement}} instead.',
    },
  },
  defaultOptions: [],
  create(context) {
    const resolvers = lazyResolvers(context);
    const checkedLibraryPaths = new Set<TSESTree.Node>();
    const text = context.sourceCode.text;
    const mentionsLibraries = mentionsModules(text, PATH_LIBRARIES);

    /** Whose constructor a callee is: Picco's `SQLiteEngine` or better-sqlite3's `Database`. */
    function receiverOf(callee: TSESTree.Node, isNew: boolean): Receiver | undefined {
      const { scope, types } = resolvers();
      // `new Set(items)`, `new Error(message)`: a built-in constructor (not shadowed here) takes no database path.
      if (callee.type === AST_NODE_TYPES.Identifier && BUILT_IN_CONSTRUCTORS.has(callee.name)) {
        const variable = ASTUtils.findVariable(context.sourceCode.getScope(callee), callee);
        if (variable === null || variable.defs.length === 0) return undefined;
      }
      const binding = scope.importedBinding(callee);
      if (binding !== undefined) {
        if (isNew && binding.source.startsWith('@picco/') && binding.imported === 'SQLiteEngine') return 'picco';
        if (binding.source === 'better-sqlite3' && (binding.imported === 'default' || binding.imported === '*')) return 'better-sqlite3';
      }
      // Only `new` expressions go to the checker. A call without `new` (`Database(path)`, legal for
      // better-sqlite3 but rare) is recognised above, by its import or `require`; asking the
      // checker about every `f(x)` of a file made this rule cost more than no-floating-promises
      // on the lint benchmark (hardening/lint-bench).
      if (types !== undefined && isNew) {
        const tsCallee = types.tsNode(callee);
        const symbol = types.symbolOf(tsCallee);
        if (isNew && symbol?.name === 'SQLiteEngine' && types.isPicco(symbol)) return 'picco';
        // Only the constructor: better-sqlite3 also declares every method of a `Database`, and
        // `db.prepare('SELECT ... WHERE id = ?')` is a statement, not a path (found by the lint
        // benchmark, hardening/lint-bench).
        if (symbol !== undefined && types.isBetterSqlite3(symbol) && types.isConstructor(symbol, tsCallee)) return 'better-sqlite3';
      }
      return undefined;
    }

    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      if (mentionsLibraries) checkLibraryPaths(libraryPathsOfCall(resolvers().scope, node));
      const callee = skipTypeWrappers(node.callee);
      const [first] = node.arguments;
      if (first === undefined || (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression)) return;
      const isNew = node.type === AST_NODE_TYPES.NewExpression;
      // Cheap syntax filter: the Picco engine takes `{ path }`, better-sqlite3 a string first.
      const pathNode = first.type === AST_NODE_TYPES.ObjectExpression ? objectProperty(first, 'path') : first;
      if (pathNode === undefined || !mayBeString(pathNode)) return;
      const expected: Receiver = first.type === AST_NODE_TYPES.ObjectExpression ? 'picco' : 'better-sqlite3';
      const judge = expected === 'picco' ? checkPiccoPath : checkRawSqlitePath;

      const literals: PathLiteral[] = [];
      resolvers().scope.collectLiterals(pathNode, literals, 0);
      // Before asking whose call this is (types): a path spelled out here with nothing wrong in it
      // needs no receiver. Most calls with a string argument stop here.
      if (literals.length > 0 && literals.every((literal) => judge(literal.value) === undefined)) return;
      if (receiverOf(callee, isNew) !== expected) return;
      if (literals.length === 0) literals.push(...typedLiterals(pathNode));
      const reported = new Set<string>();
      for (const literal of literals) {
        if (reported.has(literal.value)) continue;
        const problem = judge(literal.value);
        if (problem === undefined) continue;
        reported.add(literal.value);
        report(pathNode, literal, problem);
      }
    }

    /** Paths given to knex, TypeORM, Sequelize, node-sqlite3 or libsql, each with how that library opens it. */
    function checkLibraryPaths(paths: readonly LibraryPath[]): void {
      for (const { node, dialect, library } of paths) {
        // A knexfile's `const` configuration is seen both where knex is called and where it is exported.
        if (checkedLibraryPaths.has(node)) continue;
        checkedLibraryPaths.add(node);
        const literals: PathLiteral[] = [];
        resolvers().scope.collectLiterals(node, literals, 0);
        const reported = new Set<string>();
        for (const literal of literals) {
          const problem = checkLibraryPath(literal.value, dialect, library);
          if (problem === undefined || reported.has(literal.value)) continue;
          reported.add(literal.value);
          report(node, literal, problem);
        }
      }
    }

    /** With type information: the literal type of a path that this file does not spell out. */
    function typedLiterals(pathNode: TSESTree.Node): PathLiteral[] {
      const types = resolvers().types;
      if (types === undefined) return [];
      const tsNode = types.tsNode(pathNode);
      return types.stringLiterals(types.checker.getTypeAtLocation(tsNode)).values.map((value) => ({ value, fix: undefined }));
    }

    function report(node: TSESTree.Node, literal: PathLiteral, problem: PathProblem): void {
      const suggestion = problem.suggestion;
      const edit = literal.fix;
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      if (suggestion !== undefined && edit !== undefined) {
        suggest.push({
          messageId: 'replacePath',
          data: { replacement: JSON.stringify(suggestion) },
          fix: (fixer) => fixer.replaceTextRange([edit.range[0], edit.range[1]], quoteString(suggestion, edit.quote)),
        });
      }
      context.report({
        node,
        messageId: problem.messageId,
        data: {
          path: JSON.stringify(literal.value),
          reason: problem.reason,
          hint: suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(suggestion)}?`,
        },
        suggest,
      });
    }

    // A call without `new` can only be another library's (in a file that names it) or
    // better-sqlite3's `Database(path)` (recognised by its import or `require` in this file).
    // Elsewhere the rule does not listen to calls at all: being called for every call of every
    // file cost more than the rest of the rule (hardening/lint-bench).
    const callsMatter = mentionsLibraries || mentionsModules(text, ['better-sqlite3']);

    return {
      NewExpression: check,
      ...(callsMatter ? { CallExpression: check } : {}),
      AssignmentExpression: (node) => checkLibraryPaths(libraryPathsOfExport(resolvers().scope, node)),
      ExportDefaultDeclaration: (node) => checkLibraryPaths(libraryPathsOfExport(resolvers().scope, node)),
    };
  },
});

/** A cheap syntax filter: a function, an array or a class is never a path (`new Promise((resolve) => ...)`). */
function mayBeString(node: TSESTree.Node): boolean {
  switch (skipTypeWrappers(node).type) {
    case AST_NODE_TYPES.SpreadElement:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ClassExpression:
      return false;
    default:
      return true;
  }
}
