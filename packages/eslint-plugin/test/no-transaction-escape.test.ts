import { describe } from 'vitest';
import plugin from '@picco/eslint-plugin';
import { ODD_SYNTAX, code, espreeRuleTester, typed, typedRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-transaction-escape'];

const HANDLES = "import { drizzleDb, InlineDB, knex, kysely, PooledDB } from './handles.js';\nimport { Accounts, Entries } from './handle-tables.js';\n";

const KNEX_HERE = "import knexFactory from 'knex';\nconst knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });\n";
const KYSELY_HERE = "import Database from 'better-sqlite3';\nimport { Kysely, SqliteDialect } from 'kysely';\nconst db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });\n";
const PICCO_HERE = "import { defineTable, text } from '@picco/core';\nimport { SQLiteEngine } from '@picco/runtime';\nconst DB = new SQLiteEngine({ path: 'app.db' });\nconst Users = defineTable('users', { name: text() }, { db: DB });\n";

const OUTER = (handle: string, use: string) => ({ messageId: 'outerHandle' as const, data: { handle, use } });
const USE_TRX = ' Use `trx`.';
const USE_TX = ' Use `tx`.';
const DRIZZLE_ASYNC = "import { libsqlDb, pgDb } from './handles.js';\nimport { sql } from 'drizzle-orm';\nimport { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';\nconst users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });\n";
const LIBSQL_HERE = "import { createClient } from '@libsql/client';\nimport { drizzle } from 'drizzle-orm/libsql';\nconst db = drizzle(createClient({ url: 'file:app.db' }));\n";
const NO_PARAMETER = " Use the callback's transaction instead.";

describe('no-transaction-escape, with type information (handles from another file)', () => {
  typedRuleTester().run('no-transaction-escape', rule, {
    valid: [
      typed({ code: HANDLES + "await knex.transaction(async (trx) => { await trx('users').insert({ name: knex.raw('upper(?)', ['a']), at: knex.fn.now() }); });" }),
      typed({ code: HANDLES + "await kysely.transaction().execute(async (trx) => trx.selectFrom('users').select(kysely.fn.count('id').as('n')).execute());" }),
      // Drizzle on better-sqlite3: one connection, synchronous; the outer handle is inside the transaction.
      typed({ code: HANDLES + 'drizzleDb.transaction((tx) => { drizzleDb.run(tx.run.name as never); });' }),
      // AsyncLocalStorage carries Picco's transaction: awaited queries of the outer engine's tables are in it.
      typed({ code: HANDLES + "await PooledDB.transaction(async () => { await Accounts.insert({ name: 'a' }); await PooledDB.raw('SELECT 1'); });" }),
      typed({ code: HANDLES + "await InlineDB.transaction(async () => { Entries.insert({ name: 'a' }).runSync(); });" }),
      // Another engine's synchronous query is not this transaction's business.
      typed({ code: HANDLES + "await PooledDB.transaction(async () => { Entries.insert({ name: 'a' }).runSync(); });" }),
      typed({ code: HANDLES + "Accounts.insert({ name: 'a' }).runSync();\nawait PooledDB.transaction(async () => {});" }),
      // Drizzle on libsql and node-postgres: the callback's handle, and values built with the outer one.
      typed({ code: DRIZZLE_ASYNC + "await libsqlDb.transaction(async (tx) => { await tx.insert(users).values({ name: 'a' }); await tx.select().from(users); });\nawait pgDb.transaction(async (tx) => { await tx.execute(sql`select 1`); libsqlDb.$with; });" }),
      typed({ code: DRIZZLE_ASYNC + "await libsqlDb.transaction(async (tx) => { const cte = libsqlDb.$with('a').as(tx.select().from(users)); await tx.with(cte).select().from(cte); });" }),
      // Another handle's query inside this one's transaction is not this rule's business.
      typed({ code: DRIZZLE_ASYNC + 'await libsqlDb.transaction(async (tx) => { await pgDb.execute(sql`select 1`); return tx; });' }),
      // Look-alikes: not knex, Kysely, Drizzle or Picco.
      typed({ code: 'const fake = { transaction: async (cb: (t: number) => Promise<void>) => cb(1), run: () => 1 };\nawait fake.transaction(async () => { fake.run(); });\nexport {};' }),
      ...ODD_SYNTAX.map((test) => ({ code: test.code, filename: test.filename ?? 'file.ts' })),
    ],
    invalid: [
      {
        ...typed({ code: HANDLES + "await knex.transaction(async (trx) => {\n  await trx('users').insert({});\n  await knex('users').insert({});\n  await knex.schema.dropTable('users');\n});" }),
        output: HANDLES + "await knex.transaction(async (trx) => {\n  await trx('users').insert({});\n  await trx('users').insert({});\n  await trx.schema.dropTable('users');\n});",
        errors: [
          { ...OUTER('knex', USE_TRX), line: 5, column: 9, endColumn: 13 },
          { ...OUTER('knex', USE_TRX), line: 6, column: 9 },
        ],
      },
      {
        ...typed({ code: HANDLES + "await kysely.transaction().setIsolationLevel('serializable').execute(async (trx) => kysely.selectFrom('users').selectAll().execute());" }),
        output: HANDLES + "await kysely.transaction().setIsolationLevel('serializable').execute(async (trx) => trx.selectFrom('users').selectAll().execute());",
        errors: [OUTER('kysely', USE_TRX)],
      },
      {
        // Kysely has no nested transactions (`trx.transaction()` throws): reported, no fix.
        ...typed({ code: HANDLES + 'await kysely.transaction().execute(async (trx) => kysely.transaction().execute(async () => trx));' }),
        errors: [OUTER('kysely', NO_PARAMETER)],
      },
      {
        // knex's nested transaction is a savepoint of `trx`.
        ...typed({ code: HANDLES + 'await knex.transaction(async (trx) => knex.transaction(async () => {}));' }),
        output: HANDLES + 'await knex.transaction(async (trx) => trx.transaction(async () => {}));',
        errors: [OUTER('knex', USE_TRX)],
      },
      {
        // `trx` means something else where the outer handle is used: no fix.
        ...typed({ code: HANDLES + "await knex.transaction(async (trx) => {\n  const each = (trx: number) => knex('users').where({ id: trx });\n  await each(1);\n  return trx;\n});" }),
        errors: [OUTER('knex', NO_PARAMETER)],
      },
      {
        ...typed({ code: HANDLES + "await knex.transaction(async () => { await knex('users'); });" }),
        errors: [OUTER('knex', NO_PARAMETER)],
      },
      {
        // Drizzle on libsql (a file): the outer handle is locked out (SQLITE_BUSY); fixed to the callback's `tx`.
        ...typed({ code: DRIZZLE_ASYNC + "await libsqlDb.transaction(async (tx) => {\n  await tx.insert(users).values({ name: 'a' });\n  await libsqlDb.insert(users).values({ name: 'b' });\n  return libsqlDb.select().from(users);\n});" }),
        output: DRIZZLE_ASYNC + "await libsqlDb.transaction(async (tx) => {\n  await tx.insert(users).values({ name: 'a' });\n  await tx.insert(users).values({ name: 'b' });\n  return tx.select().from(users);\n});",
        errors: [
          { ...OUTER('libsqlDb', USE_TX), line: 7 },
          { ...OUTER('libsqlDb', USE_TX), line: 8 },
        ],
      },
      {
        // Drizzle on node-postgres's pool: the outer handle runs on another connection; a nested outer transaction too (no fix).
        ...typed({ code: DRIZZLE_ASYNC + 'await pgDb.transaction(async (tx) => {\n  await pgDb.execute(sql`select 1`);\n  await pgDb.transaction(async () => {});\n  return tx;\n});' }),
        output: DRIZZLE_ASYNC + 'await pgDb.transaction(async (tx) => {\n  await tx.execute(sql`select 1`);\n  await pgDb.transaction(async () => {});\n  return tx;\n});',
        errors: [
          { ...OUTER('pgDb', USE_TX), line: 6 },
          { ...OUTER('pgDb', NO_PARAMETER), line: 7 },
        ],
      },
      {
        ...typed({ code: HANDLES + 'await drizzleDb.transaction(async (tx) => {\n  tx.run.name;\n});' }),
        errors: [{ messageId: 'asyncCallbackOnSyncTransaction', line: 3, column: 29, endColumn: 43 }],
      },
      {
        ...typed({ code: HANDLES + "await PooledDB.transaction(async () => {\n  const rows = Accounts.select().runSync();\n  PooledDB.transactionSync(() => 1);\n  return rows.length + Accounts.count().runSync();\n});" }),
        errors: [
          {
            messageId: 'syncQueryInAsyncTransaction',
            data: { call: '.runSync()' },
            line: 4,
            suggestions: [
              {
                messageId: 'awaitInstead',
                output: HANDLES + "await PooledDB.transaction(async () => {\n  const rows = await Accounts.select();\n  PooledDB.transactionSync(() => 1);\n  return rows.length + Accounts.count().runSync();\n});",
              },
            ],
          },
          { messageId: 'syncQueryInAsyncTransaction', data: { call: '.transactionSync()' }, line: 5, suggestions: [] },
          {
            messageId: 'syncQueryInAsyncTransaction',
            line: 6,
            suggestions: [
              {
                messageId: 'awaitInstead',
                output: HANDLES + "await PooledDB.transaction(async () => {\n  const rows = Accounts.select().runSync();\n  PooledDB.transactionSync(() => 1);\n  return rows.length + (await Accounts.count());\n});",
              },
            ],
          },
        ],
      },
      {
        // A prepared query (not awaitable): the suggestion runs it with its values.
        ...typed({ code: "import { param } from '@picco/core';\n" + HANDLES + "const byName = Accounts.select().where(Accounts.name.eq(param('name'))).prepare();\nawait PooledDB.transaction(async () => {\n  byName.runSync({ name: 'a' });\n});" }),
        errors: [
          {
            messageId: 'syncQueryInAsyncTransaction',
            suggestions: [{ messageId: 'awaitInstead', output: "import { param } from '@picco/core';\n" + HANDLES + "const byName = Accounts.select().where(Accounts.name.eq(param('name'))).prepare();\nawait PooledDB.transaction(async () => {\n  await byName.run({ name: 'a' });\n});" }],
          },
        ],
      },
      {
        // In a nested plain function `await` cannot be written: reported, no suggestion.
        ...typed({ code: HANDLES + 'await PooledDB.transaction(async () => [1].map(() => Accounts.count().runSync()));' }),
        errors: [{ messageId: 'syncQueryInAsyncTransaction', suggestions: [] }],
      },
    ],
  });
});

describe('no-transaction-escape, without type information (within the file)', () => {
  untypedRuleTester().run('no-transaction-escape', rule, {
    valid: [
      { code: KNEX_HERE + "await knex.transaction(async (trx) => { await trx('users'); });" },
      { code: KYSELY_HERE + "await db.transaction().execute(async (trx) => trx.selectFrom('users').selectAll().execute());" },
      // Unknown handles: a parameter, an import from the project.
      { code: "export async function f(knex: any) { await knex.transaction(async (trx: any) => { await knex('users'); }); }" },
      { code: "import { knex } from './db.js';\nawait knex.transaction(async (trx) => { await knex('users'); });" },
      { code: PICCO_HERE.replace("path: 'app.db'", "path: 'app.db', workers: 0") + "await DB.transaction(async () => { Users.count().runSync(); });" },
      { code: PICCO_HERE.replace("path: 'app.db'", "path: ':memory:?cache=shared'") + "await DB.transaction(async () => { Users.count().runSync(); });" },
      { code: PICCO_HERE.replace("'app.db'", 'process.env.DB_PATH') + "await DB.transaction(async () => { Users.count().runSync(); });" },
      // A drizzle() of a driver not reproduced here is not reported.
      { code: "import { drizzle } from 'drizzle-orm/mysql2';\nconst db = drizzle(process.env.URL);\nawait db.transaction(async (tx) => { await db.execute('select 1'); });" },
    ],
    invalid: [
      {
        code: KNEX_HERE + "await knex.transaction(async (trx) => { await knex('users'); });",
        output: KNEX_HERE + "await knex.transaction(async (trx) => { await trx('users'); });",
        errors: [OUTER('knex', USE_TRX)],
      },
      {
        code: "const knex = require('knex')({ client: 'sqlite3', connection: { filename: 'app.db' } });\nknex.transaction(function (trx) { return knex.select(1); });",
        output: "const knex = require('knex')({ client: 'sqlite3', connection: { filename: 'app.db' } });\nknex.transaction(function (trx) { return trx.select(1); });",
        errors: [OUTER('knex', USE_TRX)],
      },
      {
        code: KYSELY_HERE + "import { sql } from 'kysely';\nawait db.transaction().execute(async (trx) => { await sql`select 1`.execute(db); });",
        output: KYSELY_HERE + "import { sql } from 'kysely';\nawait db.transaction().execute(async (trx) => { await sql`select 1`.execute(trx); });",
        errors: [OUTER('db', USE_TRX)],
      },
      {
        code: LIBSQL_HERE + "await db.transaction(async (tx) => { await db.run('select 1'); });",
        output: LIBSQL_HERE + "await db.transaction(async (tx) => { await tx.run('select 1'); });",
        errors: [OUTER('db', USE_TX)],
      },
      {
        code: "const { drizzle } = require('drizzle-orm/node-postgres');\nconst db = drizzle(process.env.DATABASE_URL);\ndb.transaction(async (tx) => db.query.users.findMany());",
        output: "const { drizzle } = require('drizzle-orm/node-postgres');\nconst db = drizzle(process.env.DATABASE_URL);\ndb.transaction(async (tx) => tx.query.users.findMany());",
        errors: [OUTER('db', USE_TX)],
      },
      {
        code: "import Database from 'better-sqlite3';\nimport { drizzle } from 'drizzle-orm/better-sqlite3';\nconst db = drizzle(new Database(':memory:'));\nawait db.transaction(async function () {});",
        errors: [{ messageId: 'asyncCallbackOnSyncTransaction' }],
      },
      {
        code: PICCO_HERE + 'await DB.transaction(async () => { Users.count().runSync(); });',
        errors: [{ messageId: 'syncQueryInAsyncTransaction', suggestions: [{ messageId: 'awaitInstead', output: PICCO_HERE + 'await DB.transaction(async () => { await Users.count(); });' }] }],
      },
    ],
  });
});

describe('no-transaction-escape, with espree (plain JavaScript)', () => {
  espreeRuleTester().run('no-transaction-escape', rule, {
    valid: [{ code: "import knex from 'knex';\nconst k = knex({});\nawait k.transaction(async (trx) => trx('a'));" }],
    invalid: [
      {
        code: code`
          import { knex as createKnex } from 'knex';
          const k = createKnex({});
          await k.transaction(async (trx) => {
            await Promise.all([1, 2].map((id) => k('a').where({ id })));
          });
        `,
        output: code`
          import { knex as createKnex } from 'knex';
          const k = createKnex({});
          await k.transaction(async (trx) => {
            await Promise.all([1, 2].map((id) => trx('a').where({ id })));
          });
        `,
        errors: [OUTER('k', USE_TRX)],
      },
    ],
  });
});
