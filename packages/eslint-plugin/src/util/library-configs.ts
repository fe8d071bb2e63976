/**
 * Where other Node SQLite libraries are configured, read by syntax and scope alone (no types):
 * knex, MikroORM, @libsql/client (and Drizzle on it), TypeORM, Sequelize and node-sqlite3.
 * Each recogniser starts from a cheap syntax test (a callee's name, a property's name) and only
 * then asks the scope which module a binding comes from.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { memberName, objectProperty, skipTypeWrappers, staticString } from './ast.js';
import type { PathLiteral } from './query-facts.js';
import type { ScopeResolver } from './scope-resolver.js';

const MAX_DEPTH = 32;

/** knex's names for its two SQLite clients (`sqlite` is its alias of `sqlite3`). */
export type KnexSqliteClient = 'sqlite3' | 'better-sqlite3';
const KNEX_CLIENTS: ReadonlyMap<string, KnexSqliteClient> = new Map([
  ['sqlite3', 'sqlite3'],
  ['sqlite', 'sqlite3'],
  ['better-sqlite3', 'better-sqlite3'],
]);

/** The packages whose MikroORM 6 drivers run SQLite through knex's pool. */
const MIKRO_ORM_SQLITE_DRIVERS: ReadonlySet<string> = new Set(['@mikro-orm/better-sqlite', '@mikro-orm/sqlite']);
const MIKRO_ORM_PACKAGES: ReadonlySet<string> = new Set([...MIKRO_ORM_SQLITE_DRIVERS, '@mikro-orm/core']);

/**
 * Whether the file's text names one of `modules` in a string (an import, a `require`): one
 * scan of the text, so that files without those libraries cost the rules nothing more.
 */
export function mentionsModules(text: string, modules: readonly string[]): boolean {
  return modules.some((name) => {
    // One scan per name, checking the quote before each occurrence (three scans, one per quote, cost 3x).
    for (let at = text.indexOf(name, 1); at !== -1; at = text.indexOf(name, at + 1)) {
      const before = text[at - 1];
      if (before === "'" || before === '"' || before === '`') return true;
    }
    return false;
  });
}

/** A configuration object as written: the object literal itself, and whether it is written in place. */
export interface ConfigObject {
  readonly object: TSESTree.ObjectExpression;
  /** The object literal is where the configuration is used (not a `const` shared with other uses). */
  readonly inPlace: boolean;
}

/** The object literal an expression is (through `const`s), if any. */
export function configObject(scope: ScopeResolver, node: TSESTree.Node | undefined): ConfigObject | undefined {
  if (node === undefined || node.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const expression = skipTypeWrappers(node);
  if (expression.type === AST_NODE_TYPES.ObjectExpression) return { object: expression, inPlace: true };
  const resolved = scope.resolveConst(expression);
  return resolved.type === AST_NODE_TYPES.ObjectExpression ? { object: resolved, inPlace: false } : undefined;
}

/** The one string a property's value is (through `const`s), if it is exactly one known string. */
export function stringProperty(scope: ScopeResolver, object: TSESTree.ObjectExpression | undefined, name: string): string | undefined {
  const value = objectProperty(object, name);
  if (value === undefined) return undefined;
  const literals: PathLiteral[] = [];
  if (!scope.collectLiterals(value, literals, 0) || literals.length !== 1) return undefined;
  return literals[0]!.value;
}

/** A property's value that is a nested configuration object (`connection: { ... }`). */
export function objectValue(scope: ScopeResolver, object: TSESTree.ObjectExpression | undefined, name: string): ConfigObject | undefined {
  return configObject(scope, objectProperty(object, name));
}

/** The module `node` stands for as a whole: `import x from 'm'`, `import * as x`, `require('m')`. */
export function moduleOf(scope: ScopeResolver, node: TSESTree.Node, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const expression = scope.resolveConst(node);
  // node-sqlite3's `require('sqlite3').verbose()` returns the module itself.
  if (expression.type === AST_NODE_TYPES.CallExpression && expression.callee.type === AST_NODE_TYPES.MemberExpression && memberName(expression.callee) === 'verbose') {
    const inner = moduleOf(scope, expression.callee.object, depth + 1);
    return inner === 'sqlite3' ? inner : undefined;
  }
  const binding = scope.importedBinding(expression);
  if (binding === undefined || (binding.imported !== '*' && binding.imported !== 'default')) return undefined;
  return binding.source;
}

/** The export of `source` that `node` names: `import { x } from`, `m.x`, `require('m').x`, or the module itself (`'*'`). */
export function exportOf(scope: ScopeResolver, node: TSESTree.Node): { readonly source: string; readonly name: string } | undefined {
  const expression = skipTypeWrappers(node);
  if (expression.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(expression);
    const source = moduleOf(scope, expression.object);
    if (name !== undefined && source !== undefined) return { source, name };
  }
  const binding = scope.importedBinding(expression);
  if (binding === undefined) return undefined;
  return { source: binding.source, name: binding.imported === 'default' ? '*' : binding.imported };
}

// ---------------------------------------------------------------------------------------------
// knex and MikroORM: a `:memory:` database behind knex's pool
// ---------------------------------------------------------------------------------------------

/** `knex({...})`, `require('knex')({...})`, `knex.knex({...})`: the configuration argument. */
export function knexCallConfig(scope: ScopeResolver, call: TSESTree.CallExpression): ConfigObject | undefined {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression && callee.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const first = call.arguments[0];
  if (first === undefined) return undefined;
  const exported = exportOf(scope, callee);
  if (exported?.source !== 'knex' || (exported.name !== '*' && exported.name !== 'knex')) return undefined;
  return configObject(scope, first);
}

/** The knex SQLite client a configuration object names, when its database is `':memory:'`. */
export function knexMemoryClient(scope: ScopeResolver, object: TSESTree.ObjectExpression): KnexSqliteClient | undefined {
  const client = stringProperty(scope, object, 'client');
  const sqlite = client === undefined ? undefined : KNEX_CLIENTS.get(client);
  if (sqlite === undefined) return undefined;
  const connection = objectValue(scope, object, 'connection');
  return stringProperty(scope, connection?.object, 'filename') === ':memory:' ? sqlite : undefined;
}

/** The knex SQLite client a configuration object names (any database). */
export function knexSqliteClient(scope: ScopeResolver, object: TSESTree.ObjectExpression): KnexSqliteClient | undefined {
  const client = stringProperty(scope, object, 'client');
  return client === undefined ? undefined : KNEX_CLIENTS.get(client);
}

/**
 * `MikroORM.init({...})`, `MikroORM.initSync({...})`, `new MikroORM({...})` or `defineConfig({...})`
 * from a MikroORM package: the configuration argument, when it runs on a SQLite driver.
 */
export function mikroOrmCallConfig(scope: ScopeResolver, node: TSESTree.CallExpression | TSESTree.NewExpression): ConfigObject | undefined {
  const callee = skipTypeWrappers(node.callee);
  let factory: TSESTree.Node;
  if (node.type === AST_NODE_TYPES.NewExpression) factory = callee;
  else if (callee.type === AST_NODE_TYPES.MemberExpression && (memberName(callee) === 'init' || memberName(callee) === 'initSync')) factory = callee.object;
  else factory = callee;
  const exported = exportOf(scope, factory);
  if (exported === undefined || !MIKRO_ORM_PACKAGES.has(exported.source)) return undefined;
  const expected = factory === callee && node.type === AST_NODE_TYPES.CallExpression ? 'defineConfig' : 'MikroORM';
  if (exported.name !== expected) return undefined;
  const config = configObject(scope, node.arguments[0]);
  if (config === undefined) return undefined;
  return MIKRO_ORM_SQLITE_DRIVERS.has(exported.source) || hasSqliteDriver(scope, config.object) ? config : undefined;
}

/** A MikroORM configuration object on a SQLite driver with `dbName: ':memory:'`. */
export function isMikroOrmMemoryConfig(scope: ScopeResolver, object: TSESTree.ObjectExpression, driverKnown: boolean): boolean {
  if (stringProperty(scope, object, 'dbName') !== ':memory:') return false;
  return driverKnown || hasSqliteDriver(scope, object);
}

/** `driver: BetterSqliteDriver` (or `SqliteDriver`) imported from a MikroORM SQLite package. */
function hasSqliteDriver(scope: ScopeResolver, object: TSESTree.ObjectExpression): boolean {
  const driver = objectProperty(object, 'driver');
  if (driver === undefined) return false;
  const exported = exportOf(scope, driver);
  return exported !== undefined && MIKRO_ORM_SQLITE_DRIVERS.has(exported.source) && exported.name.endsWith('Driver');
}

/**
 * The objects a file exports as its configuration, knexfile- or `mikro-orm.config`-style:
 * `module.exports = {...}` or `export default {...}` (through `const`s), and, for a knexfile's
 * per-environment form, each object-valued property of it.
 */
export function exportedConfigs(scope: ScopeResolver, exported: TSESTree.Node): ConfigObject[] {
  const root = configObject(scope, exported);
  if (root === undefined) return [];
  const configs = [root];
  for (const property of root.object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.kind !== 'init' || property.method) continue;
    const nested = configObject(scope, property.value);
    // A nested object written in place in a shared `const` is still not in place.
    if (nested !== undefined) configs.push({ object: nested.object, inPlace: nested.inPlace && root.inPlace });
  }
  return configs;
}

/** `module.exports = X` or `export default X`: X. */
export function moduleExportValue(node: TSESTree.AssignmentExpression | TSESTree.ExportDefaultDeclaration): TSESTree.Node | undefined {
  if (node.type === AST_NODE_TYPES.ExportDefaultDeclaration) return node.declaration;
  if (node.operator !== '=') return undefined;
  const target = node.left;
  if (target.type !== AST_NODE_TYPES.MemberExpression || memberName(target) !== 'exports') return undefined;
  return target.object.type === AST_NODE_TYPES.Identifier && target.object.name === 'module' ? node.right : undefined;
}

// ---------------------------------------------------------------------------------------------
// Pool settings
// ---------------------------------------------------------------------------------------------

/** What a `pool: {...}` ends up as after knex merges it over its SQLite default `{ min: 1, max: 1 }`. */
export interface PoolVerdict {
  /** `'several'`: max > 1; `'idle'`: min 0 (the connection is closed when idle); `'ok'` or `'unknown'` otherwise. */
  readonly kind: 'several' | 'idle' | 'ok' | 'unknown';
  /**
   * `min: 1, max: 1` can be written into the pool object: it is written in place (not a `const`
   * that other configurations may share) and has no spreads.
   */
  readonly fixable: boolean;
}

export function judgePool(scope: ScopeResolver, pool: TSESTree.Node): PoolVerdict {
  const config = configObject(scope, pool);
  if (config === undefined) return { kind: 'unknown', fixable: false };
  let min: number | 'unknown' = 1;
  let max: number | 'unknown' = 1;
  /** A spread, getter or method: the object cannot be rewritten property by property. */
  let spread = false;
  for (const property of config.object.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) {
      spread = true;
      min = 'unknown';
      max = 'unknown';
      continue;
    }
    const key = propertyKey(property);
    if (key !== 'min' && key !== 'max') continue;
    // A getter or method: its value is not known, and it cannot be rewritten to `1`.
    const plain = property.kind === 'init' && !property.method;
    if (!plain) spread = true;
    const value = plain ? (numberValue(scope, property.value) ?? 'unknown') : 'unknown';
    if (key === 'min') min = value;
    else max = value;
  }
  const fixable = config.inPlace && !spread;
  if (typeof max === 'number' && max > 1) return { kind: 'several', fixable };
  if (min === 0) return { kind: 'idle', fixable };
  return { kind: min === 'unknown' || max === 'unknown' ? 'unknown' : 'ok', fixable };
}

export function propertyKey(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  if (property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'number') return String(property.key.value);
  return staticString(property.key);
}

/** A number literal (through `const`s). */
function numberValue(scope: ScopeResolver, node: TSESTree.Node): number | undefined {
  const expression = scope.resolveConst(node);
  return expression.type === AST_NODE_TYPES.Literal && typeof expression.value === 'number' ? expression.value : undefined;
}

/** The `pool` property of a configuration object (the last one, when written twice). */
export function poolProperty(object: TSESTree.ObjectExpression): TSESTree.Property | undefined {
  let found: TSESTree.Property | undefined;
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.SpreadElement) found = undefined;
    else if (property.kind === 'init' && !property.method && propertyKey(property) === 'pool') found = property;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// @libsql/client and Drizzle on it
// ---------------------------------------------------------------------------------------------

/** `createClient` from `@libsql/client` (or one of its entry points). */
export function isLibsqlCreateClient(scope: ScopeResolver, callee: TSESTree.Node): boolean {
  const exported = exportOf(scope, callee);
  return exported !== undefined && isLibsqlModule(exported.source) && exported.name === 'createClient';
}

function isLibsqlModule(source: string): boolean {
  return source === '@libsql/client' || source.startsWith('@libsql/client/');
}

/**
 * The `url` expression of the libsql database behind `node` (through `const`s): a client made
 * by `createClient({ url })`, or a Drizzle database made by `drizzle(client)`, `drizzle(url)`,
 * `drizzle({ client })` or `drizzle({ connection: { url } })` (or `{ connection: url }`) from
 * `drizzle-orm/libsql`.
 */
export function libsqlUrlOf(scope: ScopeResolver, node: TSESTree.Node, depth = 0): TSESTree.Node | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const expression = scope.resolveConst(node);
  if (expression.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const first = expression.arguments[0];
  if (first === undefined) return undefined;
  if (isLibsqlCreateClient(scope, expression.callee)) return objectProperty(configObject(scope, first)?.object, 'url');
  const exported = exportOf(scope, expression.callee);
  if (exported?.name !== 'drizzle' || (exported.source !== 'drizzle-orm/libsql' && !exported.source.startsWith('drizzle-orm/libsql/'))) return undefined;
  const options = configObject(scope, first);
  // `drizzle(':memory:')`: the URL itself.
  if (options === undefined) return scope.resolveConst(first).type === AST_NODE_TYPES.CallExpression ? libsqlUrlOf(scope, first, depth + 1) : first;
  const client = objectProperty(options.object, 'client');
  if (client !== undefined) return libsqlUrlOf(scope, client, depth + 1);
  const connection = objectProperty(options.object, 'connection');
  if (connection === undefined) return undefined;
  const connectionObject = configObject(scope, connection);
  return connectionObject === undefined ? connection : objectProperty(connectionObject.object, 'url');
}
