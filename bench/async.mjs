// Table 2: the async engine on a WAL file database.
//
// 2a. Throughput with 1, 16 and 256 concurrent async callers (point selects; inserts, each its
//     own transaction). Baseline: Picco with `workers: 0` (async queries run inline on the main
//     connection). Against it: Picco's worker pool, and Kysely and Drizzle, which run on the main
//     thread (Drizzle on better-sqlite3 is synchronous: its callers are async functions calling it).
// 2b. What a long query does to the event loop: one ~1 s recursive CTE per run, with a 1 ms
//     timer probe and `monitorEventLoopDelay` watching the main thread. Baseline for the
//     query's duration: raw better-sqlite3 on the main thread.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { eq as dEq, sql as dSql } from 'drizzle-orm';
import { sql as kSql } from 'kysely';
import { SQLiteEngine } from '@picco/runtime';
import { QUICK, ROUNDS, compare, concurrently, median, roundOrder, scaled } from './harness.mjs';
import { POOL_WORKERS, USERS, compareRuntime, drizzleOn, drizzleUsers, kyselyOn, openRaw, scatteredId, scratchFolder, seedPicco, seedRaw, userRow } from './setup.mjs';

export const CALLERS = [1, 16, 256];

export const THROUGHPUT_WORKLOADS = [
  { key: 'select', title: 'Point selects by primary key', operations: scaled(20_000) },
  { key: 'insert', title: 'Inserts, each its own transaction', operations: scaled(10_000) },
];

let sink = 0;
export function asyncSinkValue() {
  return sink;
}

function piccoOps(engine, { Users }) {
  return {
    select: async (i) => {
      sink += (await Users.select().where(Users.id.eq(scatteredId(i))).first()).age;
    },
    insert: async (i) => {
      sink += (await Users.insert(userRow(USERS + i))).changes;
    },
    cleanup: () => Users.delete().where(Users.id.gt(USERS)).runSync(),
  };
}

function kyselyOps(db) {
  return {
    select: async (i) => {
      sink += (await db.selectFrom('users').select(['id', 'name', 'age']).where('id', '=', scatteredId(i)).executeTakeFirst()).age;
    },
    insert: async (i) => {
      await db.insertInto('users').values(userRow(USERS + i)).execute();
      sink++;
    },
    cleanup: () => db.deleteFrom('users').where('id', '>', USERS).execute(),
  };
}

function drizzleOps(db) {
  const u = drizzleUsers;
  return {
    select: async (i) => {
      sink += db.select().from(u).where(dEq(u.id, scatteredId(i))).get().age;
    },
    insert: async (i) => {
      sink += db.insert(u).values(userRow(USERS + i)).run().changes;
    },
    cleanup: () => db.run(dSql.raw(`DELETE FROM users WHERE id > ${USERS}`)),
  };
}

/** Throughput tables: `[{ workload, callers, results }]`, results as from `compare` (ratio = time / inline's time). */
export async function runThroughput({ log = () => {} } = {}) {
  const scratch = scratchFolder('async');
  const inline = new SQLiteEngine({ path: scratch.file('picco-inline.db'), workers: 0 });
  const pooled = new SQLiteEngine({ path: scratch.file('picco-pool.db'), workers: POOL_WORKERS });
  const compared = compareRuntime && new compareRuntime.SQLiteEngine({ path: scratch.file('picco-compared.db'), workers: POOL_WORKERS });
  const kyselyDb = kyselyOn(seedRaw(openRaw(scratch.file('kysely.db'))));
  const drizzleDb = drizzleOn(seedRaw(openRaw(scratch.file('drizzle.db'))));
  const inlineOps = piccoOps(inline, seedPicco(inline));
  const pooledOps = piccoOps(pooled, seedPicco(pooled));
  const contestants = [
    { name: 'Picco, workers: 0 (inline)', ops: inlineOps },
    { name: `Picco, worker pool (${POOL_WORKERS} workers)`, ops: pooledOps },
    ...(compared ? [{ name: `Picco, worker pool (${POOL_WORKERS} workers), ${compareRuntime.label}`, ops: piccoOps(compared, seedPicco(compared)) }] : []),
    { name: 'Kysely', ops: kyselyOps(kyselyDb) },
    { name: 'Drizzle (sync, in async callers)', ops: drizzleOps(drizzleDb) },
  ];
  const tables = [];
  try {
    for (const workload of THROUGHPUT_WORKLOADS) {
      for (const callers of CALLERS) {
        log(`  async: ${workload.title}, ${callers} caller(s)`);
        const runs = contestants.map(({ name, ops }) => ({
          name,
          run: (n) => concurrently(callers, n, ops[workload.key]),
          after: workload.key === 'insert' ? ops.cleanup : undefined,
        }));
        tables.push({ workload, callers, results: await compare(runs, workload.operations) });
      }
    }
  } finally {
    await kyselyDb.destroy();
    drizzleDb.$client.close();
    await inline.close();
    await pooled.close();
    await compared?.close();
    scratch.cleanup();
  }
  return tables;
}

// ---- 2b: the event loop during a long query --------------------------------------------------

/** Counts to `n` in a recursive CTE: pure CPU inside SQLite, one row out. */
const LONG_QUERY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT count(*) AS n FROM c';

/** Watches the main thread while `work()` runs: a 1 ms interval probe and monitorEventLoopDelay. */
async function watchEventLoop(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let worstGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 1);
  histogram.enable();
  // Let the probe and the histogram's timer start before the work does.
  await new Promise((resolve) => setTimeout(resolve, 5));
  last = performance.now();
  const started = performance.now();
  await work();
  const queryMs = performance.now() - started;
  // One more turn of the loop, so a probe tick held back by the work is counted.
  await new Promise((resolve) => setTimeout(resolve, 2));
  clearInterval(probe);
  histogram.disable();
  worstGap = Math.max(worstGap, performance.now() - last);
  return { queryMs, probeWorstMs: Math.max(0, worstGap - 1), histogramMaxMs: histogram.max / 1e6 };
}

/**
 * Event-loop table: `{ n, results: [{ name, queryMs, ratio, probeWorstMs, histogramMaxMs, share }] }`,
 * medians over alternating rounds; `ratio` = query time / raw better-sqlite3's in the same round;
 * `share` = worst delay (the larger of the two measures) / the query's own time.
 */
export async function runEventLoop({ log = () => {}, targetMs = QUICK ? 200 : 1000 } = {}) {
  const scratch = scratchFolder('eventloop');
  const raw = seedRaw(openRaw(scratch.file('raw.db')));
  const inline = new SQLiteEngine({ path: scratch.file('picco-inline.db'), workers: 0 });
  const pooled = new SQLiteEngine({ path: scratch.file('picco-pool.db'), workers: POOL_WORKERS });
  seedPicco(inline);
  seedPicco(pooled);
  const kyselyDb = kyselyOn(seedRaw(openRaw(scratch.file('kysely.db'))));
  const drizzleDb = drizzleOn(seedRaw(openRaw(scratch.file('drizzle.db'))));
  try {
    // Calibrate: how far to count for a query of about `targetMs` on this machine.
    const probeN = 200_000;
    const statement = raw.prepare(LONG_QUERY);
    statement.get(probeN);
    const t0 = performance.now();
    statement.get(probeN);
    const n = Math.round((probeN * targetMs) / (performance.now() - t0));
    log(`  event loop: counting to ${n} (~${targetMs} ms)`);
    const check = (row) => {
      if (Number(row.n) !== n) throw new Error(`long query returned ${row.n}, expected ${n}`);
    };
    const contestants = [
      { name: 'better-sqlite3 (main thread)', work: async () => check(statement.get(n)) },
      { name: `Picco, worker pool (${POOL_WORKERS} workers)`, work: async () => check((await pooled.raw(LONG_QUERY, [n]))[0]) },
      { name: 'Picco, workers: 0 (inline)', work: async () => check((await inline.raw(LONG_QUERY, [n]))[0]) },
      { name: 'Drizzle', work: async () => check(drizzleDb.get(dSql`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT count(*) AS n FROM c`)) },
      { name: 'Kysely', work: async () => check((await kSql`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT count(*) AS n FROM c`.execute(kyselyDb)).rows[0]) },
    ];
    // Both Picco engines start their session (and the pool its worker processes) before anything is timed.
    await pooled.raw('SELECT 1');
    await inline.raw('SELECT 1');
    const rounds = QUICK ? 2 : Math.max(3, Math.ceil((ROUNDS - 1) / 2));
    const samples = new Map(contestants.map((contestant) => [contestant, []]));
    for (let round = 0; round < rounds; round++) {
      log(`  event loop: round ${round + 1} of ${rounds}`);
      const measured = new Map();
      for (const contestant of roundOrder(contestants, round)) measured.set(contestant, await watchEventLoop(contestant.work));
      const baseline = measured.get(contestants[0]).queryMs;
      for (const contestant of contestants) {
        const m = measured.get(contestant);
        samples.get(contestant).push({ ...m, ratio: m.queryMs / baseline, share: Math.max(m.probeWorstMs, m.histogramMaxMs) / m.queryMs });
      }
    }
    const results = contestants.map((contestant) => {
      const list = samples.get(contestant);
      const pick = (key) => median(list.map((sample) => sample[key]));
      return {
        name: contestant.name,
        queryMs: pick('queryMs'),
        ratio: pick('ratio'),
        probeWorstMs: pick('probeWorstMs'),
        histogramMaxMs: pick('histogramMaxMs'),
        share: pick('share'),
        worstShare: Math.max(...list.map((sample) => sample.share)),
      };
    });
    return { n, rounds, results };
  } finally {
    await kyselyDb.destroy();
    drizzleDb.$client.close();
    raw.close();
    await inline.close();
    await pooled.close();
    scratch.cleanup();
  }
}
