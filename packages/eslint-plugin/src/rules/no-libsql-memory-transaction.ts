/**
 * `@picco/no-libsql-memory-transaction`: `.transaction()` on a libsql client (or a Drizzle
 * database on one) whose URL is a private `:memory:` database, with `@libsql/client` before
 * 0.18 installed. Such a client has one connection; `transaction()` hands it to the transaction
 * and the client's next query opens a new connection: a new, empty in-memory database.
 */
import { AST_NODE_TYPES, type TSESLint } from '@typescript-eslint/utils';
import { memberName, quoteString, skipTypeWrappers } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { installedVersion, isOlderThan, type Version } from '../util/installed-version.js';
import { libsqlUrlOf, mentionsModules } from '../util/library-configs.js';
import type { PathLiteral } from '../util/query-facts.js';
import { lazyResolvers } from '../util/resolvers.js';

export type MessageIds = 'transactionLosesDatabase' | 'useSharedMemory';

/** libsql's spellings of a private in-memory database (its `expandConfig` turns `:memory:` into `file::memory:`). */
const PRIVATE_MEMORY_URLS: ReadonlySet<string> = new Set([':memory:', 'file::memory:', 'file::memory:?cache=private']);
const LIBSQL_SHARED_MEMORY_URL = 'file::memory:?cache=shared';

export default createRule<[], MessageIds>({
  name: 'no-libsql-memory-transaction',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow transactions on a libsql `:memory:` client before @libsql/client 0.18, which lose the database',
      recommended: true,
      requiresTypeChecking: false,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      transactionLosesDatabase:
        "With @libsql/client {{version}}, the next query after this transaction opens a new, empty ':memory:' database: upgrade to 0.18 or share the memory.",
      useSharedMemory: `Use "${LIBSQL_SHARED_MEMORY_URL}" (one in-memory database shared by every client of the process, no file).`,
    },
  },
  defaultOptions: [],
  create(context) {
    const resolvers = lazyResolvers(context);
    let installed: Version | null | undefined;
    let mentionsLibsql: boolean | undefined;

    /** The installed `@libsql/client`, when it is older than 0.18; read once per linted file (cached per folder). */
    function affectedVersion(): Version | null {
      if (installed === undefined) {
        const version = installedVersion(context.physicalFilename, '@libsql/client');
        installed = version !== undefined && isOlderThan(version, 0, 18) ? version : null;
      }
      return installed;
    }

    return {
      CallExpression(node) {
        // Cheap syntax filter first: `x.transaction(...)`.
        const callee = skipTypeWrappers(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression || memberName(callee) !== 'transaction') return;
        mentionsLibsql ??= mentionsModules(context.sourceCode.text, ['@libsql/client', 'drizzle-orm/libsql']);
        if (!mentionsLibsql) return;
        const scope = resolvers().scope;
        const url = libsqlUrlOf(scope, callee.object);
        if (url === undefined) return;
        const literals: PathLiteral[] = [];
        if (!scope.collectLiterals(url, literals, 0) || literals.length === 0) return;
        if (!literals.every((literal) => PRIVATE_MEMORY_URLS.has(literal.value))) return;
        const version = affectedVersion();
        if (version === null) return;
        const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
        // Every literal is rewritten at once; one behind a `const` shared with other uses is not.
        if (literals.every((literal) => literal.fix !== undefined)) {
          suggest.push({
            messageId: 'useSharedMemory',
            fix: (fixer) => literals.map((literal) => fixer.replaceTextRange([literal.fix!.range[0], literal.fix!.range[1]], quoteString(LIBSQL_SHARED_MEMORY_URL, literal.fix!.quote))),
          });
        }
        context.report({
          node: callee.property,
          messageId: 'transactionLosesDatabase',
          data: { version: `${version.major}.${version.minor}.${version.patch}` },
          suggest,
        });
      },
    };
  },
});
