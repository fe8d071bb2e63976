// `pnpm bench`: Picco against raw better-sqlite3, Drizzle and Kysely, and Picco's async engine
// under concurrency and a long query. Prints markdown tables (progress goes to stderr).
//
//   node bench/index.mjs                          everything (~3.5 minutes on 2 cores)
//   BENCH_QUICK=1 node bench/index.mjs            smoke run: few rounds, small counts (~20 s)
//   BENCH_ONLY=orm-memory,orm-file,throughput,event-loop node bench/index.mjs   some sections
//   BENCH_ROUNDS=11 node bench/index.mjs          more rounds per median
//
// Every figure is measured in this one process run, contestants alternating round by round,
// and reported as a median over rounds next to its ratio to a baseline run in the same rounds
// (see harness.mjs). Absolute times are for orientation only; compare ratios.
import { cpus, totalmem, release, platform } from 'node:os';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { QUICK, ROUNDS, WARMUP_ROUNDS, formatNs, formatRate, formatRatio, markdownTable } from './harness.mjs';
import { WORKLOADS, runOrmBenchmarks, sinkValue } from './orm.mjs';
import { CALLERS, THROUGHPUT_WORKLOADS, asyncSinkValue, runEventLoop, runThroughput } from './async.mjs';
import { POSTS_PER_USER, USERS } from './setup.mjs';
import { POOL_SIZE, POSTGRES_WORKLOADS, postgresSinkValue, runPostgresBenchmarks } from './postgres.mjs';

const SECTIONS = ['orm-memory', 'orm-file', 'throughput', 'event-loop', 'postgres', 'lint'];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
for (const name of only ?? []) if (!SECTIONS.includes(name)) throw new Error(`BENCH_ONLY: unknown section "${name}"; sections: ${SECTIONS.join(', ')}`);
const wanted = (section) => only === undefined || only.includes(section);
// BENCH_WORKLOADS=byId,insert,update: only these workloads of tables 1a and 1b (a quicker, repeatable check).
const workloadsWanted = process.env.BENCH_WORKLOADS?.split(',').map((s) => s.trim());
for (const key of workloadsWanted ?? []) if (!WORKLOADS.some((workload) => workload.key === key)) throw new Error(`BENCH_WORKLOADS: unknown workload "${key}"; workloads: ${WORKLOADS.map((w) => w.key).join(', ')}`);
const log = (message) => process.stderr.write(`${message}\n`);
const out = (text = '') => process.stdout.write(`${text}\n`);

// Read from the workspace root's node_modules: some of these packages do not export package.json.
const version = (name) => JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
const sqliteVersion = (() => {
  const db = new Database(':memory:');
  const { v } = db.prepare('SELECT sqlite_version() AS v').get();
  db.close();
  return v;
})();

const started = performance.now();
out(`# Picco benchmarks${QUICK ? ' (BENCH_QUICK=1: smoke run, not for quoting)' : ''}`);
out();
out(
  `Node ${process.version} on ${platform()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
    `better-sqlite3 ${version('better-sqlite3')} (SQLite ${sqliteVersion}), drizzle-orm ${version('drizzle-orm')}, kysely ${version('kysely')}. ` +
    `${ROUNDS} measured rounds after ${WARMUP_ROUNDS} warm-up round(s), contestants in a different order each round; medians.`,
);

const targets = [];
const target = (name, met, detail) => targets.push({ name, met, detail });

// ---- Table 1: ORMs --------------------------------------------------------------------------

const ormResults = {};
for (const kind of ['memory', 'file']) {
  if (!wanted(`orm-${kind}`)) continue;
  log(`ORM workloads on ${kind === 'memory' ? ':memory:' : 'a WAL file'}...`);
  const tables = await runOrmBenchmarks(kind, { log, only: workloadsWanted });
  ormResults[kind] = tables;
  out();
  out(`## 1${kind === 'memory' ? 'a' : 'b'}. ORMs on ${kind === 'memory' ? '`:memory:`' : 'a WAL file database'}`);
  out();
  out(
    `${USERS} users and ${USERS * POSTS_PER_USER} posts in every contestant's own database, same schema (Picco's DDL). ` +
      `Each cell: median ratio to raw better-sqlite3 with statements prepared once (lower is better), then the median time per row or query. ` +
      `Per round: ${tables.map(({ workload }) => `${workload.title}: ${workload.detail.replace(/^\d+k?/, String(workload.operations))}`).join('; ')}. ` +
      `Reproduce: \`BENCH_ONLY=orm-${kind} pnpm bench\`.`,
  );
  out();
  const names = tables[0].results.map((result) => result.name);
  const header = ['contestant', ...tables.map(({ workload }) => workload.title)];
  const rows = names.map((name) => [
    name,
    ...tables.map(({ results }) => {
      const result = results.find((r) => r.name === name);
      return `${formatRatio(result.ratio)} (${formatNs(result.nsPerOp)})`;
    }),
  ]);
  out(markdownTable(header, rows));
  out();
  out(
    `Picco's join is its join builder: \`Posts.select(Posts.user_id.id, Posts.user_id.name, Posts.id.as('post_id'), Posts.title).where(Posts.user_id.id.eq(id))\` (one LEFT JOIN through the foreign key). ` +
      `Kysely on better-sqlite3 prepares every statement anew (its driver calls \`prepare\` per query) and is async-only.` +
      (kind === 'file' ? ' The worker-pool row runs a quarter of the operations per round (each is one round trip to a worker process; same per-operation figure, shorter run), all of them for "Select 1k rows".' : ''),
  );
}

function ormRatio(kind, key, name) {
  return ormResults[kind]?.find(({ workload }) => workload.key === key)?.results.find((r) => r.name === name)?.ratio;
}

for (const kind of Object.keys(ormResults)) {
  const label = kind === 'memory' ? ':memory:' : 'WAL file';
  // With BENCH_WORKLOADS, only the targets of the workloads that ran.
  const ran = (key) => ormResults[kind].some(({ workload }) => workload.key === key);
  const sync = (key) => ormRatio(kind, key, 'Picco runSync');
  const prepared = (key) => ormRatio(kind, key, 'Picco prepared, runSync');
  const drizzlePrepared = (key) => ormRatio(kind, key, 'Drizzle, .prepare()d');
  // Issue 13, prepared queries: within 1.15x of raw prepared, and faster than Drizzle's .prepare().
  for (const [key, title] of [['byId', 'select-by-id'], ['insert', 'insert'], ['update', 'update']]) {
    if (!ran(key)) continue;
    target(`Picco prepared runSync ${title} within 1.15x of raw prepared (${label})`, prepared(key) <= 1.15, formatRatio(prepared(key)));
    target(
      `Picco prepared runSync ${title} faster than Drizzle .prepare()d (${label})`,
      prepared(key) < drizzlePrepared(key),
      `${formatRatio(prepared(key))} vs ${formatRatio(drizzlePrepared(key))}`,
    );
  }
  // Issue 13, the unprepared path.
  if (ran('byId')) target(`Picco runSync select-by-id within 1.4x of raw prepared (${label})`, sync('byId') <= 1.4, formatRatio(sync('byId')));
  if (ran('insert')) target(`Picco runSync insert within 1.5x of raw prepared (${label})`, sync('insert') <= 1.5, formatRatio(sync('insert')));
  // Issue 9: the join builder, unprepared (and prepared, reported beside it).
  if (ran('join')) {
    target(`Picco runSync join (the join builder) within 1.2x of raw prepared (${label})`, sync('join') <= 1.2, formatRatio(sync('join')));
    target(`Picco prepared runSync join (the join builder) within 1.2x of raw prepared (${label})`, prepared('join') <= 1.2, formatRatio(prepared('join')));
  }
  if (WORKLOADS.some(({ key }) => !ran(key))) continue;
  for (const other of ['Drizzle', 'Kysely (async)']) {
    const lost = WORKLOADS.filter(({ key }) => !(sync(key) < ormRatio(kind, key, other)));
    target(
      `Picco runSync faster than ${other === 'Drizzle' ? 'unprepared Drizzle' : 'Kysely'}, every workload (${label})`,
      lost.length === 0,
      WORKLOADS.map(({ key, title }) => `${title}: ${formatRatio(sync(key))} vs ${formatRatio(ormRatio(kind, key, other))}`).join('; '),
    );
  }
}

// ---- Table 2: the async engine -------------------------------------------------------------

if (wanted('throughput')) {
  log('Async throughput...');
  const tables = await runThroughput({ log });
  out();
  out('## 2a. Async throughput on a WAL file database');
  out();
  out(
    `Operations per second with N concurrent async callers (each awaits one query at a time), and in parentheses the ratio to ` +
      `Picco with \`workers: 0\` in the same rounds (higher is better). ${THROUGHPUT_WORKLOADS.map((w) => `${w.title}: ${w.operations} per round`).join('; ')}. ` +
      `Reproduce: \`BENCH_ONLY=throughput pnpm bench\`.`,
  );
  out();
  const names = tables[0].results.map((result) => result.name);
  const rows = tables.map(({ workload, callers, results }) => [
    `${workload.title}, ${callers} caller${callers === 1 ? '' : 's'}`,
    ...names.map((name) => {
      const result = results.find((r) => r.name === name);
      return `${formatRate(1e9 / result.nsPerOp)} (${formatRatio(1 / result.ratio)})`;
    }),
  ]);
  out(markdownTable(['workload', ...names], rows));
  const pooledName = names.find((name) => name.startsWith('Picco, worker pool'));
  for (const workload of THROUGHPUT_WORKLOADS) {
    const at256 = tables.find((t) => t.workload === workload && t.callers === Math.max(...CALLERS));
    const share = 1 / at256.results.find((r) => r.name === pooledName).ratio;
    target(`Worker pool at ${Math.max(...CALLERS)} callers at least 40% of inline throughput (${workload.title.toLowerCase()})`, share >= 0.4, `${(share * 100).toFixed(0)}%`);
  }
}

if (wanted('event-loop')) {
  log('Event loop during a long query...');
  const { n, rounds, results } = await runEventLoop({ log });
  out();
  out('## 2b. The event loop during a long query');
  out();
  out(
    `One recursive CTE counting to ${n} (about ${QUICK ? '0.2' : '1'} s of SQLite CPU) per run, ${rounds} alternating rounds, medians. ` +
      `"Worst delay": the longest the main thread's event loop was held up while the query ran, by a 1 ms \`setInterval\` probe and by ` +
      `\`perf_hooks.monitorEventLoopDelay\` (max). "Share": the larger of the two over the query's own time (median; worst round in brackets). ` +
      `Reproduce: \`BENCH_ONLY=event-loop pnpm bench\`.`,
  );
  out();
  out(
    markdownTable(
      ['contestant', 'query time', 'ratio to better-sqlite3', 'worst delay (probe)', 'worst delay (histogram)', 'share of query time'],
      results.map((r) => [
        r.name,
        `${r.queryMs.toFixed(0)} ms`,
        formatRatio(r.ratio),
        `${r.probeWorstMs.toFixed(1)} ms`,
        `${r.histogramMaxMs.toFixed(1)} ms`,
        `${(r.share * 100).toFixed(1)}% [${(r.worstShare * 100).toFixed(1)}%]`,
      ]),
    ),
  );
  const pooled = results.find((r) => r.name.startsWith('Picco, worker pool'));
  target(`Worker pool: worst event-loop delay under 5% of the query's time`, pooled.worstShare < 0.05, `${(pooled.share * 100).toFixed(1)}% median, ${(pooled.worstShare * 100).toFixed(1)}% worst round`);
}

// ---- Table 4: PostgreSQL ------------------------------------------------------------------

if (wanted('postgres')) {
  log('PostgreSQL (a private server)...');
  const { tables, skipped } = await runPostgresBenchmarks({ log });
  out();
  out('## 4. PostgreSQL');
  out();
  if (skipped !== undefined) {
    out(`Not run: ${skipped}. Install PostgreSQL's server binaries or set PICCO_PG_URL.`);
  } else {
    out(
      `pg ${version('pg')} on a private PostgreSQL server (unix socket), ${USERS} users and ${USERS * POSTS_PER_USER} posts in every contestant's own schema ` +
        `(Picco's PostgreSQL DDL), a pool of ${POOL_SIZE} connections each. Each cell: median ratio to raw \`pg\` with named prepared statements ` +
        `(lower is better), then the median time per operation. Per round: ${POSTGRES_WORKLOADS.map((w) => `${w.title}: ${w.operations} ${w.detail}`).join('; ')}. ` +
        `Reproduce: \`BENCH_ONLY=postgres pnpm bench\`.`,
    );
    out();
    const names = tables[0].results.map((result) => result.name);
    const rows = names.map((name) => [
      name,
      ...tables.map(({ results }) => {
        const result = results.find((r) => r.name === name);
        return `${formatRatio(result.ratio)} (${formatNs(result.nsPerOp)})`;
      }),
    ]);
    out(markdownTable(['contestant', ...tables.map(({ workload }) => workload.title)], rows));
    const ratio = (key, name) => tables.find(({ workload }) => workload.key === key).results.find((r) => r.name === name).ratio;
    for (const { key, title } of POSTGRES_WORKLOADS) {
      target(`PostgreSQL: Picco within 1.2x of raw prepared pg (${title.toLowerCase()})`, ratio(key, 'Picco') <= 1.2, formatRatio(ratio(key, 'Picco')));
    }
    for (const other of ['Drizzle (node-postgres)', 'Kysely (pg)']) {
      const lost = POSTGRES_WORKLOADS.filter(({ key }) => !(ratio(key, 'Picco') < ratio(key, other)));
      target(
        `PostgreSQL: Picco faster than ${other}, unprepared, every workload`,
        lost.length === 0,
        POSTGRES_WORKLOADS.map(({ key, title }) => `${title}: ${formatRatio(ratio(key, 'Picco'))} vs ${formatRatio(ratio(key, other))}`).join('; '),
      );
    }
  }
}

// ---- Targets -------------------------------------------------------------------------------

if (targets.length > 0) {
  out();
  out('## Targets');
  out();
  out(markdownTable(['target', 'result', 'measured'], targets.map((t) => [t.name, t.met ? 'met' : '**missed**', t.detail]), ['l', 'l', 'l']));
}
// ---- Table 3: lint -----------------------------------------------------------------------------
// The lint benchmark measures cold TypeScript programs in fresh processes, so it runs as its own
// script; its tables come through here unchanged.

if (wanted('lint')) {
  log('Lint benchmark (generated project, typed and syntactic passes)...');
  const lintArgs = QUICK ? ['--files', '100', '--repeat', '1'] : ['--files', '1000', '--repeat', '3'];
  const lint = spawnSync(process.execPath, [fileURLToPath(new URL('../hardening/lint-bench/run.mjs', import.meta.url)), ...lintArgs], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (lint.status !== 0) throw new Error(`the lint benchmark failed (exit ${lint.status})`);
  out();
  out(`## 3. Lint (reproduce: \`node hardening/lint-bench/run.mjs ${lintArgs.join(' ')}\`)`);
  out();
  out(lint.stdout.trim());
}
out();
out(`Finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
if (sinkValue() === -1 || asyncSinkValue() === -1 || postgresSinkValue() === -1) out('(impossible sink value)');
