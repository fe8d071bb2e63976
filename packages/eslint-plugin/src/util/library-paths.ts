/**
 * Where other libraries take a SQLite path, and how each hands it to SQLite: TypeORM's
 * `database` (types `better-sqlite3` and `sqlite`), Sequelize's `storage` and `sqlite:` URLs, knex's `connection.filename`,
 * node-sqlite3's `new sqlite3.Database(path, flags)` and libsql's `url`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { memberName, objectProperty, skipTypeWrappers, staticString } from './ast.js';
import {
  configObject,
  exportOf,
  exportedConfigs,
  isLibsqlCreateClient,
  knexCallConfig,
  knexSqliteClient,
  moduleExportValue,
  moduleOf,
  objectValue,
  stringProperty,
  type ConfigObject,
} from './library-configs.js';
import type { ScopeResolver } from './scope-resolver.js';
import type { PathDialect } from './sqlite-paths.js';

/** A path expression, how its library opens it, and the library's name for messages. */
export interface LibraryPath {
  readonly node: TSESTree.Node;
  readonly dialect: PathDialect;
  readonly library: string;
}

/** SQLITE_OPEN_URI. */
const OPEN_URI_BIT = 0x40;
const MAX_DEPTH = 32;

/** The paths a call or `new` expression hands to one of the libraries. */
export function libraryPathsOfCall(scope: ScopeResolver, node: TSESTree.CallExpression | TSESTree.NewExpression): LibraryPath[] {
  const first = node.arguments[0];
  // Cheap syntax filter: every library takes the path (or an object holding it) first.
  if (first === undefined || first.type === AST_NODE_TYPES.SpreadElement) return [];
  const callee = skipTypeWrappers(node.callee);
  if (node.type === AST_NODE_TYPES.NewExpression) {
    const exported = exportOf(scope, callee);
    if (exported === undefined) return [];
    if (exported.source === 'typeorm' && exported.name === 'DataSource') return typeOrmPaths(scope, configObject(scope, first));
    if (exported.source === 'sequelize' && exported.name === 'Sequelize') return sequelizePaths(scope, node.arguments);
    if (exported.source === 'sqlite3' && exported.name === 'Database') return [{ node: first, dialect: nodeSqlite3Dialect(scope, node.arguments[1]), library: 'node-sqlite3' }];
    return [];
  }
  const exported = callee.type === AST_NODE_TYPES.Identifier || callee.type === AST_NODE_TYPES.MemberExpression ? exportOf(scope, callee) : undefined;
  if (exported?.source === 'typeorm' && exported.name === 'createConnection') return typeOrmPaths(scope, configObject(scope, first));
  if (isLibsqlCreateClient(scope, callee)) {
    const url = objectProperty(configObject(scope, first)?.object, 'url');
    return url === undefined ? [] : [{ node: url, dialect: 'libsql', library: '@libsql/client' }];
  }
  const knexConfig = knexCallConfig(scope, node);
  return knexConfig === undefined ? [] : knexPaths(scope, knexConfig);
}

/** knexfile-style `module.exports = {...}` / `export default {...}`, per environment too. */
export function libraryPathsOfExport(scope: ScopeResolver, node: TSESTree.AssignmentExpression | TSESTree.ExportDefaultDeclaration): LibraryPath[] {
  const value = moduleExportValue(node);
  if (value === undefined) return [];
  return exportedConfigs(scope, value).flatMap((config) => knexPaths(scope, config));
}

/** knex's `connection.filename`, for its two SQLite clients. */
function knexPaths(scope: ScopeResolver, config: ConfigObject): LibraryPath[] {
  const client = knexSqliteClient(scope, config.object);
  if (client === undefined) return [];
  const connection = objectValue(scope, config.object, 'connection');
  const filename = objectProperty(connection?.object, 'filename');
  if (filename === undefined) return [];
  if (client === 'better-sqlite3') return [{ node: filename, dialect: 'better-sqlite3', library: 'knex' }];
  // knex's sqlite3 client passes `connection.flags` (names such as 'OPEN_URI') to node-sqlite3.
  const flags = objectProperty(connection?.object, 'flags');
  const uri = flags === undefined ? false : mentionsOpenUri(scope, flags, 0);
  return [{ node: filename, dialect: uri === false ? 'node-sqlite3' : 'node-sqlite3-uri', library: 'knex' }];
}

/**
 * TypeORM's `new DataSource({ type, database })` (or 0.3's `createConnection`): `better-sqlite3`,
 * or 0.3's `sqlite` on node-sqlite3, whose `flags` option may include OPEN_URI.
 */
function typeOrmPaths(scope: ScopeResolver, config: ConfigObject | undefined): LibraryPath[] {
  if (config === undefined) return [];
  const type = stringProperty(scope, config.object, 'type');
  if (type !== 'better-sqlite3' && type !== 'sqlite') return [];
  const database = objectProperty(config.object, 'database');
  if (database === undefined) return [];
  if (type === 'better-sqlite3') return [{ node: database, dialect: 'better-sqlite3', library: 'TypeORM' }];
  const flags = objectProperty(config.object, 'flags');
  const uri = flags === undefined ? false : mentionsOpenUri(scope, flags, 0);
  return [{ node: database, dialect: uri === false ? 'node-sqlite3' : 'node-sqlite3-uri', library: 'TypeORM' }];
}

/** `new Sequelize({ dialect: 'sqlite', storage })`, `new Sequelize('sqlite:...')`, `new Sequelize(db, user, password, options)`. */
function sequelizePaths(scope: ScopeResolver, args: readonly TSESTree.CallExpressionArgument[]): LibraryPath[] {
  const first = args[0]!;
  const firstObject = configObject(scope, first);
  if (firstObject === undefined) {
    const paths: LibraryPath[] = [];
    if (args.length <= 2) paths.push({ node: first, dialect: 'sequelize-url', library: 'Sequelize' });
    const options = configObject(scope, args.length <= 2 ? args[1] : args[3]);
    if (options !== undefined) paths.push(...sequelizeStorage(scope, options, args.length > 2));
    return paths;
  }
  return sequelizeStorage(scope, firstObject, true);
}

function sequelizeStorage(scope: ScopeResolver, options: ConfigObject, needsDialect: boolean): LibraryPath[] {
  if (needsDialect && stringProperty(scope, options.object, 'dialect') !== 'sqlite') return [];
  const storage = objectProperty(options.object, 'storage');
  if (storage === undefined) return [];
  // Sequelize passes `dialectOptions.mode` to node-sqlite3 as its flags.
  const mode = objectProperty(objectValue(scope, options.object, 'dialectOptions')?.object, 'mode');
  const uri = mode === undefined ? false : mentionsOpenUri(scope, mode, 0);
  return [{ node: storage, dialect: uri === false ? 'node-sqlite3' : 'node-sqlite3-uri', library: 'Sequelize' }];
}

/** node-sqlite3's flags argument: absent or a callback means its default, without OPEN_URI. */
function nodeSqlite3Dialect(scope: ScopeResolver, flags: TSESTree.Node | undefined): PathDialect {
  if (flags === undefined || flags.type === AST_NODE_TYPES.SpreadElement) return 'node-sqlite3';
  const expression = scope.resolveConst(flags);
  if (expression.type === AST_NODE_TYPES.ArrowFunctionExpression || expression.type === AST_NODE_TYPES.FunctionExpression) return 'node-sqlite3';
  // Flags not known here may include OPEN_URI: judge the path as the lenient dialect does.
  return mentionsOpenUri(scope, flags, 0) === false ? 'node-sqlite3' : 'node-sqlite3-uri';
}

/**
 * Whether a flags expression includes SQLITE_OPEN_URI: `true`, `false`, or `'unknown'`.
 * Knows `sqlite3.OPEN_URI`, `OPEN_URI` imported from sqlite3, number literals, `|` and `+`,
 * knex's arrays of flag names, and `const`s of those.
 */
function mentionsOpenUri(scope: ScopeResolver, node: TSESTree.Node, depth: number): boolean | 'unknown' {
  if (depth > MAX_DEPTH) return 'unknown';
  const expression = scope.resolveConst(node);
  switch (expression.type) {
    case AST_NODE_TYPES.Literal:
      if (typeof expression.value === 'number') return (expression.value & OPEN_URI_BIT) !== 0;
      if (typeof expression.value === 'string') return expression.value === 'OPEN_URI';
      return 'unknown';
    case AST_NODE_TYPES.BinaryExpression:
      if (expression.operator !== '|' && expression.operator !== '+') return 'unknown';
      return either(mentionsOpenUri(scope, expression.left, depth + 1), mentionsOpenUri(scope, expression.right, depth + 1));
    case AST_NODE_TYPES.ArrayExpression: {
      let result: boolean | 'unknown' = false;
      for (const element of expression.elements) {
        result = element === null || element.type === AST_NODE_TYPES.SpreadElement ? either(result, 'unknown') : either(result, mentionsOpenUri(scope, element, depth + 1));
      }
      return result;
    }
    case AST_NODE_TYPES.MemberExpression:
    case AST_NODE_TYPES.Identifier: {
      const name = expression.type === AST_NODE_TYPES.Identifier ? expression.name : memberName(expression);
      const exported = exportOf(scope, expression);
      if (exported?.source === 'sqlite3' || (expression.type === AST_NODE_TYPES.MemberExpression && moduleOf(scope, expression.object) === 'sqlite3')) {
        return (exported?.name ?? name) === 'OPEN_URI';
      }
      return 'unknown';
    }
    case AST_NODE_TYPES.TemplateLiteral:
      return staticString(expression) === 'OPEN_URI' ? true : 'unknown';
    default:
      return 'unknown';
  }
}

function either(a: boolean | 'unknown', b: boolean | 'unknown'): boolean | 'unknown' {
  if (a === true || b === true) return true;
  return a === 'unknown' || b === 'unknown' ? 'unknown' : false;
}
