import plugin from '@picco/eslint-plugin';
import { describe } from 'vitest';
import { ODD_SYNTAX, code, espreeRuleTester, typed, typedRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-sync-on-async-only-engine'];

const IMPORTS = "import { Bands, PgDB } from './postgres.js';\n";
const ENGINE_SITE = ' (engine defined at ./postgres.ts:6)';

describe('no-sync-on-async-only-engine, with type information (engines from another file)', () => {
  typedRuleTester().run('no-sync-on-async-only-engine', rule, {
    valid: [
      // Async on PostgreSQL: what it is for.
      typed({ code: `${IMPORTS}await Bands.select();\nawait PgDB.raw('SELECT 1').run();\nawait PgDB.transaction(async () => { await Bands.insert({ name: 'a' }); });` }),
      typed({ code: `${IMPORTS}for await (const rows of Bands.select().batch(100)) console.log(rows);` }),
      // SQLite engines have a synchronous driver.
      typed({ code: "import { Logs, Users } from './tables.js';\nimport { FileDB } from './engine.js';\nLogs.select().runSync();\nUsers.count().runSync();\nFileDB.transactionSync(() => Logs.delete().where(Logs.id.eq(1)).runSync());" }),
      // A subclass that overrides executeSync decides for itself.
      typed({ code: "import { Cached } from './postgres.js';\nCached.select().runSync();" }),
      // Building a query, reading its SQL, passing the method along: nothing runs synchronously.
      typed({ code: `${IMPORTS}const q = Bands.select();\nq.toSQL();\nexport const run = q.run.bind(q);` }),
      // Look-alikes: another library's runSync.
      typed({ code: "import { Users } from './other.js';\nUsers.select().runSync();" }),
      typed({ code: 'const o = { runSync: () => 1, transactionSync: (f: () => void) => f() };\no.runSync();\no.transactionSync(() => {});\nexport {};' }),
      ...ODD_SYNTAX.map((test) => ({ code: test.code, filename: test.filename ?? 'file.ts' })),
    ],
    invalid: [
      {
        ...typed({ code: `${IMPORTS}export async function names() {\n  return Bands.select(Bands.name).runSync();\n}` }),
        errors: [
          {
            messageId: 'syncRefused',
            data: { call: '.runSync()', subject: 'a query on table "bands"', where: ENGINE_SITE },
            suggestions: [{ messageId: 'runAsync', data: { replacement: 'await query.run()' }, output: `${IMPORTS}export async function names() {\n  return await Bands.select(Bands.name).run();\n}` }],
          },
        ],
      },
      {
        // Not in async code: reported, no suggestion (the function must become async first).
        ...typed({ code: `${IMPORTS}export function names() {\n  return Bands.select().where(Bands.age.gt(3)).runSync();\n}` }),
        errors: [{ messageId: 'syncRefused', data: { call: '.runSync()', subject: 'a query on table "bands"', where: ENGINE_SITE }, suggestions: [] }],
      },
      {
        // Raw SQL on the engine, at a module's top level (await is allowed there); a member access needs parentheses.
        ...typed({ code: `${IMPORTS}export const n = PgDB.raw<{ n: number }>('SELECT 1 AS n').runSync().length;` }),
        errors: [
          {
            messageId: 'syncRefused',
            data: { call: '.runSync()', subject: 'this query', where: ENGINE_SITE },
            suggestions: [{ messageId: 'runAsync', output: `${IMPORTS}export const n = (await PgDB.raw<{ n: number }>('SELECT 1 AS n').run()).length;` }],
          },
        ],
      },
      {
        // Through a barrel-free variable, a schema batch, and a nullable query.
        ...typed({
          code: "import { createTables } from '@picco/core';\nimport { Bands } from './postgres.js';\nexport async function setUp(maybe?: typeof Bands) {\n  createTables([Bands]).runSync();\n  maybe?.count().runSync();\n}",
        }),
        errors: [
          {
            messageId: 'syncRefused',
            data: { call: '.runSync()', subject: 'this query', where: ENGINE_SITE },
            suggestions: [{ messageId: 'runAsync', output: "import { createTables } from '@picco/core';\nimport { Bands } from './postgres.js';\nexport async function setUp(maybe?: typeof Bands) {\n  await createTables([Bands]).run();\n  maybe?.count().runSync();\n}" }],
          },
          {
            messageId: 'syncRefused',
            suggestions: [{ messageId: 'runAsync', output: "import { createTables } from '@picco/core';\nimport { Bands } from './postgres.js';\nexport async function setUp(maybe?: typeof Bands) {\n  createTables([Bands]).runSync();\n  await maybe?.count().run();\n}" }],
          },
        ],
      },
      {
        ...typed({ code: `${IMPORTS}export async function all() {\n  for (const rows of Bands.select().batchSync(100)) console.log(rows);\n}` }),
        errors: [
          {
            messageId: 'syncRefused',
            data: { call: '.batchSync()', subject: 'a query on table "bands"', where: ENGINE_SITE },
            suggestions: [
              {
                messageId: 'runAsync',
                data: { replacement: 'for await (... of query.batch(size))' },
                output: `${IMPORTS}export async function all() {\n  for await (const rows of Bands.select().batch(100)) console.log(rows);\n}`,
              },
            ],
          },
        ],
      },
      {
        ...typed({ code: `${IMPORTS}export async function move() {\n  const moved = PgDB.transactionSync(() => 1);\n  return moved;\n}` }),
        errors: [
          {
            messageId: 'syncRefused',
            data: { call: '.transactionSync()', subject: 'this engine', where: ENGINE_SITE },
            suggestions: [
              { messageId: 'runAsync', data: { replacement: 'await engine.transaction(...)' }, output: `${IMPORTS}export async function move() {\n  const moved = await PgDB.transaction(() => 1);\n  return moved;\n}` },
            ],
          },
        ],
      },
      {
        ...typed({ code: `${IMPORTS}export async function run() {\n  return PgDB.executeSync(PgDB.raw('SELECT 1').toSQL()).rows;\n}` }),
        errors: [
          {
            messageId: 'syncRefused',
            data: { call: '.executeSync()', subject: 'this engine', where: ENGINE_SITE },
            suggestions: [{ messageId: 'runAsync', output: `${IMPORTS}export async function run() {\n  return (await PgDB.execute(PgDB.raw('SELECT 1').toSQL())).rows;\n}` }],
          },
        ],
      },
      {
        // A prepared query on PostgreSQL: `.run(values)` with the same values.
        ...typed({ code: "import { param } from '@picco/core';\nimport { Bands } from './postgres.js';\nconst byId = Bands.select().where(Bands.id.eq(param('id'))).first().prepare();\nexport const band = byId.runSync({ id: 1 });" }),
        errors: [
          {
            messageId: 'syncRefused',
            suggestions: [{ messageId: 'runAsync', output: "import { param } from '@picco/core';\nimport { Bands } from './postgres.js';\nconst byId = Bands.select().where(Bands.id.eq(param('id'))).first().prepare();\nexport const band = await byId.run({ id: 1 });" }],
          },
        ],
      },
      {
        // The engine is PostgreSQL's or SQLite's, by configuration: fails in one of them.
        ...typed({ code: "import { EitherDB, Venues } from './postgres.js';\nVenues.select().runSync();\nEitherDB.transactionSync(() => undefined);" }),
        errors: [
          {
            messageId: 'syncMaybeRefused',
            data: { call: '.runSync()', subject: 'a query on table "venues"', where: '' },
            suggestions: [{ messageId: 'runAsync', output: "import { EitherDB, Venues } from './postgres.js';\nawait Venues.select().run();\nEitherDB.transactionSync(() => undefined);" }],
          },
          {
            messageId: 'syncMaybeRefused',
            data: { call: '.transactionSync()', subject: 'this engine', where: '' },
            suggestions: [{ messageId: 'runAsync', output: "import { EitherDB, Venues } from './postgres.js';\nVenues.select().runSync();\nawait EitherDB.transaction(() => undefined);" }],
          },
        ],
      },
      {
        // Inside an async transaction, computed access, type wrappers.
        ...typed({ code: `${IMPORTS}await PgDB.transaction(async () => {\n  (Bands.insert({ name: 'a' }) as typeof q)['runSync']();\n});\nconst q = Bands.insert({ name: 'b' });` }),
        errors: [
          {
            messageId: 'syncRefused',
            suggestions: [{ messageId: 'runAsync', output: `${IMPORTS}await PgDB.transaction(async () => {\n  await (Bands.insert({ name: 'a' }) as typeof q)['run']();\n});\nconst q = Bands.insert({ name: 'b' });` }],
          },
        ],
      },
    ],
  });
});

const SAME_FILE = code`
  import { defineTable, text } from '@picco/core';
  import { PostgresEngine } from '@picco/postgres';
  const DB = new PostgresEngine({ connectionString: process.env.DATABASE_URL });
  const Users = defineTable('users', { name: text() }, { db: DB });
`;

describe('no-sync-on-async-only-engine, without type information (within the file)', () => {
  untypedRuleTester().run('no-sync-on-async-only-engine', rule, {
    valid: [
      `${SAME_FILE}await Users.select();\nawait DB.transaction(async () => {});`,
      // An engine from another file cannot be proven without types.
      "import { DB, Users } from './db';\nUsers.select().runSync();\nDB.transactionSync(() => {});",
      // SQLite's engine: synchronous calls work.
      "import { defineTable, text } from '@picco/core';\nimport { SQLiteEngine } from '@picco/runtime';\nconst DB = new SQLiteEngine({ path: 'app.db' });\nconst T = defineTable('t', { name: text() }, { db: DB });\nT.select().runSync();\nDB.transactionSync(() => {});",
      // A PostgresEngine that is not @picco/postgres's.
      "import { PostgresEngine } from 'other-orm';\nimport { defineTable, text } from '@picco/core';\nconst DB = new PostgresEngine();\nconst T = defineTable('t', { name: text() }, { db: DB });\nT.select().runSync();\nDB.transactionSync(() => {});",
    ],
    invalid: [
      {
        code: `${SAME_FILE}export function names() {\n  return Users.select().runSync();\n}\nDB.transactionSync(() => {});\nDB.raw('SELECT 1').runSync();`,
        errors: [
          { messageId: 'syncRefused', line: 6, data: { call: '.runSync()', subject: 'a query on table "users"', where: ' (engine defined on line 3)' }, suggestions: [] },
          {
            messageId: 'syncRefused',
            line: 8,
            data: { call: '.transactionSync()', subject: 'this engine', where: ' (engine defined on line 3)' },
            suggestions: [{ messageId: 'runAsync', output: `${SAME_FILE}export function names() {\n  return Users.select().runSync();\n}\nawait DB.transaction(() => {});\nDB.raw('SELECT 1').runSync();` }],
          },
          { messageId: 'syncRefused', line: 9, data: { call: '.runSync()', subject: 'this query', where: ' (engine defined on line 3)' }, suggestions: [{ messageId: 'runAsync', output: `${SAME_FILE}export function names() {\n  return Users.select().runSync();\n}\nDB.transactionSync(() => {});\nawait DB.raw('SELECT 1').run();` }] },
        ],
      },
      {
        // CommonJS require and a namespace import.
        code: "const { PostgresEngine } = require('@picco/postgres');\nconst DB = new PostgresEngine();\nfunction f() { DB.executeSync(q); }",
        errors: [{ messageId: 'syncRefused', data: { call: '.executeSync()', subject: 'this engine', where: ' (engine defined on line 2)' }, suggestions: [] }],
      },
      {
        code: "import * as pg from '@picco/postgres';\nconst DB = new pg.PostgresEngine();\nexport function f() { return DB.transactionSync(() => 1); }",
        errors: [{ messageId: 'syncRefused', suggestions: [] }],
      },
    ],
  });
});

describe('no-sync-on-async-only-engine, with espree (plain JavaScript)', () => {
  espreeRuleTester().run('no-sync-on-async-only-engine', rule, {
    valid: ["import { DB } from './db.js';\nDB.transactionSync(() => {});", ...ODD_SYNTAX.filter((test) => test.filename === undefined && !test.code.includes('@logged') && !test.code.includes('declare ')).map((test) => test.code)],
    invalid: [
      {
        code: "import { defineTable, text } from '@picco/core';\nimport { PostgresEngine } from '@picco/postgres';\nconst DB = new PostgresEngine();\nconst Users = defineTable('users', { name: text() }, { db: DB });\nasync function f() { return Users.count().runSync(); }\nexport { f };",
        errors: [
          {
            messageId: 'syncRefused',
            suggestions: [
              {
                messageId: 'runAsync',
                output: "import { defineTable, text } from '@picco/core';\nimport { PostgresEngine } from '@picco/postgres';\nconst DB = new PostgresEngine();\nconst Users = defineTable('users', { name: text() }, { db: DB });\nasync function f() { return await Users.count().run(); }\nexport { f };",
              },
            ],
          },
        ],
      },
    ],
  });
});
