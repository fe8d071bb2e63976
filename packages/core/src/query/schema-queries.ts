/**
 * Schema queries: `createTable`, `dropTable`, `tableExists`, and `createTables` / `dropTables`
 * for several tables in foreign-key order inside one transaction.
 */
import type { CompiledQuery, ExecutionResult } from '../compiler/compiled-query.js';
import { compileQuery } from '../compiler/query-compiler.js';
import { dialectOf } from '../dialect/dialects.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { CreateTableNode, DropTableNode, TableExistsNode } from '../operation-node/nodes.js';
import type { AnyTable } from '../schema/table-types.js';
import { Query } from './query.js';

export class CreateTableQuery<E extends Engine = Engine> extends Query<void, E> {
  constructor(
    engine: E,
    readonly node: CreateTableNode,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    return compileQuery(this.node, dialectOf(this.engine));
  }

  protected decode(): void {}
}

export class DropTableQuery<E extends Engine = Engine> extends Query<void, E> {
  constructor(
    engine: E,
    readonly node: DropTableNode,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    return compileQuery(this.node, dialectOf(this.engine));
  }

  protected decode(): void {}
}

export class TableExistsQuery<E extends Engine = Engine> extends Query<boolean, E> {
  // Its one parameter (the table name) keeps it out of the compiler's static cache: memoize here.
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    readonly node: TableExistsNode,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node, dialectOf(this.engine)));
  }

  protected decode(result: ExecutionResult): boolean {
    return Number(result.rows[0]?.['exists'] ?? 0) === 1;
  }
}

/** Several schema statements run as one unit in one transaction. */
export class SchemaBatchQuery<E extends Engine = Engine> extends Query<void, E> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly steps: readonly Query<void, E>[],
  ) {
    super(engine);
  }

  /** The statements, joined; each one's SQL is also in `statements()`. */
  toSQL(): CompiledQuery {
    if (this.compiled !== undefined) return this.compiled;
    const statements = this.statements();
    return (this.compiled = { sql: statements.map((statement) => statement.sql).join('; '), params: [], mode: 'exec', readOnly: false, safeIntegers: false, table: statements[0]?.table });
  }

  statements(): CompiledQuery[] {
    return this.steps.map((step) => step.toSQL());
  }

  override runSync(): void {
    this.engine.transactionSync(() => {
      for (const step of this.steps) step.runSync();
    });
  }

  override run(): Promise<void> {
    return this.engine.transaction(async () => {
      for (const step of this.steps) await step.run();
    });
  }

  protected decode(): void {}
}

type EngineOf<T extends readonly AnyTable[]> = NonNullable<T[number]['$engine']>;

/** Creates the tables, each after those it references, in one transaction. */
export function createTables<const T extends readonly AnyTable[]>(tables: T, options: { ifNotExists?: boolean } = {}): SchemaBatchQuery<EngineOf<T>> {
  const ordered = foreignKeyOrder(tables, 'createTables');
  const engine = sharedEngine(ordered, 'createTables') as EngineOf<T>;
  const steps = ordered.map((table) => (table as unknown as TableWithDdl).createTable(options));
  return new SchemaBatchQuery(engine, steps as Query<void, EngineOf<T>>[]);
}

/** Drops the tables, each before those it references, in one transaction. */
export function dropTables<const T extends readonly AnyTable[]>(tables: T, options: { ifExists?: boolean } = {}): SchemaBatchQuery<EngineOf<T>> {
  const ordered = foreignKeyOrder(tables, 'dropTables').reverse();
  const engine = sharedEngine(ordered, 'dropTables') as EngineOf<T>;
  const steps = ordered.map((table) => (table as unknown as TableWithDdl).dropTable(options));
  return new SchemaBatchQuery(engine, steps as Query<void, EngineOf<T>>[]);
}

interface TableWithDdl {
  createTable(options: { ifNotExists?: boolean }): Query<void, Engine>;
  dropTable(options: { ifExists?: boolean }): Query<void, Engine>;
}

/** Orders tables so that each comes after the tables it references (a topological sort). */
function foreignKeyOrder(tables: readonly AnyTable[], caller: string): AnyTable[] {
  if (!Array.isArray(tables) || tables.length === 0) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${caller}() takes a non-empty array of tables, for example ${caller}([Manager, Band]).`);
  }
  const included = new Set(tables);
  const ordered: AnyTable[] = [];
  const state = new Map<AnyTable, 'visiting' | 'done'>();
  const visit = (table: AnyTable, path: readonly string[]): void => {
    const seen = state.get(table);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `${caller}(): the foreign keys form a cycle (${[...path, table.$name].join(' -> ')}). ${caller}() cannot order them; call createTable() / dropTable() on each in an order of your choosing (SQLite accepts a reference to a table created later).`,
      );
    }
    state.set(table, 'visiting');
    for (const builder of Object.values(table.$columns)) {
      const referenced = builder.spec.references?.();
      if (referenced !== undefined && referenced !== table && included.has(referenced)) visit(referenced, [...path, table.$name]);
    }
    state.set(table, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

function sharedEngine(tables: readonly AnyTable[], caller: string): Engine {
  const engines = new Set(tables.map((table) => table.$engine));
  const [engine] = engines;
  if (engines.size === 1 && engine === undefined) {
    // Not "1 engines": say what is actually missing.
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${caller}() got tables without an engine. Pass one to defineTable: defineTable(name, columns, { db: DB }).`,
    );
  }
  if (engines.size !== 1 || engine === undefined) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${caller}() needs tables that all run on one engine (one transaction cannot span databases); ` +
        `these tables use ${engines.size} engines. Call ${caller}() once per engine.`,
    );
  }
  return engine;
}
