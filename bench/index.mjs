// `pnpm bench`: Picco against raw better-sqlite3 on the same data, as ratios measured in one
// run. Rounds alternate between contestants and the median round counts, so that a noisy,
// shared machine slows both sides alike.
import Database from 'better-sqlite3';
import { defineTable, integer, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROWS = 10_000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs each contestant once per round, in alternating order; returns median ns per operation. */
function compare(contestants, operations) {
  const samples = new Map(contestants.map(({ name }) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? contestants : [...contestants].reverse();
    for (const { name, run } of order) {
      const started = process.hrtime.bigint();
      run(operations);
      samples.get(name).push(Number(process.hrtime.bigint() - started) / operations);
    }
  }
  return contestants.map(({ name }) => ({ name, nsPerOp: median(samples.get(name)) }));
}

function setup() {
  const raw = new Database(':memory:');
  const engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
  const ddl = 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER NOT NULL)';
  raw.exec(ddl);
  const Users = defineTable('users', { id: serial(), name: text(), age: integer() }, { db: engine });
  Users.createTable().runSync();
  const insertRaw = raw.prepare('INSERT INTO users (name, age) VALUES (?, ?)');
  raw.transaction(() => {
    for (let i = 0; i < ROWS; i++) insertRaw.run(`user${i}`, i % 90);
  })();
  engine.transactionSync(() => {
    for (let i = 0; i < ROWS; i++) Users.insert({ name: `user${i}`, age: i % 90 }).runSync();
  });
  return { raw, engine, Users };
}

const { raw, engine, Users } = setup();
const selectRaw = raw.prepare('SELECT id, name, age FROM users WHERE id = ?');
const insertRaw = raw.prepare('INSERT INTO users (name, age) VALUES (?, ?)');
let sink = 0;

const selectById = compare(
  [
    { name: 'better-sqlite3, prepared once', run: (n) => { for (let i = 0; i < n; i++) sink += selectRaw.get((i % ROWS) + 1).age; } },
    { name: 'Picco runSync', run: (n) => { for (let i = 0; i < n; i++) sink += Users.select().where(Users.id.eq((i % ROWS) + 1)).first().runSync().age; } },
  ],
  20_000,
);
const insert = compare(
  [
    { name: 'better-sqlite3, prepared once', run: (n) => raw.transaction(() => { for (let i = 0; i < n; i++) insertRaw.run('bench', i); })() },
    { name: 'Picco runSync', run: (n) => engine.transactionSync(() => { for (let i = 0; i < n; i++) Users.insert({ name: 'bench', age: i }).runSync(); }) },
  ],
  10_000,
);

function table(title, results) {
  const baseline = results[0].nsPerOp;
  console.log(`\n${title}`);
  console.log('| contestant | ns/op (median) | ratio to baseline |');
  console.log('|---|---:|---:|');
  for (const { name, nsPerOp } of results) console.log(`| ${name} | ${nsPerOp.toFixed(0)} | ${(nsPerOp / baseline).toFixed(2)}x |`);
}

console.log(`Node ${process.version}, ${ROUNDS} alternating rounds, medians; :memory: databases of ${ROWS} rows.`);
table('Select by primary key (20k per round)', selectById);
table('Insert, 10k in one transaction per round', insert);
await engine.close();
raw.close();
if (sink === -1) console.log(sink);
