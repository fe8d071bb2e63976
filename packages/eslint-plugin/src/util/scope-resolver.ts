/**
 * Resolution within one file by scope analysis, for linting without type information: follows
 * `const` bindings and the import bindings of `@picco/*` and `better-sqlite3`. Proves only what
 * the file itself shows; anything imported from elsewhere is unknown.
 */
import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { memberName, objectProperty, quoteOf, skipTypeWrappers, staticString } from './ast.js';
import {
  ENGINE_QUERY_METHODS,
  QUERY_CHAIN_METHODS,
  SCHEMA_BATCH_FUNCTIONS,
  TABLE_QUERY_METHODS,
  type EngineDefinition,
  type EngineFacts,
  type PathLiteral,
  type QueryFacts,
  type QueryResolver,
} from './query-facts.js';

const MAX_DEPTH = 32;

/** A binding imported from a module: `import { x as y } from 'm'` is `{ source: 'm', imported: 'x' }`. */
export interface ImportedBinding {
  readonly source: string;
  /** The exported name, `'default'`, or `'*'` for a namespace (or CommonJS `require`). */
  readonly imported: string;
}

interface TableFacts {
  readonly tableName: string | undefined;
  readonly engine: ScopeEngine | undefined;
}

interface ScopeEngine {
  readonly definition: EngineDefinition;
  /** The path's literals are all it can be. */
  readonly complete: boolean;
  /** A `PostgresEngine`: no path, and every synchronous call refused. */
  readonly asyncOnly: boolean;
}

/** Engine classes by the package that exports them, and whether they refuse synchronous calls. */
const ENGINE_CLASSES: Readonly<Record<string, { readonly source: string | undefined; readonly asyncOnly: boolean }>> = {
  SQLiteEngine: { source: undefined, asyncOnly: false },
  PostgresEngine: { source: '@picco/postgres', asyncOnly: true },
};

export class ScopeResolver implements QueryResolver {
  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly fileName: string,
  ) {}

  /** What `node` is bound to by an import (or `const x = require('m')`), following `const` aliases. */
  importedBinding(node: TSESTree.Node, depth = 0): ImportedBinding | undefined {
    const expression = skipTypeWrappers(node);
    if (depth > MAX_DEPTH) return undefined;
    if (expression.type === AST_NODE_TYPES.MemberExpression) {
      const namespace = this.importedBinding(expression.object, depth + 1);
      const name = memberName(expression);
      if (namespace?.imported === '*' && name !== undefined) return { source: namespace.source, imported: name };
      return undefined;
    }
    if (expression.type === AST_NODE_TYPES.CallExpression) return this.requiredModule(expression);
    if (expression.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(expression), expression);
    if (variable === null || variable.defs.length !== 1) return undefined;
    const definition = variable.defs[0]!;
    if (definition.type === 'ImportBinding') {
      const specifier = definition.node;
      switch (specifier.type) {
        case AST_NODE_TYPES.ImportSpecifier: {
          const source = (definition.parent as TSESTree.ImportDeclaration).source.value;
          const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value);
          return { source, imported };
        }
        case AST_NODE_TYPES.ImportDefaultSpecifier:
          return { source: (definition.parent as TSESTree.ImportDeclaration).source.value, imported: 'default' };
        case AST_NODE_TYPES.ImportNamespaceSpecifier:
          return { source: (definition.parent as TSESTree.ImportDeclaration).source.value, imported: '*' };
        case AST_NODE_TYPES.TSImportEqualsDeclaration: {
          const reference = specifier.moduleReference;
          if (reference.type === AST_NODE_TYPES.TSExternalModuleReference) {
            const source = staticString(reference.expression);
            if (source !== undefined) return { source, imported: '*' };
          }
          return undefined;
        }
        default:
          return undefined;
      }
    }
    const destructured = this.destructuredBinding(definition, depth);
    if (destructured !== undefined) return destructured;
    const init = this.constInitializer(expression);
    return init === undefined ? undefined : this.importedBinding(init, depth + 1);
  }

  /** `const { x: y } = require('m')` (or of a namespace): `y` is `{ source: 'm', imported: 'x' }`. */
  private destructuredBinding(definition: TSESLint.Scope.Definition, depth: number): ImportedBinding | undefined {
    if (definition.type !== 'Variable' || definition.parent?.kind !== 'const') return undefined;
    const declarator = definition.node;
    if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || declarator.init == null) return undefined;
    const property = definition.name.parent;
    if (property?.type !== AST_NODE_TYPES.Property || property.parent !== declarator.id || property.value !== definition.name) return undefined;
    const key = property.computed ? staticString(property.key) : property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : staticString(property.key);
    const namespace = this.importedBinding(declarator.init, depth + 1);
    return key !== undefined && namespace?.imported === '*' ? { source: namespace.source, imported: key } : undefined;
  }

  /** `require('m')` with the global `require`. */
  private requiredModule(call: TSESTree.CallExpression): ImportedBinding | undefined {
    if (call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'require' || call.arguments.length !== 1) return undefined;
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(call.callee), call.callee);
    if (variable !== null && variable.defs.length > 0) return undefined;
    const source = staticString(call.arguments[0]!);
    return source === undefined ? undefined : { source, imported: '*' };
  }

  /** The name `node` has in `@picco/*` when it is imported from there. */
  piccoExport(node: TSESTree.Node): string | undefined {
    const binding = this.importedBinding(node);
    return binding !== undefined && binding.source.startsWith('@picco/') ? binding.imported : undefined;
  }

  /** The variable an identifier refers to, when it is declared (or imported) in the file. */
  variableOf(identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(identifier), identifier);
    return variable === null || variable.defs.length === 0 ? undefined : variable;
  }

  /** The initializer of the `const` an identifier refers to, when there is exactly one. */
  constInitializer(identifier: TSESTree.Identifier): TSESTree.Expression | undefined {
    const variable = ASTUtils.findVariable(this.sourceCode.getScope(identifier), identifier);
    if (variable === null || variable.defs.length !== 1) return undefined;
    const definition = variable.defs[0]!;
    if (definition.type !== 'Variable') return undefined;
    const declarator = definition.node;
    const declaration = definition.parent;
    if (declaration?.kind !== 'const' || declarator.id.type !== AST_NODE_TYPES.Identifier || declarator.init == null) return undefined;
    return declarator.init;
  }

  /** Follows `const` identifiers to the expression they stand for. */
  resolveConst(node: TSESTree.Node, depth = 0): TSESTree.Node {
    const expression = skipTypeWrappers(node);
    if (depth > MAX_DEPTH || expression.type !== AST_NODE_TYPES.Identifier) return expression;
    const init = this.constInitializer(expression);
    return init === undefined ? expression : this.resolveConst(init, depth + 1);
  }

  queryFacts(node: TSESTree.Node): QueryFacts | undefined {
    return this.queryOf(node, 0);
  }

  engineFacts(node: TSESTree.Node): EngineFacts | undefined {
    const engine = this.engineOf(node, 0);
    return engine === undefined ? undefined : { syncRefused: engine.asyncOnly ? 'always' : 'never', engine: engine.definition };
  }

  private queryOf(node: TSESTree.Node, depth: number): QueryFacts | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const expression = this.resolveConst(node);
    if (expression.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const callee = skipTypeWrappers(expression.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = memberName(callee);
      if (method === undefined) return undefined;
      if (TABLE_QUERY_METHODS.has(method)) {
        const table = this.tableOf(callee.object, depth + 1);
        if (table !== undefined) return toFacts(table);
      }
      if (QUERY_CHAIN_METHODS.has(method)) {
        const query = this.queryOf(callee.object, depth + 1);
        if (query !== undefined) return query;
      }
      if (ENGINE_QUERY_METHODS.has(method)) {
        const engine = this.engineOf(callee.object, depth + 1);
        if (engine !== undefined) return toFacts({ tableName: undefined, engine });
      }
    }
    const picco = this.piccoExport(callee);
    if (picco !== undefined && SCHEMA_BATCH_FUNCTIONS.has(picco)) {
      const list = expression.arguments[0] === undefined ? undefined : this.resolveConst(expression.arguments[0]);
      const first = list?.type === AST_NODE_TYPES.ArrayExpression ? list.elements[0] : undefined;
      if (first == null || first.type === AST_NODE_TYPES.SpreadElement) return toFacts({ tableName: undefined, engine: undefined });
      // Several tables: name none of them, but find their (shared) engine.
      return toFacts({ tableName: undefined, engine: this.tableOf(first, depth + 1)?.engine });
    }
    return undefined;
  }

  /** `defineTable(name, columns, { db })` from `@picco/core`, through `const`s. */
  private tableOf(node: TSESTree.Node, depth: number): TableFacts | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const expression = this.resolveConst(node);
    if (expression.type !== AST_NODE_TYPES.CallExpression || this.piccoExport(expression.callee) !== 'defineTable') return undefined;
    const [name, , options] = expression.arguments;
    const db = objectProperty(options, 'db');
    return {
      tableName: name === undefined ? undefined : staticString(name),
      engine: db === undefined ? undefined : this.engineOf(db, depth + 1),
    };
  }

  /** `new SQLiteEngine({ path })` from `@picco/*` or `new PostgresEngine(...)` from `@picco/postgres`, through `const`s. */
  private engineOf(node: TSESTree.Node, depth: number): ScopeEngine | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const expression = this.resolveConst(node);
    if (expression.type !== AST_NODE_TYPES.NewExpression) return undefined;
    const binding = this.importedBinding(expression.callee);
    if (binding === undefined || !binding.source.startsWith('@picco/') || !Object.hasOwn(ENGINE_CLASSES, binding.imported)) return undefined;
    const kind = ENGINE_CLASSES[binding.imported]!;
    if (kind.source !== undefined && binding.source !== kind.source) return undefined;
    const line = expression.loc.start.line;
    if (kind.asyncOnly) return { definition: { fileName: this.fileName, line, literals: [] }, complete: false, asyncOnly: true };
    const pathNode = objectProperty(expression.arguments[0], 'path');
    const literals: PathLiteral[] = [];
    const complete = pathNode !== undefined && this.collectLiterals(pathNode, literals, 0);
    return { definition: { fileName: this.fileName, line, literals }, complete, asyncOnly: false };
  }

  /**
   * Collects the string literals an expression can evaluate to (through `const`s, `?:`, `??`
   * and `||`); returns false when it can also be something else. A literal reached through a
   * `const` gets no fix: rewriting it would change every other use of that constant.
   */
  collectLiterals(node: TSESTree.Node, into: PathLiteral[], depth: number, viaConst = false): boolean {
    if (depth > MAX_DEPTH) return false;
    const expression = skipTypeWrappers(node);
    const value = staticString(expression);
    if (value !== undefined) {
      into.push({ value, fix: viaConst ? undefined : { range: expression.range, quote: quoteOf(this.sourceCode, expression) } });
      return true;
    }
    if (expression.type === AST_NODE_TYPES.Identifier) {
      const init = this.constInitializer(expression);
      return init !== undefined && this.collectLiterals(init, into, depth + 1, true);
    }
    if (expression.type === AST_NODE_TYPES.ConditionalExpression) {
      const consequent = this.collectLiterals(expression.consequent, into, depth + 1, viaConst);
      const alternate = this.collectLiterals(expression.alternate, into, depth + 1, viaConst);
      return consequent && alternate;
    }
    if (expression.type === AST_NODE_TYPES.LogicalExpression && expression.operator !== '&&') {
      const left = this.collectLiterals(expression.left, into, depth + 1, viaConst);
      const right = this.collectLiterals(expression.right, into, depth + 1, viaConst);
      return left && right;
    }
    return false;
  }
}

function toFacts(table: TableFacts): QueryFacts {
  const engine = table.engine;
  return {
    tableName: table.tableName,
    engine: engine?.definition,
    // Scope analysis proves only calls that build a query: never nullish.
    nullable: false,
    // It proves only table, chain and `raw` calls: queries, never a prepared one.
    thenable: true,
    syncRefused: engine?.asyncOnly === true ? 'always' : 'never',
    paths: engine === undefined ? { values: [], complete: false } : { values: engine.definition.literals.map((literal) => literal.value), complete: engine.complete },
  };
}
