import { AsyncLocalStorage } from 'node:async_hooks';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

// The measuring machinery every table shares.
//
// A benchmark here is a list of contestants that do the same work. Each round runs every
// contestant once, in an order that rotates and flips from round to round, and every figure
// reported is a median over rounds. Ratios are taken within a round (contestant / baseline,
// the baseline being the first contestant) and the median of those per-round ratios is what
// the tables show: a slow moment of a shared machine then slows the contestants it compares
// together, instead of landing on whichever one happened to run during it.

/**
 * One condition for every table: AsyncLocalStorage switched on from the start. Picco's async
 * transactions use an AsyncLocalStorage, and on Node 20 the first `run()` of any ALS turns on
 * promise hooks for the whole process, for good: from then on every promise costs more, Picco's
 * and Kysely's alike (~15% of a Kysely point select, measured). Left alone, that would happen
 * in the middle of the first table and tables run alone (`BENCH_ONLY`) would differ from a full
 * run. Applications using Picco's async transactions (or OpenTelemetry, or request contexts)
 * run in this condition anyway.
 */
new AsyncLocalStorage().run(true, () => {});

/** `BENCH_QUICK=1`: a smoke run with few rounds and small counts (seconds, not minutes). */
export const QUICK = process.env.BENCH_QUICK === '1';

/** Rounds whose medians are reported; `BENCH_ROUNDS` overrides. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 7));

/** Rounds run first and thrown away, so that every contestant is warm (JIT, caches) before counting. */
export const WARMUP_ROUNDS = 1;

/** A count for a full run, divided by ten (at least `min`) for a quick one. */
export function scaled(full, min = 1) {
  return QUICK ? Math.max(min, Math.round(full / 10)) : full;
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Round `round`'s running order: a shuffle seeded by the round number. Not a rotation: rotating
 * (or reversing) keeps every contestant next to the same neighbours in every round, and then
 * one contestant's leftovers (garbage, native finalizers, SQLite's page cache) always land on
 * the same other one.
 */
export function roundOrder(items, round) {
  const order = [...items];
  let state = (round + 1) * 2654435761;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [order[index], order[other]] = [order[other], order[index]];
  }
  return order;
}

/**
 * A young-generation garbage collection, run at the end of every timed run and counted in it:
 * each contestant pays for its own short-lived garbage and for the finalizers of the native
 * objects it dropped (better-sqlite3 statements prepared per call are freed there), instead of
 * leaving that bill to whichever contestant runs next. Not a full collection: that would also
 * shrink the heap, and the next contestant would pay to grow it again.
 * `pnpm bench` starts node without flags, so `--expose-gc` is switched on from here.
 */
const collectYoungGarbage = (() => {
  if (process.env.BENCH_NO_SETTLE === '1') return () => {};
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : (v8.setFlagsFromString('--expose-gc'), vm.runInNewContext('gc'));
  return () => gc({ type: 'minor' });
})();

/**
 * Times `run(operations)` for each contestant over alternating rounds.
 *
 * - `contestants`: `[{ name, run(operations), after?(), share? }]`; `run` may return a promise.
 *   The first contestant is the baseline. `after` runs untimed after each of the contestant's
 *   runs (to delete what an insert benchmark added, say). `share` (default 1) scales the
 *   operations a very slow contestant runs per round, to keep the whole run short; its figures
 *   are per operation like everyone's.
 * - Returns `[{ name, nsPerOp, ratio }]`: `nsPerOp` is the median over rounds, `ratio` the
 *   median over rounds of (this contestant's time / the baseline's time in the same round).
 */
export async function compare(contestants, operations, { rounds = ROUNDS, warmup = WARMUP_ROUNDS } = {}) {
  const samples = new Map(contestants.map((contestant) => [contestant, []]));
  const gc = gcRecorder();
  for (let round = 0; round < warmup + rounds; round++) {
    const times = new Map();
    for (const contestant of roundOrder(contestants, round)) {
      const startedAt = performance.now();
      const started = process.hrtime.bigint();
      const pending = contestant.run(operationsOf(contestant, operations));
      if (pending !== undefined && typeof pending.then === 'function') await pending;
      collectYoungGarbage();
      times.set(contestant, { ns: Number(process.hrtime.bigint() - started), window: [startedAt, performance.now()] });
      if (contestant.after !== undefined) await contestant.after();
    }
    if (round < warmup) continue;
    const baseline = times.get(contestants[0]).ns / operationsOf(contestants[0], operations);
    for (const contestant of contestants) {
      const { ns, window } = times.get(contestant);
      const nsPerOp = ns / operationsOf(contestant, operations);
      samples.get(contestant).push({ nsPerOp, ratio: nsPerOp / baseline, window });
    }
  }
  const gcEntries = await gc.stop();
  return contestants.map((contestant) => {
    const list = samples.get(contestant);
    return {
      name: contestant.name,
      nsPerOp: median(list.map((sample) => sample.nsPerOp)),
      ratio: median(list.map((sample) => sample.ratio)),
      // Share of the contestant's measured time spent in V8's garbage collector (diagnostic).
      gcShare: median(list.map(({ window: [from, to] }) => gcEntries.filter((e) => e.startTime >= from && e.startTime < to).reduce((sum, e) => sum + e.duration, 0) / (to - from))),
    };
  });
}

function operationsOf(contestant, operations) {
  return Math.max(1, Math.round(operations * (contestant.share ?? 1)));
}

/** Collects V8's garbage-collection events (PerformanceObserver 'gc') until `stop()`. */
function gcRecorder() {
  const entries = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop() {
      await new Promise((resolve) => setImmediate(resolve));
      entries.push(...observer.takeRecords());
      observer.disconnect();
      return entries;
    },
  };
}

/** Runs `total` operations `op(i)` with `callers` concurrent async callers taking the next index in turn. */
export async function concurrently(callers, total, op) {
  let next = 0;
  const caller = async () => {
    while (next < total) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(callers, total) }, caller));
}

// ---- printing ---------------------------------------------------------------------------

/** A markdown table; `align` is 'l' or 'r' per column. */
export function markdownTable(header, rows, align = header.map((_, index) => (index === 0 ? 'l' : 'r'))) {
  const lines = [`| ${header.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** 1234.5 ns -> "1.23 µs"; keeps three significant digits. */
export function formatNs(ns) {
  if (!Number.isFinite(ns)) return 'n/a';
  if (ns >= 1e9) return `${(ns / 1e9).toPrecision(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${ns.toPrecision(3)} ns`;
}

export function formatRatio(ratio) {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'n/a';
}

export function formatRate(opsPerSecond) {
  if (opsPerSecond >= 1e6) return `${(opsPerSecond / 1e6).toPrecision(3)}M/s`;
  if (opsPerSecond >= 1e3) return `${(opsPerSecond / 1e3).toPrecision(3)}k/s`;
  return `${opsPerSecond.toPrecision(3)}/s`;
}
