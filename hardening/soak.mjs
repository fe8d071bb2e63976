#!/usr/bin/env node
// Runtime under load and fault: concurrent reads, writes, updates and transactions on a file
// database while worker processes are killed at random moments, mixed with the misuse patterns
// that used to hang or lose writes: a transaction callback that returns its query, queries
// leaked past their transaction, savepoints with concurrent siblings, synchronous writes against
// a held writer, and engines closed with queries in flight.
//
// Afterwards the database must pass `PRAGMA integrity_check`; every acknowledged write must be
// there (lost: 0); nothing refused or rolled back may be there (phantoms: 0); every transaction
// must be all-or-nothing (torn: 0); and no operation may take longer than the hang limit.
//
//   node hardening/soak.mjs [--seconds 20] [--operations N] [--callers 32] [--fault-every-ms 250] [--close-weight 0.05] [--seed S]
//
// It stops at whichever comes first: the time limit or the number of operations.
//
// Faults: a random worker process is killed (SIGKILL) once the pool's started workers have all
// been up for `--fault-every-ms`. A new worker process takes ~100 ms to start on a quiet 2-core
// machine and several times that under load (worker threads, which the pool used before, started
// in ~20 ms): a fixed fault rate would keep the pool down for most of a run on a busy machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defineTable, integer, isPiccoError, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { createRandom } from './lib/random.mjs';

/** An operation that has not settled after this long counts as a hang. */
const HANG_LIMIT_MS = 15_000;
/** Codes that mean "not applied, or maybe applied if outside a transaction": never a bug by themselves. */
const INTERRUPTED = new Set([PiccoErrorCode.WORKER_CRASHED, PiccoErrorCode.ENGINE_CLOSED]);

class Rollback extends Error {}

const tick = () => new Promise((resolve) => setImmediate(resolve));

export async function runSoak({ seconds = 20, operations = Infinity, callers = 32, faultEveryMs = 250, workers = 3, seed = Date.now(), weights = {} } = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'picco-soak-'));
  const file = join(folder, 'soak.db');
  const engine = new SQLiteEngine({ path: file, workers });
  const ledgerOn = (db) => defineTable('ledger', { id: serial(), key: text().unique(), amount: integer() }, { db });
  const Ledger = ledgerOn(engine);
  await Ledger.createTable();
  const random = createRandom(seed);

  // What the database must hold afterwards.
  const allowedValues = new Map(); // key -> values that may be stored (acknowledged writes must exist)
  const mustNotExist = new Set(); // keys whose writes were refused or rolled back
  const allOrNothing = []; // key groups written by one transaction whose outcome was not acknowledged
  const stats = { operations: 0, acknowledgedWrites: 0, crashedOperations: 0, faults: 0, hangs: 0, otherErrors: [], patterns: {} };
  const deadline = performance.now() + seconds * 1000;
  const running = () => performance.now() < deadline && stats.operations < operations;

  const acknowledge = (key, value) => {
    allowedValues.set(key, [value]);
    stats.acknowledgedWrites++;
  };
  const unexpected = (error) => {
    if (isPiccoError(error) && INTERRUPTED.has(error.code)) stats.crashedOperations++;
    else stats.otherErrors.push(error);
  };

  // One fault at a time: a worker is killed once every started worker has been up for
  // `faultEveryMs`, so that however slowly processes start on this machine, the pool works
  // between faults.
  let upSince;
  const faults = setInterval(() => {
    const workers = engine.workerProcesses();
    if (workers.length === 0 || workers.some((worker) => !worker.isReady)) {
      upSince = undefined;
      return;
    }
    upSince ??= performance.now();
    if (performance.now() - upSince < faultEveryMs) return;
    upSince = undefined;
    stats.faults++;
    void workers[random.int(workers.length)].terminate();
  }, 10);

  /** Each pattern returns when its operation settled; it records what the database must hold. */
  const patterns = {
    async insert(key) {
      await Ledger.insert({ key, amount: 1 });
      acknowledge(key, 1);
    },
    async read() {
      await (random.chance(0.5) ? Ledger.count() : Ledger.select(Ledger.key).where(Ledger.amount.gt(5)).limit(20));
    },
    async transaction(key) {
      const keys = [`${key}-a`, `${key}-b`, `${key}-c`];
      allOrNothing.push(keys);
      await engine.transaction(async () => {
        for (const each of keys) await Ledger.insert({ key: each, amount: 2 });
      });
      for (const each of keys) acknowledge(each, 2);
    },
    async update(key, mine) {
      if (mine.length === 0) return;
      const target = random.pick(mine);
      const amount = 10 + random.int(1000);
      allowedValues.get(target)?.push(amount); // may land even if the worker dies before answering
      await Ledger.update({ amount }).where(Ledger.key.eq(target));
      allowedValues.set(target, [amount]);
      stats.acknowledgedWrites++;
    },
    async returnedQuery(key) {
      // The callback returns its query instead of awaiting it.
      allOrNothing.push([key]);
      const result = await engine.transaction(() => Ledger.insert({ key, amount: 3 }));
      if (result.changes !== 1) throw new Error(`returned query reported ${result.changes} changes`);
      acknowledge(key, 3);
    },
    async savepointWithSibling(key) {
      const nestedKey = `${key}-nested`;
      const siblingKey = `${key}-sibling`;
      const nestedFails = random.chance(0.5);
      let nestedRolledBack = false;
      allOrNothing.push(nestedFails ? [siblingKey] : [siblingKey, nestedKey]);
      if (nestedFails) mustNotExist.add(nestedKey);
      await engine.transaction(() =>
        Promise.all([
          engine
            .transaction(async () => {
              await Ledger.insert({ key: nestedKey, amount: 4 });
              await tick();
              if (nestedFails) throw new Rollback();
            })
            .catch((error) => {
              if (!(error instanceof Rollback)) throw error;
              nestedRolledBack = true;
            }),
          tick().then(() => Ledger.insert({ key: siblingKey, amount: 5 })),
        ]),
      );
      if (nestedFails !== nestedRolledBack) throw new Error('the nested transaction did not end as its callback said');
      acknowledge(siblingKey, 5);
      if (!nestedFails) acknowledge(nestedKey, 4);
    },
    async leakedQuery(key) {
      const leakedKey = `${key}-leaked`;
      mustNotExist.add(leakedKey);
      let open;
      const opened = new Promise((resolve) => (open = resolve));
      let leaked;
      allOrNothing.push([key]);
      await engine.transaction(async () => {
        // A continuation created inside the transaction that runs after it ended.
        leaked = opened.then(() => Ledger.insert({ key: leakedKey, amount: 6 }).run());
        leaked.catch(() => undefined);
        await Ledger.insert({ key, amount: 6 });
      });
      acknowledge(key, 6);
      open();
      try {
        await leaked;
        throw new Error('a query leaked past its transaction ran');
      } catch (error) {
        if (!isPiccoError(error, PiccoErrorCode.TRANSACTION_ENDED)) throw error;
      }
    },
    async syncWrite(key) {
      // A synchronous write while async transactions may hold the writer: it runs or is refused at once.
      try {
        Ledger.insert({ key, amount: 7 }).runSync();
        acknowledge(key, 7);
      } catch (error) {
        if (!isPiccoError(error, PiccoErrorCode.TRANSACTION_CONFLICT)) throw error;
        mustNotExist.add(key);
      }
    },
    async closeMidFlight(key) {
      // A second engine on the same file, closed while its queries are in flight.
      const side = new SQLiteEngine({ path: file, workers: 1 });
      const SideLedger = ledgerOn(side);
      const keys = [`${key}-x`, `${key}-y`, `${key}-z`];
      const writes = keys.map((each) => SideLedger.insert({ key: each, amount: 8 }).run());
      if (random.chance(0.5)) await tick();
      await side.close();
      const outcomes = await Promise.allSettled(writes);
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'fulfilled') acknowledge(keys[index], 8);
        else if (!isPiccoError(outcome.reason) || !INTERRUPTED.has(outcome.reason.code)) throw outcome.reason;
      });
    },
  };
  // How often each pattern runs; `weights` overrides some (a long run makes the costly ones rarer).
  const mix = Object.entries({
    insert: 0.3,
    read: 0.22,
    transaction: 0.12,
    update: 0.08,
    returnedQuery: 0.06,
    savepointWithSibling: 0.06,
    leakedQuery: 0.06,
    syncWrite: 0.05,
    closeMidFlight: 0.05,
    ...weights,
  });
  const totalWeight = mix.reduce((sum, [, weight]) => sum + weight, 0);
  const choose = () => {
    let roll = random.next() * totalWeight;
    for (const [name, weight] of mix) {
      if (roll < weight) return name;
      roll -= weight;
    }
    return 'read';
  };

  async function caller(id) {
    const mine = [];
    let sequence = 0;
    while (running()) {
      const name = choose();
      const key = `c${id}-${sequence++}`;
      stats.operations++;
      stats.patterns[name] = (stats.patterns[name] ?? 0) + 1;
      let timer;
      const hang = new Promise((resolve) => {
        timer = setTimeout(() => resolve('hang'), HANG_LIMIT_MS);
      });
      try {
        const outcome = await Promise.race([patterns[name](key, mine), hang]);
        if (outcome === 'hang') {
          stats.hangs++;
          stats.otherErrors.push(new Error(`${name} did not settle within ${HANG_LIMIT_MS} ms`));
        }
        if (name === 'insert' && allowedValues.has(key)) mine.push(key);
      } catch (error) {
        unexpected(error);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: callers }, (_, id) => caller(id)));
  } finally {
    clearInterval(faults);
  }

  const integrity = engine.raw('PRAGMA integrity_check').runSync()[0]?.integrity_check;
  const stored = new Map(Ledger.select(Ledger.key, Ledger.amount).runSync().map((row) => [row.key, row.amount]));
  let lost = 0;
  for (const [key, allowed] of allowedValues) {
    if (!stored.has(key) || !allowed.includes(stored.get(key))) lost++;
  }
  let phantoms = 0;
  for (const key of mustNotExist) if (stored.has(key)) phantoms++;
  let torn = 0;
  for (const keys of allOrNothing) {
    const present = keys.filter((key) => stored.has(key)).length;
    if (present !== 0 && present !== keys.length) torn++;
  }
  await engine.close();
  rmSync(folder, { recursive: true, force: true });
  return { ...stats, seed, integrity, lost, phantoms, tornTransactions: torn, rows: stored.size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      operations: { type: 'string' },
      callers: { type: 'string', default: '32' },
      'fault-every-ms': { type: 'string', default: '250' },
      'close-weight': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const started = performance.now();
  const result = await runSoak({
    seconds: Number(values.seconds),
    operations: values.operations === undefined ? Infinity : Number(values.operations),
    callers: Number(values.callers),
    faultEveryMs: Number(values['fault-every-ms']),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    weights: values['close-weight'] === undefined ? {} : { closeMidFlight: Number(values['close-weight']) },
  });
  const took = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `soak: ${result.operations} operations in ${took} s, ${result.faults} faults injected, ${result.crashedOperations} operations interrupted (WORKER_CRASHED/ENGINE_CLOSED), ` +
      `${result.acknowledgedWrites} acknowledged writes, writes lost: ${result.lost}, phantom writes: ${result.phantoms}, torn transactions: ${result.tornTransactions}, ` +
      `hangs: ${result.hangs}, integrity_check: ${result.integrity}, other errors: ${result.otherErrors.length} (seed ${result.seed})`,
  );
  console.log(`patterns: ${Object.entries(result.patterns).map(([name, count]) => `${name} ${count}`).join(', ')}`);
  for (const error of result.otherErrors.slice(0, 5)) console.log('  ', error);
  const ok = result.lost === 0 && result.phantoms === 0 && result.tornTransactions === 0 && result.hangs === 0 && result.integrity === 'ok' && result.otherErrors.length === 0;
  process.exit(ok ? 0 : 1);
}
