/**
 * Writes a realistic Picco project of N TypeScript files (engines, tables in their own files,
 * barrels, setup and service files with async and sync executions, same-file modules, raw
 * better-sqlite3, plain code) and returns how many reports each Picco rule owes on it, with
 * and without type information. The same seed writes the same project.
 *
 * The project must live inside the repository (e.g. `.tmp/lint-bench`) so that `@picco/*`,
 * better-sqlite3 and @types/node resolve from the root node_modules.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRandom } from '../lib/random.mjs';
import { ENGINE_KINDS, FIRST_KINDS, LATER_KINDS } from './engines.mjs';
import { ASYNC_SITES, DROPPED_SITE, RETURN_SITE, SYNC_SITES } from './sites.mjs';
import * as templates from './templates.mjs';

const ASYNC_RULE = '@picco/no-async-private-memory';
const UNEXECUTED_RULE = '@picco/no-unexecuted-query';
const PATH_RULE = '@picco/no-misleading-sqlite-path';
// The project has no knex, Kysely or Drizzle transactions and no Picco `.runSync()` inside an async transaction: 0 owed.
const TRANSACTION_RULE = '@picco/no-transaction-escape';
export const PICCO_RULE_IDS = [ASYNC_RULE, UNEXECUTED_RULE, PATH_RULE, TRANSACTION_RULE];

const DOMAINS = ['billing', 'catalog', 'shipping', 'accounts', 'inventory', 'reports', 'auth', 'media', 'search', 'messaging', 'payments', 'analytics'];
const ENTITIES = ['Orders', 'Invoices', 'Customers', 'Products', 'Events', 'Sessions', 'Tags', 'Notes', 'Payments', 'Shipments', 'Reviews', 'Accounts'];
const EXTRAS = ['note', 'score', 'code'];
const RAW_PATHS = [`':memory:'`, (i) => `'data/cache-${i}.db'`, `':memory:?cache=shared'`];

/** How many files of each kind a project of `files` files has. */
export function planCounts(files) {
  const plan = {
    engines: Math.max(FIRST_KINDS.length, Math.round(files * 0.02)),
    tables: Math.max(4, Math.round(files * 0.22)),
    setups: Math.max(2, Math.round(files * 0.15)),
    services: Math.max(1, Math.round(files * 0.12)),
    singles: Math.max(1, Math.round(files * 0.03)),
    raws: Math.max(1, Math.round(files * 0.01)),
  };
  plan.domains = Math.max(1, Math.round(plan.tables / 10));
  plan.barrels = plan.domains + 2; // one per domain, the engines' and the root one
  plan.plain = files - Object.entries(plan).reduce((sum, [kind, n]) => (kind === 'domains' ? sum : sum + n), 0);
  if (plan.plain < 0) throw new Error(`${files} files are too few for a project with every kind of file (try 40 or more)`);
  return plan;
}

/** Reports owed, per mode (`typed`, `untyped`), rule and file. */
class Tally {
  constructor() {
    this.byFile = { typed: {}, untyped: {} };
  }

  add(modes, file, rule, n = 1) {
    if (n === 0) return;
    for (const mode of modes) {
      const forFile = (this.byFile[mode][file] ??= {});
      forFile[rule] = (forFile[rule] ?? 0) + n;
    }
  }

  totals(mode) {
    const totals = Object.fromEntries(PICCO_RULE_IDS.map((rule) => [rule, 0]));
    for (const counts of Object.values(this.byFile[mode])) for (const [rule, n] of Object.entries(counts)) totals[rule] += n;
    return totals;
  }
}

/**
 * `findings: false` writes the same kind of project with nothing to report (private and typo
 * paths become shared ones, no dropped queries): what the rules cost on code that is right.
 */
export function generateProject({ root, files = 1000, seed = 1, findings = true }) {
  const random = createRandom(seed);
  const withoutFinding = (kind) => (findings || (!ENGINE_KINDS[kind].async && !ENGINE_KINDS[kind].misleading) ? kind : 'shared-memory');
  const plan = planCounts(files);
  const tally = new Tally();
  const output = new Map(); // relative path -> text
  const write = (file, text) => output.set(file, text);
  let unique = 0; // keeps generated local names distinct within a file

  // Engines, and their barrel.
  const engines = [];
  for (let i = 0; i < plan.engines; i++) {
    const kind = withoutFinding(i < FIRST_KINDS.length ? FIRST_KINDS[i] : random.pick(LATER_KINDS));
    const engine = { name: `Db${i}`, kind, module: `engine-${i}`, file: `src/db/engine-${i}.ts` };
    engines.push(engine);
    write(engine.file, templates.engineFile(engine.name, ENGINE_KINDS[kind].path(i), kind));
    if (ENGINE_KINDS[kind].misleading) tally.add(['typed', 'untyped'], engine.file, PATH_RULE);
  }
  write('src/db/index.ts', templates.barrelFile(engines.map((engine) => `./${engine.module}.js`)));

  // Tables, one per file, spread over domains, each domain with a barrel.
  const domains = Array.from({ length: plan.domains }, (_, d) => ({ name: d < DOMAINS.length ? DOMAINS[d] : `${DOMAINS[d % DOMAINS.length]}${d}`, tables: [] }));
  const tables = [];
  for (let t = 0; t < plan.tables; t++) {
    const domain = domains[t % domains.length];
    const entity = ENTITIES[Math.floor(t / domains.length) % ENTITIES.length];
    const engine = random.pick(engines);
    const base = `${domain.name}-${entity.toLowerCase()}-${t}`;
    const table = {
      name: `${capitalise(domain.name)}${entity}${t}`,
      sqlName: base.replace(/-/g, '_'),
      engine,
      domain,
      module: `${base}.js`,
      file: `src/tables/${domain.name}/${base}.ts`,
    };
    const previous = domain.tables.at(-1);
    const parent = previous !== undefined && previous.engine === engine && random.chance(0.3) ? { name: previous.name, module: `./${previous.module}` } : undefined;
    const engineImport = random.chance(0.6) ? '../../db/index.js' : `../../db/${engine.module}.js`;
    write(table.file, templates.tableFile({ ...table, engine: engine.name, engineImport, extras: EXTRAS.filter(() => random.chance(0.4)), parent }));
    domain.tables.push(table);
    tables.push(table);
  }
  for (const domain of domains) write(`src/tables/${domain.name}/index.ts`, templates.barrelFile(domain.tables.map((table) => `./${table.module}`)));
  write('src/index.ts', templates.barrelFile(['./db/index.js', ...domains.map((domain) => `./tables/${domain.name}/index.js`)]));

  /** Counts what a site owes in `file`; `modes` are the modes that can see its engine. */
  const owe = (site, file, byName, modes) => {
    for (const name of site.asyncOn) if (ENGINE_KINDS[byName.get(name).kind].async) tally.add(modes, file, ASYNC_RULE);
    tally.add(modes, file, UNEXECUTED_RULE, site.droppedOn.length);
  };

  // Setup files: async and sync functions made of random execution sites.
  for (let s = 0; s < plan.setups; s++) {
    const domain = domains[s % domains.length];
    const chosen = sample(random, domain.tables, 2 + random.int(3));
    const byName = new Map(chosen.map((table) => [table.name, { kind: table.engine.kind }]));
    const file = `src/setup/${domain.name}-setup-${s}.ts`;
    const imports = new Map(); // module -> names
    const need = (module, name) => imports.set(module, (imports.get(module) ?? new Set()).add(name));
    const fromBarrel = random.chance(0.7);
    for (const table of chosen) need(fromBarrel ? `../tables/${domain.name}/index.js` : `../tables/${domain.name}/${table.module}`, table.name);

    const functions = [];
    const emit = (sites, count, allowDropped) => {
      const statements = [];
      for (let n = 0; n < count; n++) {
        const [a, b] = [random.pick(chosen).name, random.pick(chosen).name];
        const site = allowDropped && random.chance(0.04) && findings ? DROPPED_SITE(a) : random.pick(sites)(a, b, unique++);
        for (const name of site.imports) need('@picco/core', name);
        owe(site, file, byName, ['typed']);
        statements.push(site.code);
      }
      return statements;
    };
    const label = `${capitalise(domain.name)}${s}`;
    functions.push({ name: `setUp${label}`, async: true, statements: emit(ASYNC_SITES, 3 + random.int(5), true) });
    if (random.chance(0.5)) functions.push({ name: `migrate${label}`, async: true, statements: emit(ASYNC_SITES, 2 + random.int(4), true) });
    functions.push({ name: `seed${label}`, async: false, statements: emit(SYNC_SITES, 2 + random.int(3), false) });
    const returned = RETURN_SITE(random.pick(chosen).name);
    owe(returned, file, byName, ['typed']);
    functions.push({ name: `count${label}`, async: true, statements: [], returns: returned.code });
    write(file, templates.setupFile([...imports].map(([module, names]) => ({ module, names })), functions));
  }

  // Services: a repository class per table, four async executions each.
  for (let v = 0; v < plan.services; v++) {
    const table = tables[v % tables.length];
    const file = `src/services/${table.module.replace(/\.js$/, '')}-service-${v}.ts`;
    const module = random.chance(0.5) ? `../tables/${table.domain.name}/index.js` : `../tables/${table.domain.name}/${table.module}`;
    write(file, templates.serviceFile(table.name, module, `${table.name}Service${v}`));
    if (ENGINE_KINDS[table.engine.kind].async) tally.add(['typed'], file, ASYNC_RULE, templates.SERVICE_ASYNC_EXECUTIONS);
  }

  // Engine, table and use in one file: seen with and without types.
  const singleSites = ASYNC_SITES.filter((make) => make('A', 'A', 0).imports.length === 0);
  for (let j = 0; j < plan.singles; j++) {
    // The first is the seed's bug itself, so even a small project has a finding visible without types.
    const kind = withoutFinding(j === 0 ? 'private-memory' : random.pick(['private-memory', 'private-memory', 'maybe-private', 'file', 'shared-memory', 'private-temporary']));
    const file = `src/jobs/jobs-${j}.ts`;
    const table = `Jobs${j}`;
    const byName = new Map([[table, { kind }]]);
    const statements = [];
    for (let n = 3 + random.int(4); n > 0; n--) {
      const site = random.chance(0.1) && findings ? DROPPED_SITE(table) : random.pick(singleSites)(table, table, unique++);
      owe(site, file, byName, ['typed', 'untyped']);
      statements.push(site.code);
    }
    write(file, templates.singleFile(j, ENGINE_KINDS[kind].path(`job-${j}`), statements));
  }

  // better-sqlite3 directly; `':memory:?cache=shared'` there is a junk file name.
  for (let r = 0; r < plan.raws; r++) {
    const spelling = RAW_PATHS[r % RAW_PATHS.length];
    const literal = typeof spelling === 'function' ? spelling(r) : findings ? spelling : `':memory:'`;
    const file = `src/cache/cache-${r}.ts`;
    write(file, templates.rawSqliteFile(r, literal));
    if (literal === `':memory:?cache=shared'`) tally.add(['typed', 'untyped'], file, PATH_RULE);
  }

  // Plain code.
  for (let p = 0; p < plan.plain; p++) write(`src/lib/module-${p}.ts`, templates.PLAIN_FILES[p % templates.PLAIN_FILES.length](p));

  writeProject(root, output);
  return { root, files: [...output.keys()].filter((file) => file.endsWith('.ts')), plan, byFile: tally.byFile, expected: { typed: tally.totals('typed'), untyped: tally.totals('untyped') } };
}

function writeProject(root, output) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'package.json'), `${JSON.stringify({ name: 'picco-lint-bench-project', private: true, type: 'module' }, null, 2)}\n`);
  const compilerOptions = { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, noEmit: true, skipLibCheck: true };
  writeFileSync(path.join(root, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`);
  for (const [file, text] of output) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

function sample(random, items, n) {
  const pool = [...items];
  const chosen = [];
  while (chosen.length < n && pool.length > 0) chosen.push(pool.splice(random.int(pool.length), 1)[0]);
  return chosen;
}

function capitalise(word) {
  return word[0].toUpperCase() + word.slice(1);
}
