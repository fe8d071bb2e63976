/**
 * Source text of each kind of generated file. Everything here is valid, strict TypeScript
 * (the quick test type-checks a generated project), so the linter sees code like a real
 * project's, not noise that the checker gives up on.
 */

export function engineFile(name, pathExpression, kind) {
  return [
    "import { SQLiteEngine } from '@picco/runtime';",
    '',
    `/** ${name}: a ${kind} database of the generated project. */`,
    `export const ${name} = new SQLiteEngine({ path: ${pathExpression} });`,
    '',
  ].join('\n');
}

export function barrelFile(modules) {
  return `${modules.map((module) => `export * from '${module}';`).join('\n')}\n`;
}

/**
 * A table in its own file. `table` has `name`, `sqlName`, `engine`, `engineImport`, `extras`
 * (extra column kinds) and `parent` (`{ name, module }` of a table it references, or undefined).
 */
export function tableFile(table) {
  const columns = [
    ['id', 'serial()', 'serial'],
    ['name', 'varchar({ length: 80 })', 'varchar'],
    ['amount', 'integer({ default: 0 })', 'integer'],
    ['active', 'boolean({ default: true })', 'boolean'],
  ];
  if (table.extras.includes('note')) columns.push(['note', 'text().nullable()', 'text']);
  if (table.extras.includes('score')) columns.push(['score', 'real({ default: 0 })', 'real']);
  if (table.extras.includes('code')) columns.push(['code', `varchar({ length: 16 }).unique().nullable()`, 'varchar']);
  if (table.parent !== undefined) columns.push(['parent', `foreignKey(() => ${table.parent.name}, { onDelete: 'cascade' }).nullable()`, 'foreignKey']);
  const builders = [...new Set(['defineTable', ...columns.map(([, , builder]) => builder)])].sort();
  const lines = [`import { ${builders.join(', ')} } from '@picco/core';`, `import { ${table.engine} } from '${table.engineImport}';`];
  if (table.parent !== undefined) lines.push(`import { ${table.parent.name} } from '${table.parent.module}';`);
  lines.push(
    '',
    `/** The ${table.sqlName} table. */`,
    `export const ${table.name} = defineTable(`,
    `  '${table.sqlName}',`,
    '  {',
    ...columns.map(([column, definition]) => `    ${column}: ${definition},`),
    '  },',
    `  { db: ${table.engine} },`,
    ');',
    '',
  );
  return lines.join('\n');
}

/** `imports`: `[{ names, module }]`; `functions`: `[{ name, async, statements, returns }]`. */
export function setupFile(imports, functions) {
  const lines = imports.map(({ names, module }) => `import { ${[...names].sort().join(', ')} } from '${module}';`);
  for (const fn of functions) {
    lines.push('', `/** ${fn.async ? 'Prepares' : 'Seeds'} part of the schema (generated). */`);
    lines.push(`export ${fn.async ? 'async ' : ''}function ${fn.name}(): ${fn.async ? 'Promise<number>' : 'number'} {`);
    lines.push('  let total = 0;');
    for (const statement of fn.statements) lines.push(`  ${statement}`);
    lines.push(`  ${fn.returns ?? 'return total;'}`, '}');
  }
  lines.push('');
  return lines.join('\n');
}

/** A repository class over one table: four async executions and one sync one. */
export function serviceFile(table, module, className) {
  return [
    `import { ${table} } from '${module}';`,
    '',
    `export interface ${className}Input {`,
    '  readonly name: string;',
    '  readonly amount?: number;',
    '}',
    '',
    `/** Data access for ${table} (generated). */`,
    `export class ${className} {`,
    `  async create(input: ${className}Input): Promise<void> {`,
    `    await ${table}.insert({ name: input.name, amount: input.amount ?? 0 });`,
    '  }',
    '',
    '  async list(limit = 10) {',
    `    return ${table}.select(${table}.id, ${table}.name).where(${table}.active.eq(true)).orderBy(${table}.name).limit(limit);`,
    '  }',
    '',
    '  countSync(): number {',
    `    return ${table}.count().runSync();`,
    '  }',
    '',
    '  async rename(id: number, name: string): Promise<void> {',
    `    await ${table}.update({ name }).where(${table}.id.eq(id));`,
    '  }',
    '',
    '  async remove(id: number): Promise<boolean> {',
    `    const result = await ${table}.delete().where(${table}.id.eq(id));`,
    '    return result.changes > 0;',
    '  }',
    '}',
    '',
  ].join('\n');
}
export const SERVICE_ASYNC_EXECUTIONS = 4;

/** Engine, table and their use in one file (the seed's shape): found even without types. */
export function singleFile(index, pathExpression, statements) {
  return [
    "import { boolean, defineTable, integer, serial, varchar } from '@picco/core';",
    "import { SQLiteEngine } from '@picco/runtime';",
    '',
    `const LocalDb${index} = new SQLiteEngine({ path: ${pathExpression} });`,
    '',
    `export const Jobs${index} = defineTable('jobs_${index}', { id: serial(), name: varchar({ length: 80 }), amount: integer({ default: 0 }), active: boolean({ default: true }) }, { db: LocalDb${index} });`,
    '',
    `export async function runJobs${index}(): Promise<number> {`,
    '  let total = 0;',
    ...statements.map((statement) => `  ${statement}`),
    '  return total;',
    '}',
    '',
  ].join('\n');
}

/** better-sqlite3 used directly. */
export function rawSqliteFile(index, pathLiteral) {
  return [
    "import Database from 'better-sqlite3';",
    '',
    `/** A key-value cache on better-sqlite3 directly (generated). */`,
    `export const cache${index} = new Database(${pathLiteral});`,
    `cache${index}.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)');`,
    '',
    `export function cacheGet${index}(key: string): string | undefined {`,
    `  const row = cache${index}.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;`,
    '  return row?.value;',
    '}',
    '',
    `export function cachePut${index}(key: string, value: string): void {`,
    `  cache${index}.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)').run(key, value);`,
    '}',
    '',
  ].join('\n');
}

/** Code that has nothing to do with Picco; some of it looks like it (run, then, createTable). */
export const PLAIN_FILES = [
  (i) => `/** String helpers (generated). */
export function slugify${i}(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function chunk${i}<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export function titleCase${i}(text: string): string {
  return text.replace(/\\b\\w/g, (letter) => letter.toUpperCase());
}

export const separators${i}: ReadonlySet<string> = new Set(['-', '_', ' ']);
`,
  (i) => `/** Retries an async operation with exponential back-off (generated). */
export interface RetryOptions${i} {
  readonly attempts: number;
  readonly delayMs: number;
}

export class Retry${i} {
  constructor(private readonly options: RetryOptions${i}) {}

  async run<T>(operation: () => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.options.attempts; attempt++) {
      try {
        return await operation();
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, this.options.delayMs * 2 ** attempt));
      }
    }
    throw lastError;
  }

  then<T>(operation: () => T): T {
    return operation();
  }
}

export async function fetchWithRetry${i}(load: () => Promise<string>): Promise<number> {
  const retry = new Retry${i}({ attempts: 3, delayMs: 10 });
  const text = await retry.run(load);
  return retry.then(() => text.length);
}
`,
  (i) => `/** A schema migrator that is not Picco's: look-alike method names (generated). */
export class Migrator${i} {
  private readonly statements: string[] = [];

  createTable(name: string): this {
    this.statements.push(\`CREATE TABLE \${name} (id INTEGER PRIMARY KEY)\`);
    return this;
  }

  dropTable(name: string): this {
    this.statements.push(\`DROP TABLE \${name}\`);
    return this;
  }

  async run(): Promise<number> {
    await Promise.resolve();
    return this.statements.length;
  }

  runSync(): number {
    return this.statements.length;
  }
}

export async function migrate${i}(): Promise<number> {
  const migrator = new Migrator${i}();
  migrator.createTable('users');
  const count = await migrator.createTable('posts').dropTable('legacy').run();
  const tables = new Map<string, number>();
  tables.set('users', count);
  return count + migrator.runSync() + (tables.get('users') ?? 0);
}
`,
  (i) => `/** An event bus with async listeners (generated). */
type Listener${i}<T> = (payload: T) => Promise<void> | void;

export class EventBus${i}<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Listener${i}<never>[]>();

  on<K extends keyof Events>(event: K, listener: Listener${i}<Events[K]>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener${i}<never>);
    this.listeners.set(event, list);
    return () => this.listeners.set(event, list.filter((item) => item !== listener));
  }

  async emit<K extends keyof Events>(event: K, payload: Events[K]): Promise<number> {
    const list = (this.listeners.get(event) ?? []) as Listener${i}<Events[K]>[];
    const results = await Promise.allSettled(list.map(async (listener) => listener(payload)));
    return results.filter((result) => result.status === 'fulfilled').length;
  }
}

export async function notify${i}(bus: EventBus${i}<{ saved: { id: number } }>): Promise<void> {
  const delivered = await bus.emit('saved', { id: ${i} });
  if (delivered === 0) await Promise.resolve().then(() => undefined);
}
`,
  (i) => `/** Application state and a reducer (generated). */
export interface Item${i} {
  readonly id: number;
  readonly title: string;
  readonly done: boolean;
}

export type Action${i} =
  | { readonly type: 'add'; readonly title: string }
  | { readonly type: 'toggle'; readonly id: number }
  | { readonly type: 'clear' };

export function reduce${i}(state: readonly Item${i}[], action: Action${i}): readonly Item${i}[] {
  switch (action.type) {
    case 'add':
      return [...state, { id: state.length + 1, title: action.title, done: false }];
    case 'toggle':
      return state.map((item) => (item.id === action.id ? { ...item, done: !item.done } : item));
    case 'clear':
      return state.filter((item) => !item.done);
  }
}

export function summary${i}(state: readonly Item${i}[]): string {
  const done = state.filter((item) => item.done).length;
  return \`\${done}/\${state.length} done\`;
}
`,
  (i) => `/** A small memoizing loader (generated). */
export class Loader${i}<K, V> {
  private readonly cache = new Map<K, Promise<V>>();

  constructor(private readonly load: (key: K) => Promise<V>) {}

  get(key: K): Promise<V> {
    let pending = this.cache.get(key);
    if (pending === undefined) {
      pending = this.load(key);
      this.cache.set(key, pending);
    }
    return pending;
  }

  async getMany(keys: readonly K[]): Promise<V[]> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  clear(): void {
    this.cache.clear();
  }
}

export async function loadNumbers${i}(): Promise<number> {
  const loader = new Loader${i}<number, number>(async (key) => key * 2);
  const values = await loader.getMany([1, 2, 3]);
  return values.reduce((sum, value) => sum + value, 0);
}
`,
];
