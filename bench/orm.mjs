// Table 1: the same five workloads through raw better-sqlite3, Picco, Drizzle and Kysely, on an
// in-memory database and on a WAL file database. Every contestant has its own database, created
// with the same schema and the same rows (see setup.mjs). Baseline: raw better-sqlite3 with
// statements prepared once.
import { and as dAnd, avg as dAvg, count as dCount, eq as dEq, gte as dGte, lt as dLt, max as dMax, sql as dSql } from 'drizzle-orm';
import { and, avg, count, max, param } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { compare, scaled } from './harness.mjs';
import {
  POOL_WORKERS,
  USERS,
  drizzleOn,
  drizzlePosts,
  drizzleUsers,
  kyselyOn,
  openRaw,
  scatteredId,
  scratchFolder,
  seedPicco,
  seedRaw,
  userRow,
} from './setup.mjs';

export const RANGE_ROWS = 1_000;

/** The workloads: what one operation is, and how many run per round. */
export const WORKLOADS = [
  { key: 'insert', title: 'Insert', detail: '10k rows in one transaction', operations: scaled(10_000), unit: 'row' },
  { key: 'byId', title: 'Select by id', detail: '20k point selects by primary key', operations: scaled(20_000), unit: 'query' },
  { key: 'range', title: `Select ${RANGE_ROWS / 1000}k rows`, detail: `200 selects of ${RANGE_ROWS} rows (\`id >= ? AND id < ?\`)`, operations: scaled(200, 5), unit: 'query' },
  { key: 'update', title: 'Update by id', detail: '10k updates by primary key, each its own transaction', operations: scaled(10_000), unit: 'row' },
  { key: 'join', title: 'Join', detail: '10k two-table joins: one user and its 3 posts', operations: scaled(10_000), unit: 'query' },
  { key: 'aggregate', title: 'Aggregate', detail: `2k aggregates (count, avg, max) over ${RANGE_ROWS} rows`, operations: scaled(2_000, 5), unit: 'query' },
];

const SQL = {
  insert: 'INSERT INTO users (name, age) VALUES (?, ?)',
  byId: 'SELECT id, name, age FROM users WHERE id = ?',
  range: 'SELECT id, name, age FROM users WHERE id >= ? AND id < ?',
  update: 'UPDATE users SET age = ? WHERE id = ?',
  join: 'SELECT users.id, users.name, posts.id AS post_id, posts.title FROM users JOIN posts ON posts.user_id = users.id WHERE users.id = ?',
  aggregate: 'SELECT COUNT(*) AS n, AVG(age) AS mean, MAX(name) AS last FROM users WHERE id >= ? AND id < ?',
  cleanup: `DELETE FROM users WHERE id > ${USERS}`,
};

/** Where range query `i` starts: a different window each time, always fully inside the table. */
function rangeStart(i) {
  return ((i * 997) % (USERS - RANGE_ROWS)) + 1;
}

// Results are summed into a sink that is printed if it is ever impossible, so that no engine
// can skip work whose result is unused.
let sink = 0;
export function sinkValue() {
  return sink;
}

/** Picco's aggregate: the row of SQL.aggregate. */
function ageStats(Users, from) {
  return Users.select(count().as('n'), avg(Users.age).as('mean'), max(Users.name).as('last'))
    .where(and(Users.id.gte(from), Users.id.lt(from + RANGE_ROWS)))
    .first();
}

/** Picco's join: one user (through the foreign key) and its posts, the rows of SQL.join. */
function userPosts(Posts, userId) {
  return Posts.select(Posts.user_id.id, Posts.user_id.name, Posts.id.as('post_id'), Posts.title).where(Posts.user_id.id.eq(userId));
}

function rawPrepared(db) {
  const statements = Object.fromEntries(Object.entries(SQL).map(([key, sql]) => [key, db.prepare(sql)]));
  const insertAll = db.transaction((first, n) => {
    for (let i = 0; i < n; i++) {
      const { name, age } = userRow(first + i);
      statements.insert.run(name, age);
    }
  });
  return {
    insert: (n) => insertAll(USERS, n),
    byId: (n) => {
      for (let i = 0; i < n; i++) sink += statements.byId.get(scatteredId(i)).age;
    },
    range: (n) => {
      for (let i = 0; i < n; i++) sink += statements.range.all(rangeStart(i), rangeStart(i) + RANGE_ROWS).length;
    },
    update: (n) => {
      for (let i = 0; i < n; i++) sink += statements.update.run(i % 90, scatteredId(i)).changes;
    },
    join: (n) => {
      for (let i = 0; i < n; i++) sink += statements.join.all(scatteredId(i)).length;
    },
    aggregate: (n) => {
      for (let i = 0; i < n; i++) sink += statements.aggregate.get(rangeStart(i), rangeStart(i) + RANGE_ROWS).n;
    },
    cleanup: () => statements.cleanup.run(),
  };
}

function rawUnprepared(db) {
  const insertAll = db.transaction((first, n) => {
    for (let i = 0; i < n; i++) {
      const { name, age } = userRow(first + i);
      db.prepare(SQL.insert).run(name, age);
    }
  });
  return {
    insert: (n) => insertAll(USERS, n),
    byId: (n) => {
      for (let i = 0; i < n; i++) sink += db.prepare(SQL.byId).get(scatteredId(i)).age;
    },
    range: (n) => {
      for (let i = 0; i < n; i++) sink += db.prepare(SQL.range).all(rangeStart(i), rangeStart(i) + RANGE_ROWS).length;
    },
    update: (n) => {
      for (let i = 0; i < n; i++) sink += db.prepare(SQL.update).run(i % 90, scatteredId(i)).changes;
    },
    join: (n) => {
      for (let i = 0; i < n; i++) sink += db.prepare(SQL.join).all(scatteredId(i)).length;
    },
    aggregate: (n) => {
      for (let i = 0; i < n; i++) sink += db.prepare(SQL.aggregate).get(rangeStart(i), rangeStart(i) + RANGE_ROWS).n;
    },
    cleanup: () => db.prepare(SQL.cleanup).run(),
  };
}

function piccoSync(engine, { Users, Posts }) {
  return {
    insert: (n) =>
      engine.transactionSync(() => {
        for (let i = 0; i < n; i++) Users.insert(userRow(USERS + i)).runSync();
      }),
    byId: (n) => {
      for (let i = 0; i < n; i++) sink += Users.select().where(Users.id.eq(scatteredId(i))).first().runSync().age;
    },
    range: (n) => {
      for (let i = 0; i < n; i++) {
        sink += Users.select()
          .where(and(Users.id.gte(rangeStart(i)), Users.id.lt(rangeStart(i) + RANGE_ROWS)))
          .runSync().length;
      }
    },
    update: (n) => {
      for (let i = 0; i < n; i++) sink += Users.update({ age: i % 90 }).where(Users.id.eq(scatteredId(i))).runSync().changes;
    },
    // The join builder: the user's columns through the posts' foreign key (one LEFT JOIN).
    join: (n) => {
      for (let i = 0; i < n; i++) sink += userPosts(Posts, scatteredId(i)).runSync().length;
    },
    aggregate: (n) => {
      for (let i = 0; i < n; i++) sink += ageStats(Users, rangeStart(i)).runSync().n;
    },
    cleanup: () => Users.delete().where(Users.id.gt(USERS)).runSync(),
  };
}

function piccoAsync(engine, { Users, Posts }) {
  return {
    insert: (n) =>
      engine.transaction(async () => {
        for (let i = 0; i < n; i++) await Users.insert(userRow(USERS + i));
      }),
    byId: async (n) => {
      for (let i = 0; i < n; i++) sink += (await Users.select().where(Users.id.eq(scatteredId(i))).first()).age;
    },
    range: async (n) => {
      for (let i = 0; i < n; i++) {
        sink += (await Users.select().where(and(Users.id.gte(rangeStart(i)), Users.id.lt(rangeStart(i) + RANGE_ROWS)))).length;
      }
    },
    update: async (n) => {
      for (let i = 0; i < n; i++) sink += (await Users.update({ age: i % 90 }).where(Users.id.eq(scatteredId(i)))).changes;
    },
    join: async (n) => {
      for (let i = 0; i < n; i++) sink += (await userPosts(Posts, scatteredId(i))).length;
    },
    aggregate: async (n) => {
      for (let i = 0; i < n; i++) sink += (await ageStats(Users, rangeStart(i))).n;
    },
    cleanup: () => Users.delete().where(Users.id.gt(USERS)).runSync(),
  };
}

/**
 * Picco's prepared queries (`query.prepare()` with `param()`): built and compiled once, then
 * run with values. `run` is `'runSync'` or `'run'` (awaited).
 */
function piccoPrepared(engine, { Users, Posts }, mode) {
  const insert = Users.insert({ name: param('name'), age: param('age') }).prepare();
  const byId = Users.select().where(Users.id.eq(param('id'))).first().prepare();
  const range = Users.select().where(and(Users.id.gte(param('from')), Users.id.lt(param('to')))).prepare();
  const update = Users.update({ age: param('age') }).where(Users.id.eq(param('id'))).prepare();
  const join = Posts.select(Posts.user_id.id, Posts.user_id.name, Posts.id.as('post_id'), Posts.title).where(Posts.user_id.id.eq(param('id'))).prepare();
  const aggregate = Users.select(count().as('n'), avg(Users.age).as('mean'), max(Users.name).as('last'))
    .where(and(Users.id.gte(param('from')), Users.id.lt(param('to'))))
    .first()
    .prepare();
  const cleanup = () => Users.delete().where(Users.id.gt(USERS)).runSync();
  if (mode === 'runSync') {
    return {
      insert: (n) =>
        engine.transactionSync(() => {
          for (let i = 0; i < n; i++) insert.runSync(userRow(USERS + i));
        }),
      byId: (n) => {
        for (let i = 0; i < n; i++) sink += byId.runSync({ id: scatteredId(i) }).age;
      },
      range: (n) => {
        for (let i = 0; i < n; i++) sink += range.runSync({ from: rangeStart(i), to: rangeStart(i) + RANGE_ROWS }).length;
      },
      update: (n) => {
        for (let i = 0; i < n; i++) sink += update.runSync({ age: i % 90, id: scatteredId(i) }).changes;
      },
      join: (n) => {
        for (let i = 0; i < n; i++) sink += join.runSync({ id: scatteredId(i) }).length;
      },
      aggregate: (n) => {
        for (let i = 0; i < n; i++) sink += aggregate.runSync({ from: rangeStart(i), to: rangeStart(i) + RANGE_ROWS }).n;
      },
      cleanup,
    };
  }
  return {
    insert: (n) =>
      engine.transaction(async () => {
        for (let i = 0; i < n; i++) await insert.run(userRow(USERS + i));
      }),
    byId: async (n) => {
      for (let i = 0; i < n; i++) sink += (await byId.run({ id: scatteredId(i) })).age;
    },
    range: async (n) => {
      for (let i = 0; i < n; i++) sink += (await range.run({ from: rangeStart(i), to: rangeStart(i) + RANGE_ROWS })).length;
    },
    update: async (n) => {
      for (let i = 0; i < n; i++) sink += (await update.run({ age: i % 90, id: scatteredId(i) })).changes;
    },
    join: async (n) => {
      for (let i = 0; i < n; i++) sink += (await join.run({ id: scatteredId(i) })).length;
    },
    aggregate: async (n) => {
      for (let i = 0; i < n; i++) sink += (await aggregate.run({ from: rangeStart(i), to: rangeStart(i) + RANGE_ROWS })).n;
    },
    cleanup,
  };
}

function drizzlePlain(db) {
  const u = drizzleUsers;
  const p = drizzlePosts;
  return {
    insert: (n) =>
      db.transaction((tx) => {
        for (let i = 0; i < n; i++) tx.insert(u).values(userRow(USERS + i)).run();
      }),
    byId: (n) => {
      for (let i = 0; i < n; i++) sink += db.select().from(u).where(dEq(u.id, scatteredId(i))).get().age;
    },
    range: (n) => {
      for (let i = 0; i < n; i++) {
        sink += db
          .select()
          .from(u)
          .where(dAnd(dGte(u.id, rangeStart(i)), dLt(u.id, rangeStart(i) + RANGE_ROWS)))
          .all().length;
      }
    },
    update: (n) => {
      for (let i = 0; i < n; i++) sink += db.update(u).set({ age: i % 90 }).where(dEq(u.id, scatteredId(i))).run().changes;
    },
    join: (n) => {
      for (let i = 0; i < n; i++) {
        sink += db
          .select({ id: u.id, name: u.name, postId: p.id, title: p.title })
          .from(u)
          .innerJoin(p, dEq(p.userId, u.id))
          .where(dEq(u.id, scatteredId(i)))
          .all().length;
      }
    },
    aggregate: (n) => {
      for (let i = 0; i < n; i++) {
        sink += db
          .select({ n: dCount(), mean: dAvg(u.age), last: dMax(u.name) })
          .from(u)
          .where(dAnd(dGte(u.id, rangeStart(i)), dLt(u.id, rangeStart(i) + RANGE_ROWS)))
          .get().n;
      }
    },
    cleanup: () => db.run(dSql.raw(SQL.cleanup)),
  };
}

function drizzlePrepared(db) {
  const u = drizzleUsers;
  const p = drizzlePosts;
  const ph = dSql.placeholder;
  const insert = db.insert(u).values({ name: ph('name'), age: ph('age') }).prepare();
  const byId = db.select().from(u).where(dEq(u.id, ph('id'))).prepare();
  const range = db.select().from(u).where(dAnd(dGte(u.id, ph('from')), dLt(u.id, ph('to')))).prepare();
  const update = db.update(u).set({ age: ph('age') }).where(dEq(u.id, ph('id'))).prepare();
  const join = db
    .select({ id: u.id, name: u.name, postId: p.id, title: p.title })
    .from(u)
    .innerJoin(p, dEq(p.userId, u.id))
    .where(dEq(u.id, ph('id')))
    .prepare();
  const aggregate = db
    .select({ n: dCount(), mean: dAvg(u.age), last: dMax(u.name) })
    .from(u)
    .where(dAnd(dGte(u.id, ph('from')), dLt(u.id, ph('to'))))
    .prepare();
  return {
    insert: (n) =>
      db.transaction(() => {
        for (let i = 0; i < n; i++) insert.run(userRow(USERS + i));
      }),
    byId: (n) => {
      for (let i = 0; i < n; i++) sink += byId.get({ id: scatteredId(i) }).age;
    },
    range: (n) => {
      for (let i = 0; i < n; i++) sink += range.all({ from: rangeStart(i), to: rangeStart(i) + RANGE_ROWS }).length;
    },
    update: (n) => {
      for (let i = 0; i < n; i++) sink += update.run({ age: i % 90, id: scatteredId(i) }).changes;
    },
    join: (n) => {
      for (let i = 0; i < n; i++) sink += join.all({ id: scatteredId(i) }).length;
    },
    aggregate: (n) => {
      for (let i = 0; i < n; i++) sink += aggregate.get({ from: rangeStart(i), to: rangeStart(i) + RANGE_ROWS }).n;
    },
    cleanup: () => db.run(dSql.raw(SQL.cleanup)),
  };
}

function kysely(db) {
  return {
    insert: (n) =>
      db.transaction().execute(async (trx) => {
        for (let i = 0; i < n; i++) await trx.insertInto('users').values(userRow(USERS + i)).execute();
      }),
    byId: async (n) => {
      for (let i = 0; i < n; i++) {
        sink += (await db.selectFrom('users').select(['id', 'name', 'age']).where('id', '=', scatteredId(i)).executeTakeFirst()).age;
      }
    },
    range: async (n) => {
      for (let i = 0; i < n; i++) {
        const rows = await db
          .selectFrom('users')
          .select(['id', 'name', 'age'])
          .where('id', '>=', rangeStart(i))
          .where('id', '<', rangeStart(i) + RANGE_ROWS)
          .execute();
        sink += rows.length;
      }
    },
    update: async (n) => {
      for (let i = 0; i < n; i++) {
        sink += Number((await db.updateTable('users').set({ age: i % 90 }).where('id', '=', scatteredId(i)).executeTakeFirst()).numUpdatedRows);
      }
    },
    join: async (n) => {
      for (let i = 0; i < n; i++) {
        const rows = await db
          .selectFrom('users')
          .innerJoin('posts', 'posts.user_id', 'users.id')
          .select(['users.id', 'users.name', 'posts.id as post_id', 'posts.title'])
          .where('users.id', '=', scatteredId(i))
          .execute();
        sink += rows.length;
      }
    },
    aggregate: async (n) => {
      for (let i = 0; i < n; i++) {
        const row = await db
          .selectFrom('users')
          .select((eb) => [eb.fn.countAll().as('n'), eb.fn.avg('age').as('mean'), eb.fn.max('name').as('last')])
          .where('id', '>=', rangeStart(i))
          .where('id', '<', rangeStart(i) + RANGE_ROWS)
          .executeTakeFirst();
        sink += Number(row.n);
      }
    },
    cleanup: () => db.deleteFrom('users').where('id', '>', USERS).execute(),
  };
}

/**
 * Opens and seeds every contestant's database for one kind of database: `memory` (`:memory:`;
 * Picco's async form needs `':memory:?cache=shared'`) or `file` (WAL). Every contestant gets a
 * database (and a file) of its own: contestants sharing one would double its write traffic and
 * its WAL, which slows its reads.
 * Returns `{ contestants: [{ name, impl }], close() }`.
 */
async function openContestants(kind) {
  const scratch = kind === 'file' ? scratchFolder('orm') : undefined;
  const path = (name) => (kind === 'file' ? scratch.file(`${name}.db`) : ':memory:');
  const closers = [];
  const raw = (name) => {
    const db = seedRaw(openRaw(path(name)));
    closers.push(() => db.open && db.close());
    return db;
  };
  const picco = (name, options) => {
    const engine = new SQLiteEngine({ path: kind === 'file' ? path(name) : ':memory:?cache=shared', ...options });
    closers.push(() => engine.close());
    return [engine, seedPicco(engine)];
  };
  const kyselyDb = kyselyOn(raw('kysely'));
  closers.unshift(() => kyselyDb.destroy());
  const contestants = [
    { name: 'better-sqlite3, prepared once', impl: rawPrepared(raw('raw-prepared')) },
    { name: 'better-sqlite3, prepared per call', impl: rawUnprepared(raw('raw-unprepared')) },
    { name: 'Picco runSync', impl: piccoSync(...picco('picco-sync')) },
    { name: 'Picco prepared, runSync', impl: piccoPrepared(...picco('picco-prepared'), 'runSync') },
  ];
  if (kind === 'memory') {
    contestants.push({ name: "Picco async (':memory:?cache=shared')", impl: piccoAsync(...picco('picco-async')) });
    contestants.push({ name: "Picco prepared, async (':memory:?cache=shared')", impl: piccoPrepared(...picco('picco-prepared-async'), 'run') });
  } else {
    const [pooled, pooledTables] = picco('picco-pool', { workers: POOL_WORKERS });
    contestants.push(
      { name: 'Picco async, workers: 0 (inline)', impl: piccoAsync(...picco('picco-inline', { workers: 0 })) },
      // One round trip to a worker process per awaited query (40-200 µs on this VM): a quarter of the operations
      // per round measures it just as well and keeps the run short.
      { name: `Picco async, worker pool (${POOL_WORKERS} workers)`, impl: piccoAsync(pooled, pooledTables), share: 0.25 },
    );
  }
  contestants.push(
    { name: 'Drizzle', impl: drizzlePlain(drizzleOn(raw('drizzle'))) },
    { name: 'Drizzle, .prepare()d', impl: drizzlePrepared(drizzleOn(raw('drizzle-prepared'))) },
    { name: 'Kysely (async)', impl: kysely(kyselyDb) },
  );
  return {
    contestants,
    async close() {
      for (const close of closers) await close();
      scratch?.cleanup();
    },
  };
}

/** Runs every workload on one kind of database; returns `[{ workload, results }]`. */
export async function runOrmBenchmarks(kind, { log = () => {}, only } = {}) {
  const { contestants, close } = await openContestants(kind);
  const tables = [];
  try {
    for (const workload of WORKLOADS) {
      if (only !== undefined && !only.includes(workload.key)) continue;
      log(`  ${kind}: ${workload.title}`);
      const runs = contestants.map(({ name, impl, share }) => ({
        name,
        share: workload.key === 'range' ? 1 : share,
        run: impl[workload.key],
        after: workload.key === 'insert' ? impl.cleanup : undefined,
      }));
      tables.push({ workload, results: await compare(runs, workload.operations) });
    }
  } finally {
    await close();
  }
  return tables;
}
