// One schema and one data set for every contestant.
//
// Picco defines the tables; the SQL of its `createTable()` is what every other contestant's
// database is created with, so all of them hold byte-for-byte the same schema. Connections
// opened for raw better-sqlite3, Drizzle and Kysely get the pragmas Picco's own connections
// set (`foreign_keys = ON`; on files also `journal_mode = WAL`, `synchronous = NORMAL`), so
// nobody is faster for skipping durability or constraint checks the others pay for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteDialect, Kysely } from 'kysely';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer as dInteger, sqliteTable, text as dText, index as dIndex } from 'drizzle-orm/sqlite-core';
import { defineTable, foreignKey, integer, serial, text } from '@picco/core';

/** Worker processes of the pooled Picco engines (the default). */
export const POOL_WORKERS = 2;

/**
 * `BENCH_COMPARE_RUNTIME=<another build's packages/runtime/dist/index.js>` (and optionally
 * `BENCH_COMPARE_LABEL`): that build's worker pool joins table 2a as one more contestant, measured
 * in the same rounds (how the thread pool and the process pool were compared, see BENCHMARKS.md).
 */
export const compareRuntime = process.env.BENCH_COMPARE_RUNTIME
  ? {
      SQLiteEngine: (await import(pathToFileURL(resolve(process.env.BENCH_COMPARE_RUNTIME)).href)).SQLiteEngine,
      label: process.env.BENCH_COMPARE_LABEL ?? 'comparison build',
    }
  : undefined;

export const USERS = 10_000;
export const POSTS_PER_USER = 3;

/** Picco's tables on `engine` (`undefined` just to read their DDL). */
export function piccoTables(engine) {
  const Users = defineTable('users', { id: serial(), name: text(), age: integer() }, { db: engine });
  const Posts = defineTable('posts', { id: serial(), user_id: foreignKey(() => Users).index(), title: text() }, { db: engine });
  return { Users, Posts };
}

/** The schema as SQL: exactly what Picco's createTable() runs. */
export const SCHEMA_SQL = (() => {
  const { Users, Posts } = piccoTables(undefined);
  return [Users.createTable().toSQL().sql, Posts.createTable().toSQL().sql].join(';\n');
})();

/** The same tables for Drizzle. */
export const drizzleUsers = sqliteTable('users', {
  id: dInteger('id').primaryKey(),
  name: dText('name').notNull(),
  age: dInteger('age').notNull(),
});
export const drizzlePosts = sqliteTable(
  'posts',
  {
    id: dInteger('id').primaryKey(),
    userId: dInteger('user_id')
      .notNull()
      .references(() => drizzleUsers.id),
    title: dText('title').notNull(),
  },
  (table) => [dIndex('posts_user_id_idx').on(table.userId)],
);

export function userRow(i) {
  return { name: `user${i}`, age: i % 90 };
}

export function postRow(i) {
  return { user_id: Math.floor(i / POSTS_PER_USER) + 1, title: `post ${i} of user ${Math.floor(i / POSTS_PER_USER) + 1}` };
}

/** A better-sqlite3 connection configured like Picco's (see the header). */
export function openRaw(filename) {
  const db = new Database(filename);
  db.pragma('foreign_keys = ON');
  if (filename !== ':memory:') {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  return db;
}

/** Creates the schema and the rows with raw better-sqlite3. */
export function seedRaw(db) {
  db.exec(SCHEMA_SQL);
  const insertUser = db.prepare('INSERT INTO users (name, age) VALUES (?, ?)');
  const insertPost = db.prepare('INSERT INTO posts (user_id, title) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const { name, age } = userRow(i);
      insertUser.run(name, age);
    }
    for (let i = 0; i < USERS * POSTS_PER_USER; i++) {
      const { user_id, title } = postRow(i);
      insertPost.run(user_id, title);
    }
  })();
  return db;
}

/** Creates the schema and the same rows through Picco. */
export function seedPicco(engine) {
  const tables = piccoTables(engine);
  const { Users, Posts } = tables;
  engine.transactionSync(() => {
    Users.createTable().runSync();
    Posts.createTable().runSync();
    for (let i = 0; i < USERS; i++) Users.insert(userRow(i)).runSync();
    for (let i = 0; i < USERS * POSTS_PER_USER; i++) Posts.insert(postRow(i)).runSync();
  });
  const [{ users }] = engine.raw('SELECT COUNT(*) AS users FROM users').runSync();
  const [{ posts }] = engine.raw('SELECT COUNT(*) AS posts FROM posts').runSync();
  if (users !== USERS || posts !== USERS * POSTS_PER_USER) throw new Error(`Picco seed is off: ${users} users, ${posts} posts`);
  return tables;
}

export function drizzleOn(db) {
  return drizzle(db);
}

export function kyselyOn(db) {
  return new Kysely({ dialect: new SqliteDialect({ database: db }) });
}

/** A scratch folder for file databases, removed by `cleanup()`. */
export function scratchFolder(label) {
  const folder = mkdtempSync(join(tmpdir(), `picco-bench-${label}-`));
  return { folder, file: (name) => join(folder, name), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/** The id visited by operation `i`: every user, in a scattered (not sequential) order. */
export function scatteredId(i) {
  return ((i * 7919) % USERS) + 1;
}
