// Table 4: Picco on PostgreSQL against raw `pg` (named prepared statements: the baseline), raw
// `pg` unnamed, Drizzle (node-postgres) and Kysely (pg), on the same private server.
//
// Every contestant has a schema of its own on one server, made by Picco's own PostgreSQL DDL
// (so the tables, keys and indexes are the same), with the same rows, and a pool of POOL_SIZE
// connections. One caller at a time for point selects, inserts (each its own statement, so its
// own commit) and joins; then 64 concurrent callers doing point selects through the pool.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { drizzle } from 'drizzle-orm/node-postgres';
import { eq as dEq, sql as dSql } from 'drizzle-orm';
import { integer as dInteger, pgTable, serial as dSerial, text as dText } from 'drizzle-orm/pg-core';
import { PostgresEngine } from '@picco/postgres';
import { compare, concurrently, scaled } from './harness.mjs';
import { piccoTables, POSTS_PER_USER, scatteredId, USERS, userRow } from './setup.mjs';
import { startBenchServer } from './postgres-server.mjs';

export const POOL_SIZE = 10;
export const CONCURRENT_CALLERS = 64;

export const POSTGRES_WORKLOADS = [
  { key: 'byId', title: 'Select by id', operations: scaled(2_000, 50), detail: 'point selects by primary key, one caller' },
  { key: 'insert', title: 'Insert', operations: scaled(300, 20), detail: 'single-row inserts, each its own commit, one caller' },
  { key: 'join', title: 'Join', operations: scaled(2_000, 50), detail: 'one user and its 3 posts (a two-table join), one caller' },
  { key: 'concurrent', title: `${CONCURRENT_CALLERS} callers`, operations: scaled(4_000, 100), detail: `point selects by ${CONCURRENT_CALLERS} concurrent callers through the pool` },
];

const SQL = {
  byId: 'SELECT id, name, age FROM users WHERE id = $1',
  insert: 'INSERT INTO users (name, age) VALUES ($1, $2)',
  join: 'SELECT users.id, users.name, posts.id AS post_id, posts.title FROM users JOIN posts ON posts.user_id = users.id WHERE users.id = $1',
  cleanup: `DELETE FROM users WHERE id > ${USERS}`,
};

let sink = 0;
export function postgresSinkValue() {
  return sink;
}

/** A schema of its own with Picco's tables and the rows; a connection string whose sessions work in it. */
async function seededSchema(url, label) {
  const schema = `bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const target = new URL(url);
  target.searchParams.set('options', `-c search_path=${schema}`);
  const engine = new PostgresEngine({ connectionString: target.toString(), max: 1 });
  const { Users, Posts } = piccoTables(engine);
  await Users.createTable();
  await Posts.createTable();
  await engine.raw(`INSERT INTO users (name, age) SELECT 'user' || (i - 1), (i - 1) % 90 FROM generate_series(1, ${USERS}) AS i`);
  await engine.raw(
    `INSERT INTO posts (user_id, title) SELECT (i / ${POSTS_PER_USER}) + 1, 'post ' || i || ' of user ' || ((i / ${POSTS_PER_USER}) + 1) FROM generate_series(0, ${USERS * POSTS_PER_USER - 1}) AS i`,
  );
  await engine.raw('ANALYZE');
  await engine.close();
  return target.toString();
}

function rawPg(pool, named) {
  const query = (key, values) => pool.query(named ? { name: key, text: SQL[key], values } : { text: SQL[key], values });
  return {
    byId: async (n) => {
      for (let i = 0; i < n; i++) sink += (await query('byId', [scatteredId(i)])).rows[0].age;
    },
    insert: async (n) => {
      for (let i = 0; i < n; i++) {
        const { name, age } = userRow(USERS + i);
        sink += (await query('insert', [name, age])).rowCount;
      }
    },
    join: async (n) => {
      for (let i = 0; i < n; i++) sink += (await query('join', [scatteredId(i)])).rows.length;
    },
    concurrent: (n) => concurrently(CONCURRENT_CALLERS, n, async (i) => (sink += (await query('byId', [scatteredId(i)])).rows[0].age)),
    cleanup: () => pool.query(SQL.cleanup),
  };
}

function picco(engine) {
  const { Users, Posts } = piccoTables(engine);
  const byId = (id) => Users.select().where(Users.id.eq(id)).first();
  return {
    byId: async (n) => {
      for (let i = 0; i < n; i++) sink += (await byId(scatteredId(i))).age;
    },
    insert: async (n) => {
      for (let i = 0; i < n; i++) sink += (await Users.insert(userRow(USERS + i))).changes;
    },
    join: async (n) => {
      for (let i = 0; i < n; i++) {
        sink += (await Posts.select(Posts.user_id.id, Posts.user_id.name, Posts.id.as('post_id'), Posts.title).where(Posts.user_id.id.eq(scatteredId(i)))).length;
      }
    },
    concurrent: (n) => concurrently(CONCURRENT_CALLERS, n, async (i) => (sink += (await byId(scatteredId(i))).age)),
    cleanup: () => Users.delete().where(Users.id.gt(USERS)),
  };
}

const dUsers = pgTable('users', { id: dSerial('id').primaryKey(), name: dText('name').notNull(), age: dInteger('age').notNull() });
const dPosts = pgTable('posts', { id: dSerial('id').primaryKey(), userId: dInteger('user_id').notNull(), title: dText('title').notNull() });

function drizzlePlain(db) {
  const byId = async (id) => (await db.select().from(dUsers).where(dEq(dUsers.id, id)))[0];
  return {
    byId: async (n) => {
      for (let i = 0; i < n; i++) sink += (await byId(scatteredId(i))).age;
    },
    insert: async (n) => {
      for (let i = 0; i < n; i++) sink += (await db.insert(dUsers).values(userRow(USERS + i))).rowCount;
    },
    join: async (n) => {
      for (let i = 0; i < n; i++) {
        const rows = await db
          .select({ id: dUsers.id, name: dUsers.name, post_id: dPosts.id, title: dPosts.title })
          .from(dUsers)
          .innerJoin(dPosts, dEq(dPosts.userId, dUsers.id))
          .where(dEq(dUsers.id, scatteredId(i)));
        sink += rows.length;
      }
    },
    concurrent: (n) => concurrently(CONCURRENT_CALLERS, n, async (i) => (sink += (await byId(scatteredId(i))).age)),
    cleanup: () => db.execute(dSql.raw(SQL.cleanup)),
  };
}

function drizzlePrepared(db) {
  const byId = db.select().from(dUsers).where(dEq(dUsers.id, dSql.placeholder('id'))).prepare('d_by_id');
  const insert = db.insert(dUsers).values({ name: dSql.placeholder('name'), age: dSql.placeholder('age') }).prepare('d_insert');
  const join = db
    .select({ id: dUsers.id, name: dUsers.name, post_id: dPosts.id, title: dPosts.title })
    .from(dUsers)
    .innerJoin(dPosts, dEq(dPosts.userId, dUsers.id))
    .where(dEq(dUsers.id, dSql.placeholder('id')))
    .prepare('d_join');
  return {
    byId: async (n) => {
      for (let i = 0; i < n; i++) sink += (await byId.execute({ id: scatteredId(i) }))[0].age;
    },
    insert: async (n) => {
      for (let i = 0; i < n; i++) sink += (await insert.execute(userRow(USERS + i))).rowCount;
    },
    join: async (n) => {
      for (let i = 0; i < n; i++) sink += (await join.execute({ id: scatteredId(i) })).length;
    },
    concurrent: (n) => concurrently(CONCURRENT_CALLERS, n, async (i) => (sink += (await byId.execute({ id: scatteredId(i) }))[0].age)),
    cleanup: () => db.execute(dSql.raw(SQL.cleanup)),
  };
}

function kysely(db) {
  const byId = (id) => db.selectFrom('users').select(['id', 'name', 'age']).where('id', '=', id).executeTakeFirst();
  return {
    byId: async (n) => {
      for (let i = 0; i < n; i++) sink += (await byId(scatteredId(i))).age;
    },
    insert: async (n) => {
      for (let i = 0; i < n; i++) sink += Number((await db.insertInto('users').values(userRow(USERS + i)).executeTakeFirst()).numInsertedOrUpdatedRows);
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
    concurrent: (n) => concurrently(CONCURRENT_CALLERS, n, async (i) => (sink += (await byId(scatteredId(i))).age)),
    cleanup: () => db.deleteFrom('users').where('id', '>', USERS).execute(),
  };
}

/** Runs table 4; `{ skipped }` when no server could be had. */
export async function runPostgresBenchmarks({ log = () => {} } = {}) {
  const server = startBenchServer();
  if (server.skipped !== undefined) return { skipped: server.skipped };
  const closers = [];
  try {
    log('  PostgreSQL: seeding one schema per contestant...');
    const pool = async (label) => {
      const created = new pg.Pool({ connectionString: await seededSchema(server.url, label), max: POOL_SIZE });
      closers.push(() => created.end());
      return created;
    };
    const engine = async (label, options) => {
      const created = new PostgresEngine({ connectionString: await seededSchema(server.url, label), max: POOL_SIZE, ...options });
      closers.push(() => created.close());
      return created;
    };
    const kyselyDb = new Kysely({ dialect: new PostgresDialect({ pool: await pool('kysely') }) });
    const contestants = [
      { name: 'pg, named prepared statements', impl: rawPg(await pool('raw_named'), true) },
      { name: 'pg, unnamed', impl: rawPg(await pool('raw_unnamed'), false) },
      { name: 'Picco', impl: picco(await engine('picco')) },
      { name: 'Picco, preparedStatements: false', impl: picco(await engine('picco_unnamed', { preparedStatements: false })) },
      { name: 'Drizzle (node-postgres)', impl: drizzlePlain(drizzle(await pool('drizzle'))) },
      { name: 'Drizzle, .prepare()d', impl: drizzlePrepared(drizzle(await pool('drizzle_prepared'))) },
      { name: 'Kysely (pg)', impl: kysely(kyselyDb) },
    ];
    const tables = [];
    for (const workload of POSTGRES_WORKLOADS) {
      log(`  PostgreSQL: ${workload.title}`);
      const runs = contestants.map(({ name, impl }) => ({ name, run: impl[workload.key], after: workload.key === 'insert' ? impl.cleanup : undefined }));
      tables.push({ workload, results: await compare(runs, workload.operations) });
    }
    return { tables };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    server.stop();
  }
}
