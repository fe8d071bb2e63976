#!/usr/bin/env node
// Runtime under load and fault: concurrent reads, writes, updates and transactions on a file
// database while worker threads are killed at random moments. Afterwards the database must
// pass `PRAGMA integrity_check`, every acknowledged write must be there, and every transaction
// must be all-or-nothing.
//
//   node hardening/soak.mjs [--seconds 20] [--callers 32] [--fault-every-ms 40]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defineTable, integer, isPiccoError, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';

/** A small deterministic generator, so a failing run can be replayed with its seed. */
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

export async function runSoak({ seconds = 20, callers = 32, faultEveryMs = 40, workers = 3, seed = Date.now() } = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'picco-soak-'));
  const engine = new SQLiteEngine({ path: join(folder, 'soak.db'), workers });
  const Ledger = defineTable('ledger', { id: serial(), key: text().unique(), amount: integer() }, { db: engine });
  await Ledger.createTable();
  const next = random(seed);

  const acknowledged = new Map(); // key -> values that may legitimately be stored, last acknowledged first
  const transactions = []; // { keys, acknowledged }
  const stats = { operations: 0, acknowledgedWrites: 0, crashedOperations: 0, faults: 0, otherErrors: [] };
  const deadline = performance.now() + seconds * 1000;

  const faults = setInterval(() => {
    const threads = engine.workerThreads();
    const victim = threads[Math.floor(next() * threads.length)];
    if (victim?.isAlive) {
      stats.faults++;
      void victim.terminate();
    }
  }, faultEveryMs);

  async function caller(id) {
    const mine = [];
    let sequence = 0;
    while (performance.now() < deadline) {
      const roll = next();
      stats.operations++;
      try {
        if (roll < 0.4) {
          const key = `c${id}-${sequence++}`;
          await Ledger.insert({ key, amount: 1 });
          acknowledged.set(key, [1]);
          mine.push(key);
          stats.acknowledgedWrites++;
        } else if (roll < 0.65) {
          await (next() < 0.5 ? Ledger.count() : Ledger.select(Ledger.key).where(Ledger.amount.gt(5)).limit(20));
        } else if (roll < 0.85) {
          const keys = [`c${id}-${sequence++}`, `c${id}-${sequence++}`, `c${id}-${sequence++}`];
          const record = { keys, acknowledged: false };
          transactions.push(record);
          await engine.transaction(async () => {
            for (const key of keys) await Ledger.insert({ key, amount: 2 });
          });
          record.acknowledged = true;
          for (const key of keys) acknowledged.set(key, [2]);
          mine.push(...keys);
          stats.acknowledgedWrites += keys.length;
        } else if (mine.length > 0) {
          const key = mine[Math.floor(next() * mine.length)];
          const amount = 10 + Math.floor(next() * 1000);
          const allowed = acknowledged.get(key);
          allowed.push(amount); // may land even if the worker dies before answering
          await Ledger.update({ amount }).where(Ledger.key.eq(key));
          acknowledged.set(key, [amount]);
          stats.acknowledgedWrites++;
        }
      } catch (error) {
        if (isPiccoError(error, PiccoErrorCode.WORKER_CRASHED)) stats.crashedOperations++;
        else stats.otherErrors.push(error);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: callers }, (_, id) => caller(id)));
  } finally {
    clearInterval(faults);
  }

  // Verify with a fresh, synchronous view of the file.
  const integrity = engine.raw('PRAGMA integrity_check').runSync()[0]?.integrity_check;
  const stored = new Map(Ledger.select(Ledger.key, Ledger.amount).runSync().map((row) => [row.key, row.amount]));
  let lost = 0;
  for (const [key, allowed] of acknowledged) {
    if (!stored.has(key) || !allowed.includes(stored.get(key))) lost++;
  }
  let torn = 0;
  for (const { keys } of transactions) {
    const present = keys.filter((key) => stored.has(key)).length;
    if (present !== 0 && present !== keys.length) torn++;
  }
  await engine.close();
  rmSync(folder, { recursive: true, force: true });
  return { ...stats, seed, integrity, lost, tornTransactions: torn, rows: stored.size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '20' }, callers: { type: 'string', default: '32' }, 'fault-every-ms': { type: 'string', default: '40' }, seed: { type: 'string' } },
  });
  const result = await runSoak({
    seconds: Number(values.seconds),
    callers: Number(values.callers),
    faultEveryMs: Number(values['fault-every-ms']),
    seed: values.seed === undefined ? undefined : Number(values.seed),
  });
  console.log(
    `soak: ${result.operations} operations, ${result.faults} faults injected, ${result.crashedOperations} operations rejected with WORKER_CRASHED, ` +
      `${result.acknowledgedWrites} acknowledged writes, writes lost: ${result.lost}, torn transactions: ${result.tornTransactions}, ` +
      `integrity_check: ${result.integrity}, other errors: ${result.otherErrors.length} (seed ${result.seed})`,
  );
  for (const error of result.otherErrors.slice(0, 5)) console.log('  ', error);
  process.exit(result.lost === 0 && result.tornTransactions === 0 && result.integrity === 'ok' && result.otherErrors.length === 0 ? 0 : 1);
}
