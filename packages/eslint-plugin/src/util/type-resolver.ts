/**
 * Resolution with type information: a query's engine and path are read from its type (every
 * Picco query has `readonly engine: E`, and `SQLiteEngine<const Path>` has `readonly path: Path`),
 * so they are followed through imports, re-exports, variables and barrels for free. The
 * engine's construction site (for the message and the literal fix) is found by following the
 * declarations behind the expression in TypeScript's AST, across files.
 */
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import { AST_NODE_TYPES, type ParserServicesWithTypeInformation, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import type { PackageNames } from './packages.js';
import type { PiccoReach } from './picco-reach.js';
import type { EngineDefinition, EngineFacts, PathLiteral, QueryFacts, QueryResolver, SyncRefusal } from './query-facts.js';
import { ENGINE_QUERY_METHODS, QUERY_CHAIN_METHODS, SCHEMA_BATCH_FUNCTIONS, TABLE_QUERY_METHODS } from './query-facts.js';
import { memberName, skipTypeWrappers } from './ast.js';
import type { PathValues } from './sqlite-paths.js';

const MAX_DEPTH = 32;

type TypeScript = typeof ts;

/** The parser services when the file is linted with type information, else `undefined`. */
export function typeInformationOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ParserServicesWithTypeInformation | undefined {
  const services = context.sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (services?.program == null || services.esTreeNodeToTSNodeMap === undefined) return undefined;
  return services as ParserServicesWithTypeInformation;
}

// The module itself, not lint state: loaded once (a `createRequire` + resolution per linted file
// and rule cost ~0.1 ms each, a quarter of the rules' time on the lint benchmark).
let typescript: TypeScript | undefined;

/** TypeScript itself; only ever loaded when a program exists, so it stays an optional peer. */
function loadTypeScript(): TypeScript {
  typescript ??= createRequire(import.meta.url)('typescript') as TypeScript;
  return typescript;
}

export class TypeResolver implements QueryResolver {
  readonly checker: ts.TypeChecker;
  private readonly ts: TypeScript;

  private readonly lintedFile: string;

  private readonly tracesByTable: Map<ts.Symbol, Trace>;
  private readonly engineTypes: Map<ts.Type, EngineTypeFacts>;
  private readonly tableTypes: Map<ts.Type, Map<string, EngineSummary | null>>;

  /** `caches`: what is the same for every file linted with the program (see `ProgramCaches`). */
  constructor(
    private readonly services: ParserServicesWithTypeInformation,
    private readonly packages: PackageNames,
    lintedFileName: string,
    private readonly reach?: (typescript: TypeScript) => PiccoReach,
    caches: ProgramCaches = newProgramCaches(),
    /** The linted file's scope variable an identifier refers to (ESLint's scope analysis), if any. */
    private readonly variableOf?: (identifier: TSESTree.Identifier) => object | undefined,
  ) {
    this.tracesByTable = caches.tracesByTable;
    this.engineTypes = caches.engineTypes;
    this.tableTypes = caches.tableTypes;
    this.checker = services.program.getTypeChecker();
    this.ts = loadTypeScript();
    this.lintedFile = nodePath.resolve(lintedFileName);
  }

  /** True when every declaration of the symbol is in an `@picco/*` package. */
  isPicco(symbol: ts.Symbol | undefined): boolean {
    const declarations = symbol?.declarations;
    if (declarations === undefined || declarations.length === 0) return false;
    return declarations.every((declaration) => this.packages.isPicco(declaration.getSourceFile().fileName));
  }

  /** True when the symbol is declared by better-sqlite3 or its `@types` package. */
  isBetterSqlite3(symbol: ts.Symbol | undefined): boolean {
    const declarations = symbol?.declarations;
    if (declarations === undefined || declarations.length === 0) return false;
    return declarations.some((declaration) => this.packages.isBetterSqlite3(declaration.getSourceFile().fileName));
  }

  /** True when the symbol's value can be called with `new` (a class, or a constructor interface like better-sqlite3's). */
  isConstructor(symbol: ts.Symbol, at: ts.Node): boolean {
    return this.typeOfSymbol(symbol, at).getConstructSignatures().length > 0;
  }

  tsNode(node: TSESTree.Node): ts.Node {
    return this.services.esTreeNodeToTSNodeMap.get(node);
  }

  /**
   * The symbol of an identifier, once per variable of the linted file: TypeScript resolves the
   * name anew each time it is asked, and a file reports many queries on the same table.
   */
  private identifierSymbol(identifier: TSESTree.Identifier, tsNode: ts.Node): ts.Symbol | undefined {
    const variable = this.variableOf?.(identifier);
    if (variable === undefined) return this.symbolOf(tsNode);
    if (!this.symbolsByVariable.has(variable)) this.symbolsByVariable.set(variable, this.symbolOf(tsNode));
    return this.symbolsByVariable.get(variable);
  }

  private readonly symbolsByVariable = new Map<object, ts.Symbol | undefined>();

  /** The symbol an expression names, through import aliases and re-exports. */
  symbolOf(node: ts.Node): ts.Symbol | undefined {
    let symbol = this.checker.getSymbolAtLocation(node);
    if (symbol !== undefined && (symbol.flags & this.ts.SymbolFlags.Alias) !== 0) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol;
  }

  typeOfSymbol(symbol: ts.Symbol, at: ts.Node): ts.Type {
    const checker = this.checker as ts.TypeChecker & { getTypeOfSymbol?: (symbol: ts.Symbol) => ts.Type };
    return typeof checker.getTypeOfSymbol === 'function' ? checker.getTypeOfSymbol(symbol) : checker.getTypeOfSymbolAtLocation(symbol, at);
  }

  /**
   * The packages and names of the classes or interfaces an expression's type is declared as
   * (`[{ packageName: 'kysely', typeName: 'Kysely' }]`): one per part of an intersection
   * (Drizzle's `drizzle()` returns `BetterSQLite3Database & { $client }`), none for an anonymous type.
   */
  declaredTypesOf(node: TSESTree.Node): { packageName: string | undefined; typeName: string }[] {
    const type = this.checker.getTypeAtLocation(this.tsNode(node));
    const declared: { packageName: string | undefined; typeName: string }[] = [];
    for (const part of type.isIntersection() ? type.types : [type]) {
      const symbol = part.getSymbol() ?? part.aliasSymbol;
      const declaration = symbol?.declarations?.[0];
      if (symbol !== undefined && declaration !== undefined) declared.push({ packageName: this.packages.of(declaration.getSourceFile().fileName), typeName: symbol.name });
    }
    return declared;
  }

  /** The initializer of the `const` an expression names, in whichever file (through imports). */
  constInitializerOf(node: TSESTree.Node): ts.Expression | undefined {
    return this.constInitializer(this.tsNode(node));
  }

  /** TypeScript's `SyntaxKind`, for callers that must not load TypeScript themselves. */
  get syntaxKind(): typeof ts.SyntaxKind {
    return this.ts.SyntaxKind;
  }

  /** The value of `name: value` in an object literal written in TypeScript's AST. */
  objectPropertyOf(node: ts.Expression, name: string): ts.Expression | undefined {
    return this.objectProperty(node, name);
  }

  /** The string literal values a type can have, and whether those are all it can be. */
  stringLiterals(type: ts.Type): PathValues {
    const values: string[] = [];
    let complete = true;
    for (const part of type.isUnion() ? type.types : [type]) {
      if (part.isStringLiteral()) values.push(part.value);
      else complete = false;
    }
    return { values, complete };
  }

  /** Whether the linted file can see Picco at all; asked once, at its first query question. */
  private seesPicco: boolean | undefined;

  /** Whether the linted file can hold a Picco query or engine at all (asked once per file). */
  private canSeePicco(node: TSESTree.Node): boolean {
    this.seesPicco ??= this.reach === undefined || this.reach(this.ts).canSeePicco(this.tsNode(node).getSourceFile());
    return this.seesPicco;
  }

  /**
   * False when the program holds no engine package that refuses synchronous calls
   * (`@picco/postgres`): then no expression can be such an engine, and nothing need be asked.
   */
  mayRefuseSync(): boolean {
    return this.reach === undefined || this.reach(this.ts).hasAsyncOnlyEngines;
  }

  queryFacts(node: TSESTree.Node): QueryFacts | undefined {
    if (!this.canSeePicco(node)) return undefined;
    // A chain on a table (`Users.select(...).where(...)`): the table's `$engine` says it all, and
    // asking its type is cheap (one per table, cached by the checker), where the chain's own type
    // costs generic inference at every site. Anything else: the expression's type.
    const table = tableChainRoot(node);
    if (table !== undefined) {
      const facts = this.tableChainFacts(table);
      if (facts !== undefined) return facts;
    }
    const tsNode = this.tsNode(node);
    const query = this.queryEngineTypes(this.checker.getTypeAtLocation(tsNode), tsNode);
    if (query === undefined) return undefined;
    return this.factsOf(tsNode, { paths: this.enginePaths(query.engines, tsNode), syncRefused: this.syncRefusal(query.engines, tsNode) }, query.nullable, undefined, query.thenable);
  }

  /**
   * Facts about an engine expression: a value whose `executeSync` and `transactionSync` are
   * declared in an `@picco/*` package (`SQLiteEngine`, `PostgresEngine`, or a union of them).
   */
  engineFacts(node: TSESTree.Node): EngineFacts | undefined {
    if (!this.canSeePicco(node)) return undefined;
    const tsNode = this.tsNode(node);
    const type = this.checker.getTypeAtLocation(tsNode);
    const engines: ts.Type[] = [];
    for (const part of type.isUnion() ? type.types : [type]) {
      if (isNullish(this.ts, part)) continue;
      const executeSync = this.checker.getPropertyOfType(part, 'executeSync');
      const transactionSync = this.checker.getPropertyOfType(part, 'transactionSync');
      if (executeSync === undefined || transactionSync === undefined || !this.isPicco(executeSync) || !this.isPicco(transactionSync)) return undefined;
      engines.push(part);
    }
    if (engines.length === 0) return undefined;
    let engine: EngineDefinition | undefined | null = null;
    const traced = (): EngineDefinition | undefined => {
      const trace: Trace = { tableName: undefined, engine: undefined };
      this.trace(tsNode, trace, 0);
      return this.definitionOf(trace.engine);
    };
    return {
      syncRefused: this.syncRefusal(engines, tsNode),
      get engine() {
        if (engine === null) engine = traced();
        return engine;
      },
    };
  }

  /** Facts of `root.method(...)...` when `root` is typed as Picco tables (or engines, for `raw`). */
  private tableChainFacts({ root, method }: { root: TSESTree.Node; method: string }): QueryFacts | undefined {
    const tsRoot = this.tsNode(root);
    const type = this.checker.getTypeAtLocation(tsRoot);
    // Table types are few and interned by the checker: what each says is asked once per program.
    let byMethod = this.tableTypes.get(type);
    if (byMethod === undefined) this.tableTypes.set(type, (byMethod = new Map()));
    let known = byMethod.get(method);
    if (known === undefined) {
      const engines = this.tableEngines(type, method, tsRoot);
      known = engines === undefined ? null : { paths: this.enginePaths(engines, tsRoot), syncRefused: this.syncRefusal(engines, tsRoot) };
      byMethod.set(method, known);
    }
    if (known === null) return undefined;
    const table = method !== 'raw' && root.type === AST_NODE_TYPES.Identifier ? () => this.identifierSymbol(root, tsRoot) : undefined;
    return this.factsOf(tsRoot, known, false, table);
  }

  /** The engines of `type`'s tables (or the engines themselves, for `raw`), when `method` is Picco's on each. */
  private tableEngines(type: ts.Type, method: string, tsRoot: ts.Node): ts.Type[] | undefined {
    const engines: ts.Type[] = [];
    for (const part of type.isUnion() ? type.types : [type]) {
      if (method === 'raw') {
        const raw = this.checker.getPropertyOfType(part, 'raw');
        if (raw === undefined || !this.isPicco(raw)) return undefined;
        engines.push(part);
        continue;
      }
      const engine = this.checker.getPropertyOfType(part, '$engine');
      const query = this.checker.getPropertyOfType(part, method);
      if (engine === undefined || query === undefined || !this.isPicco(engine) || !this.isPicco(query)) return undefined;
      engines.push(this.typeOfSymbol(engine, tsRoot));
    }
    return engines.length === 0 ? undefined : engines;
  }

  /** `table`: `tsNode` is a table, and this gives its symbol (for its `$name`, and its trace's cache). */
  private factsOf(tsNode: ts.Node, { paths, syncRefused }: EngineSummary, nullable: boolean, table?: () => ts.Symbol | undefined, thenable = true): QueryFacts {
    const fromTable = table !== undefined;
    // Following the declarations back to the engine is only needed for a report (its message
    // and fix); most queries run on file engines and are never reported, so it waits until asked.
    let trace: Trace | undefined;
    let engine: EngineDefinition | undefined | null = null;
    const definition = (): EngineDefinition | undefined => this.definitionOf(traced().engine);
    const traced = (): Trace => {
      if (trace !== undefined) return trace;
      // Many queries on the same table are reported, in many files: its trace is followed once per program.
      const symbol = table?.();
      trace = symbol === undefined ? undefined : this.tracesByTable.get(symbol);
      if (trace === undefined) {
        trace = { tableName: fromTable ? this.tableNameOf(tsNode) : undefined, engine: undefined };
        if (paths.values.length > 0 || syncRefused !== 'never') this.trace(tsNode, trace, 0);
        if (symbol !== undefined) this.tracesByTable.set(symbol, trace);
      }
      return trace;
    };
    return {
      paths,
      nullable,
      thenable,
      syncRefused,
      get tableName() {
        return traced().tableName;
      },
      get engine() {
        if (engine === null) engine = definition();
        return engine;
      },
    };
  }

  /** The engine's construction site as this linted file sees it: a literal there can be rewritten. */
  private definitionOf(traced: TracedEngine | undefined): EngineDefinition | undefined {
    if (traced === undefined) return undefined;
    const literals = traced.literals.map(({ value, site }): PathLiteral => ({
      value,
      fix: site !== undefined && site.file === this.lintedFile ? { range: site.range, quote: site.quote } : undefined,
    }));
    return { fileName: traced.fileName, line: traced.line, literals };
  }

  /**
   * The engine types of a Picco query type, or `undefined` when the type is not (only) Picco
   * queries. Read from the `engine` member, which survives subclasses, aliases, intersections
   * and unions (type arguments are positional and only work on the exact class). `nullable`:
   * the type also has `null`, `undefined` or `void` in it.
   */
  private queryEngineTypes(type: ts.Type, at: ts.Node): { engines: ts.Type[]; nullable: boolean; thenable: boolean } | undefined {
    const engines: ts.Type[] = [];
    let nullable = false;
    let thenable = true;
    for (const part of type.isUnion() ? type.types : [type]) {
      const flags = part.flags;
      if ((flags & (this.ts.TypeFlags.Null | this.ts.TypeFlags.Undefined | this.ts.TypeFlags.Void)) !== 0) {
        nullable = true;
        continue;
      }
      const engine = this.checker.getPropertyOfType(part, 'engine');
      const runSync = this.checker.getPropertyOfType(part, 'runSync');
      if (engine === undefined || runSync === undefined || !this.isPicco(engine) || !this.isPicco(runSync)) return undefined;
      // A prepared query (`.prepare()`) runs only by `.run(values)` / `.runSync(values)`: awaiting it runs nothing.
      const then = this.checker.getPropertyOfType(part, 'then');
      if (then === undefined || !this.isPicco(then)) thenable = false;
      engines.push(this.typeOfSymbol(engine, at));
    }
    return engines.length === 0 ? undefined : { engines, nullable, thenable };
  }

  /** The possible values of the engines' `path`, when the engines are Picco's. */
  private enginePaths(engines: readonly ts.Type[], at: ts.Node): PathValues {
    const values: string[] = [];
    let complete = true;
    for (const engine of engines.flatMap((type) => (type.isUnion() ? type.types : [type]))) {
      const facts = this.engineTypeFacts(engine, at);
      values.push(...facts.path.values);
      complete &&= facts.path.complete;
    }
    return { values, complete };
  }

  /** Whether the engines refuse synchronous calls: all of them, some, or none. */
  private syncRefusal(engines: readonly ts.Type[], at: ts.Node): SyncRefusal {
    let refusing = 0;
    let total = 0;
    for (const engine of engines.flatMap((type) => (type.isUnion() ? type.types : [type]))) {
      const facts = this.engineTypeFacts(engine, at);
      if (facts.nullish) continue;
      total++;
      if (facts.asyncOnly) refusing++;
    }
    if (refusing === 0) return 'never';
    return refusing === total ? 'always' : 'maybe';
  }

  /** What one engine type (not a union) says, once per program: engine types are few and interned. */
  private engineTypeFacts(engine: ts.Type, at: ts.Node): EngineTypeFacts {
    let facts = this.engineTypes.get(engine);
    if (facts !== undefined) return facts;
    const nullish = isNullish(this.ts, engine);
    const asyncOnly = !nullish && this.isAsyncOnlyEngine(engine);
    let path: PathValues = { values: [], complete: false };
    // A server's engine (PostgreSQL) has a connection target, never a SQLite path.
    if (!asyncOnly) {
      const member = this.checker.getPropertyOfType(engine, 'path');
      if (member !== undefined && this.isPicco(member)) path = this.stringLiterals(this.typeOfSymbol(member, at));
    }
    facts = { nullish, asyncOnly, path };
    this.engineTypes.set(engine, facts);
    return facts;
  }

  /**
   * An engine whose `executeSync` is declared by a package with no synchronous driver
   * (`PostgresEngine`). A subclass that overrides it in user code is not: its own method decides.
   */
  private isAsyncOnlyEngine(engine: ts.Type): boolean {
    const declarations = this.checker.getPropertyOfType(engine, 'executeSync')?.declarations;
    if (declarations === undefined || declarations.length === 0) return false;
    return declarations.every((declaration) => this.packages.isAsyncOnlyEngine(declaration.getSourceFile().fileName));
  }

  /** Follows an expression back to `defineTable(...)` and `new SQLiteEngine(...)`, across files. */
  private trace(start: ts.Node, into: Trace, depth: number): void {
    const ts = this.ts;
    if (depth > MAX_DEPTH || into.engine !== undefined) return;
    const node = skipOuter(ts, start);
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const initializer = this.constInitializer(node);
      if (initializer !== undefined) this.trace(initializer, into, depth + 1);
      else if (ts.isPropertyAccessExpression(node)) this.trace(node.expression, into, depth + 1);
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = skipOuter(ts, node.expression);
      const fn = this.symbolOf(callee);
      if (fn !== undefined && this.isPicco(fn)) {
        if (fn.name === 'defineTable') {
          const [name, , options] = node.arguments;
          if (into.tableName === undefined && name !== undefined && ts.isStringLiteralLike(name)) into.tableName = name.text;
          const db = options === undefined ? undefined : this.objectProperty(options, 'db');
          if (db !== undefined) this.trace(db, into, depth + 1);
          return;
        }
        if (SCHEMA_BATCH_FUNCTIONS.has(fn.name)) {
          const list = node.arguments[0] === undefined ? undefined : skipOuter(ts, node.arguments[0]);
          const first = list !== undefined && ts.isArrayLiteralExpression(list) ? list.elements[0] : undefined;
          // Several tables: name none of them, but find their (shared) engine.
          const tableName = into.tableName;
          if (first !== undefined && !ts.isSpreadElement(first)) this.trace(first, into, depth + 1);
          into.tableName = tableName;
          return;
        }
      }
      if (ts.isPropertyAccessExpression(callee)) {
        if (into.tableName === undefined) into.tableName = this.tableNameOf(callee.expression);
        this.trace(callee.expression, into, depth + 1);
      }
      return;
    }
    if (ts.isNewExpression(node)) {
      const constructor = this.symbolOf(skipOuter(ts, node.expression));
      if (constructor === undefined || !this.isPicco(constructor)) return;
      const options = node.arguments?.[0];
      const path = options === undefined ? undefined : this.objectProperty(options, 'path');
      const literals: TracedLiteral[] = [];
      if (path !== undefined) this.collectLiterals(path, literals, 0);
      const sourceFile = node.getSourceFile();
      into.engine = {
        fileName: sourceFile.fileName,
        line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1,
        literals,
      };
    }
  }

  /** `$name` of a Picco table type, when it is a string literal. */
  private tableNameOf(node: ts.Node): string | undefined {
    const name = this.checker.getPropertyOfType(this.checker.getTypeAtLocation(node), '$name');
    if (name === undefined || !this.isPicco(name)) return undefined;
    const type = this.typeOfSymbol(name, node);
    return type.isStringLiteral() ? type.value : undefined;
  }

  /** The initializer of the `const` variable an expression names, in whichever file. */
  private constInitializer(node: ts.Node): ts.Expression | undefined {
    const ts = this.ts;
    const symbol = ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node ? this.checker.getShorthandAssignmentValueSymbol(node.parent) : this.symbolOf(node);
    const declaration = symbol?.valueDeclaration;
    if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
    if (!ts.isIdentifier(declaration.name) || (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) === 0) return undefined;
    return declaration.initializer;
  }

  private objectProperty(node: ts.Expression, name: string): ts.Expression | undefined {
    const ts = this.ts;
    const object = skipOuter(ts, node);
    if (!ts.isObjectLiteralExpression(object)) return undefined;
    let found: ts.Expression | undefined;
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property)) found = undefined;
      else if (ts.isPropertyAssignment(property) && propertyNameText(ts, property.name) === name) found = property.initializer;
      else if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) found = property.name;
    }
    return found;
  }

  /** The string literals a path expression is made of, through `const`s, `?:`, `??` and `||`. */
  private collectLiterals(start: ts.Node, into: TracedLiteral[], depth: number, viaConst = false): void {
    const ts = this.ts;
    if (depth > MAX_DEPTH) return;
    const node = skipOuter(ts, start);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const sourceFile = node.getSourceFile();
      const begin = node.getStart(sourceFile);
      const quote = sourceFile.text[begin] ?? "'";
      // Through a `const`, a rewrite would change every other use of the constant: no fix.
      into.push({ value: node.text, site: viaConst ? undefined : { file: nodePath.resolve(sourceFile.fileName), range: [begin, node.getEnd()], quote } });
    } else if (ts.isConditionalExpression(node)) {
      this.collectLiterals(node.whenTrue, into, depth + 1, viaConst);
      this.collectLiterals(node.whenFalse, into, depth + 1, viaConst);
    } else if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      this.collectLiterals(node.left, into, depth + 1, viaConst);
      this.collectLiterals(node.right, into, depth + 1, viaConst);
    } else if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const initializer = this.constInitializer(node);
      if (initializer !== undefined) this.collectLiterals(initializer, into, depth + 1, true);
    }
  }
}

/** What is the same for every file linted with one TypeScript program, kept with it (see `resolvers.ts`). */
export interface ProgramCaches {
  /** Where each table's engine is constructed: a table is reported from many files. */
  readonly tracesByTable: Map<ts.Symbol, Trace>;
  readonly engineTypes: Map<ts.Type, EngineTypeFacts>;
  /** Per table type and query method: what its engines say, or `null` when it is not a Picco table's. */
  readonly tableTypes: Map<ts.Type, Map<string, EngineSummary | null>>;
}

/** What a query's engines say together. */
interface EngineSummary {
  readonly paths: PathValues;
  readonly syncRefused: SyncRefusal;
}

export function newProgramCaches(): ProgramCaches {
  return { tracesByTable: new Map(), engineTypes: new Map(), tableTypes: new Map() };
}

interface EngineTypeFacts {
  readonly nullish: boolean;
  /** PostgreSQL's: synchronous calls refused, and no SQLite path. */
  readonly asyncOnly: boolean;
  /** The literal values of its `path`; incomplete when not a Picco SQLite engine's literal type. */
  readonly path: PathValues;
}

/** What following the declarations found: the same for every file of the program. */
export interface Trace {
  tableName: string | undefined;
  engine: TracedEngine | undefined;
}

interface TracedEngine {
  readonly fileName: string;
  /** 1-based. */
  readonly line: number;
  readonly literals: readonly TracedLiteral[];
}

/** A literal of the engine's path, and where it is written (unless reached through a `const`). */
interface TracedLiteral {
  readonly value: string;
  readonly site: { readonly file: string; readonly range: readonly [number, number]; readonly quote: string } | undefined;
}

function isNullish(ts: TypeScript, type: ts.Type): boolean {
  return (type.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0;
}

/** The expression under parentheses and type-only wrappers. */
function skipOuter<T extends ts.Node>(ts: TypeScript, node: T): ts.Node {
  let current: ts.Node = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

function propertyNameText(ts: TypeScript, name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/**
 * `root.m(...)` with `m` a table's query method (or `raw`), then only query methods that keep
 * the engine (`.where(...)`, `.limit(...)`): the root and `m`. No optional chaining.
 */
function tableChainRoot(node: TSESTree.Node): { root: TSESTree.Node; method: string } | undefined {
  let current = skipTypeWrappers(node);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (current.type !== AST_NODE_TYPES.CallExpression || current.optional) return undefined;
    const callee = skipTypeWrappers(current.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.optional) return undefined;
    const method = memberName(callee);
    if (method === undefined) return undefined;
    if (TABLE_QUERY_METHODS.has(method) || ENGINE_QUERY_METHODS.has(method)) return { root: skipTypeWrappers(callee.object), method };
    if (!QUERY_CHAIN_METHODS.has(method)) return undefined;
    current = skipTypeWrappers(callee.object);
  }
  return undefined;
}
