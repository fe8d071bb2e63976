/**
 * `@picco/no-pooled-memory-database`: a knex pool (knex itself, or MikroORM 6 on SQLite, which
 * runs knex inside) over a `':memory:'` database. Each connection of the pool opens its own empty
 * database, so with `max > 1` concurrent queries see "no such table"; with `min: 0` the idle
 * connection is closed after `idleTimeoutMillis` and the database is gone with it.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { skipTypeWrappers } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { installedVersion } from '../util/installed-version.js';
import {
  exportedConfigs,
  isMikroOrmMemoryConfig,
  judgePool,
  knexCallConfig,
  knexMemoryClient,
  mentionsModules,
  mikroOrmCallConfig,
  moduleExportValue,
  poolProperty,
  propertyKey,
  type ConfigObject,
} from '../util/library-configs.js';
import { lazyResolvers } from '../util/resolvers.js';

export type MessageIds = 'severalConnections' | 'idleConnection';

type Library = 'knex' | 'MikroORM';

export default createRule<[], MessageIds>({
  name: 'no-pooled-memory-database',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow a knex or MikroORM connection pool over a SQLite `:memory:` database',
      recommended: true,
      requiresTypeChecking: false,
    },
    fixable: 'code',
    schema: [],
    messages: {
      severalConnections:
        "This {{library}} pool may open several connections to ':memory:', each with its own empty database: use `pool: { min: 1, max: 1 }`.",
      idleConnection:
        "With `min: 0` this {{library}} pool closes the idle connection to ':memory:', and the database with it: use `pool: { min: 1, max: 1 }`.",
    },
  },
  defaultOptions: [],
  create(context) {
    const resolvers = lazyResolvers(context);
    const sourceCode = context.sourceCode;
    const checked = new Set<TSESTree.ObjectExpression>();
    let mikroOrmBefore7: boolean | undefined;
    let mentionsLibraries: boolean | undefined;

    /** MikroORM 7 runs SQLite on one connection of its own and ignores `pool`. */
    function isMikroOrmBefore7(): boolean {
      mikroOrmBefore7 ??= (installedVersion(context.physicalFilename, '@mikro-orm/core')?.major ?? Infinity) < 7;
      return mikroOrmBefore7;
    }

    function check(config: ConfigObject, library: Library): void {
      if (checked.has(config.object)) return;
      checked.add(config.object);
      const pool = poolProperty(config.object);
      if (pool === undefined) return;
      const verdict = judgePool(resolvers().scope, pool.value);
      if (verdict.kind !== 'several' && verdict.kind !== 'idle') return;
      context.report({
        node: pool,
        messageId: verdict.kind === 'several' ? 'severalConnections' : 'idleConnection',
        data: { library },
        fix: verdict.fixable ? (fixer) => fixOnePerPool(fixer, pool) : null,
      });
    }

    function checkKnex(config: ConfigObject | undefined): void {
      if (config !== undefined && knexMemoryClient(resolvers().scope, config.object) !== undefined) check(config, 'knex');
    }

    function checkMikroOrm(config: ConfigObject | undefined, driverKnown: boolean): void {
      if (config === undefined || !isMikroOrmMemoryConfig(resolvers().scope, config.object, driverKnown)) return;
      if (isMikroOrmBefore7()) check(config, 'MikroORM');
    }

    function checkCall(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      // Cheap syntax filter: a configuration is an object (or a name for one) passed first.
      const first = node.arguments[0];
      if (first === undefined || (first.type !== AST_NODE_TYPES.ObjectExpression && first.type !== AST_NODE_TYPES.Identifier)) return;
      mentionsLibraries ??= mentionsModules(sourceCode.text, ['knex', '@mikro-orm/']);
      if (!mentionsLibraries) return;
      const scope = resolvers().scope;
      if (node.type === AST_NODE_TYPES.CallExpression) checkKnex(knexCallConfig(scope, node));
      checkMikroOrm(mikroOrmCallConfig(scope, node), true);
    }

    function checkExport(node: TSESTree.AssignmentExpression | TSESTree.ExportDefaultDeclaration): void {
      const value = moduleExportValue(node);
      if (value === undefined) return;
      for (const config of exportedConfigs(resolvers().scope, value)) {
        checkKnex(config);
        checkMikroOrm(config, false);
      }
    }

    /** Sets `min` and `max` to 1 in the pool object, keeping its other settings. */
    function fixOnePerPool(fixer: TSESLint.RuleFixer, pool: TSESTree.Property): TSESLint.RuleFix[] {
      const object = skipTypeWrappers(pool.value) as TSESTree.ObjectExpression;
      const fixes: TSESLint.RuleFix[] = [];
      const missing = new Set(['min', 'max']);
      for (const property of object.properties) {
        if (property.type !== AST_NODE_TYPES.Property) continue;
        const key = propertyKey(property);
        if (key !== 'min' && key !== 'max') continue;
        missing.delete(key);
        if (property.shorthand) fixes.push(fixer.replaceText(property, `${key}: 1`));
        else if (sourceCode.getText(property.value) !== '1') fixes.push(fixer.replaceText(property.value, '1'));
      }
      if (missing.size > 0) {
        const added = [...missing].map((key) => `${key}: 1`).join(', ');
        // Right after `{`, so that the edit never touches another edit's range.
        const brace = sourceCode.getFirstToken(object)!;
        fixes.push(object.properties.length === 0 ? fixer.replaceText(object, `{ ${added} }`) : fixer.insertTextAfter(brace, ` ${added},`));
      }
      return fixes;
    }

    return {
      CallExpression: checkCall,
      NewExpression: checkCall,
      AssignmentExpression: checkExport,
      ExportDefaultDeclaration: checkExport,
    };
  },
});
