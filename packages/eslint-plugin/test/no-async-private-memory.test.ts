import { describe } from 'vitest';
import plugin from '@picco/eslint-plugin';
import { ODD_SYNTAX, code, espreeRuleTester, typed, typedRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-async-private-memory'];

// Code with the engine, the table and the query in one file: both modes can prove it.
const SAME_FILE = code`
  import { defineTable, text } from '@picco/core';
  import { SQLiteEngine } from '@picco/runtime';
  const DB = new SQLiteEngine({ path: ':memory:' });
  const Users = defineTable('users', { name: text() }, { db: DB });
`;
const SAME_FILE_SHARED = SAME_FILE.replace("':memory:'", "':memory:?cache=shared'");

const LINE_3 = ' (engine defined on line 3)';
/** A prepared query on the private engine of `engine.ts`. */
const PREPARED = "import { param } from '@picco/core';\nimport { Users } from './tables.js';\nconst stmt = Users.select().where(Users.id.eq(param('id'))).prepare();\n";
const SHARED_DATA = { from: "':memory:'", to: "':memory:?cache=shared'" };

/** The report's data: the seed's case (table "users" on engine.ts's ':memory:'), with changes. */
function data(changes: Partial<Record<'subject' | 'path' | 'where', string>> = {}) {
  return {
    subject: 'A query on table "users"',
    path: "':memory:'",
    where: ' (engine defined at ./engine.ts:3)',
    ...changes,
  };
}

const SHARED_SUGGESTION = { messageId: 'useSharedCache' as const, data: SHARED_DATA, output: SAME_FILE_SHARED + 'await Users.createTable();\n' };
const RUN_SYNC_SUGGESTION = { messageId: 'useRunSync' as const, output: SAME_FILE + 'Users.createTable().runSync();\n' };
/** The autofix is not offered again as a suggestion: only the other rewrite is. */
const BOTH_SUGGESTIONS = [SHARED_SUGGESTION, RUN_SYNC_SUGGESTION];

const VIA_VARIABLES = code`
  import type { CreateTableQuery } from '@picco/core';
  import type { SQLiteEngine } from '@picco/runtime';
  import { Users } from './tables.js';
  const q = Users.createTable();
  const again = q;
  await again;
  export async function make(query: CreateTableQuery<SQLiteEngine<':memory:'>>) {
    await query;
  }
`;

const CONDITIONAL = code`
  import { defineTable, text } from '@picco/core';
  import { SQLiteEngine } from '@picco/runtime';
  const DB = new SQLiteEngine({ path: process.env['CI'] ? ":memory:" : 'app.db' });
  const Users = defineTable('users', { name: text() }, { db: DB });
  export async function f() { await Users.createTable(); }
`;

describe('no-async-private-memory, with type information (across files)', () => {
  typedRuleTester().run('no-async-private-memory', rule, {
    valid: [
      typed({ code: "import { Notes } from './tables.js';\nawait Notes.createTable();" }),
      typed({ code: "import { Logs } from './tables.js';\nawait Logs.insert({ name: 'a' });\nawait Logs.select().run();" }),
      // A path typed `string` (environment, or an explicit annotation) is unknown: not reported.
      typed({ code: "import { Settings, Widened } from './tables.js';\nawait Settings.createTable();\nawait Widened.count();" }),
      typed({ code: "import { NoEngine } from './tables.js';\nawait NoEngine.createTable();" }),
      typed({ code: "import { Users } from './tables.js';\nUsers.createTable().runSync();\nconst rows = Users.select().runSync();\nexport { rows };" }),
      typed({ code: "import { Users } from './tables.js';\nexport function later() { return Users.createTable(); }" }),
      typed({ code: "import { Users } from './tables.js';\nexport async function sql() { return Users.select().toSQL(); }" }),
      typed({ code: "import { Users } from './other.js';\nawait Users.createTable();\nawait Users.select().run();\nvoid Users.select().then(() => 1);" }),
      typed({ code: "import { SharedDB } from './barrel.js';\nawait SharedDB.raw('SELECT 1');" }),
      typed({ code: 'const m = new Map<string, number>();\nawait Promise.all([Promise.resolve(m.size)]);\nexport {};' }),
      typed({ code: SAME_FILE_SHARED + 'await Users.createTable();\n' }),
      // A sync generator hands the query over unexecuted.
      typed({ code: "import { Users } from './tables.js';\nexport function* queries() { yield Users.count(); }" }),
      // A prepared query is not awaitable: `await` runs nothing (only `.run(values)` does).
      typed({ code: `${PREPARED}await stmt;\nstmt.runSync({ id: 1 });\nexport async function f() { return stmt; }` }),
      // PostgreSQL's engine: a server, never a private database, whatever its connection string says.
      typed({
        code: "import { Bands, PgDB, Venues } from './postgres.js';\nawait Bands.select();\nawait PgDB.raw('SELECT 1');\nawait Promise.all([Bands.count(), Venues.count()]);\nvoid Bands.select().then(() => 1);\nexport async function f() { return Bands.insert({ name: 'a' }); }",
      }),
      typed({ code: "import { PostgresEngine } from '@picco/postgres';\nconst DB = new PostgresEngine({ connectionString: ':memory:' });\nawait DB.raw('SELECT 1');" }),
      ...ODD_SYNTAX.map((test) => ({ code: test.code, filename: test.filename ?? 'file.ts' })),
    ],
    invalid: [
      {
        // A prepared query's `.run(values)` runs asynchronously: the rewrite keeps its values.
        ...typed({ code: `${PREPARED}await /* one */ stmt.run({ id: 1 });` }),
        output: `${PREPARED}/* one */ stmt.runSync({ id: 1 });`,
        errors: [{ messageId: 'privateMemory', data: data({ where: ' (engine defined at ./engine.ts:3)' }) }],
      },
      {
        // SQLite's ':memory:' or PostgreSQL, by configuration: may be private, and no `.runSync()`
        // rewrite (PostgreSQL's engine would refuse it with SYNC_UNSUPPORTED).
        ...typed({ code: "import { Fans } from './postgres.js';\nawait Fans.count();\nvoid Fans.select().then(() => 1);" }),
        output: null,
        errors: [
          { messageId: 'mayBePrivate', data: data({ subject: 'A query on table "fans"', where: '' }), suggestions: [] },
          { messageId: 'mayBePrivate', data: data({ subject: 'A query on table "fans"', where: '' }), suggestions: [] },
        ],
      },
      {
        // The seed: the engine is in another file, so the call is rewritten.
        ...typed({ code: "import { Users } from './tables.js';\nawait Users.createTable();" }),
        output: "import { Users } from './tables.js';\nUsers.createTable().runSync();",
        errors: [
          {
            messageId: 'privateMemory',
            line: 2,
            data: data(),
            suggestions: [],
          },
        ],
      },
      {
        // Through a barrel that renames, and `.run()` under `await`.
        ...typed({ code: "import { Users as U } from './barrel.js';\nexport async function f() {\n  const n = await U.count().run();\n  return n;\n}" }),
        output: "import { Users as U } from './barrel.js';\nexport async function f() {\n  const n = U.count().runSync();\n  return n;\n}",
        errors: [
          {
            messageId: 'privateMemory',
            line: 3,
            data: data(),
            suggestions: [],
          },
        ],
      },
      {
        // `.then()`: no autofix (a synchronous throw instead of a rejection); a suggestion that runs the query now.
        ...typed({ code: "import { Users } from './tables.js';\nvoid Users.select().then((rows) => rows.length);" }),
        output: null,
        errors: [
          {
            messageId: 'privateMemory',
            data: data(),
            suggestions: [{ messageId: 'useRunSyncThen', output: "import { Users } from './tables.js';\nvoid Promise.resolve(Users.select().runSync()).then((rows) => rows.length);" }],
          },
        ],
      },
      {
        // The `.runSync()` rewrite keeps the comments that the removed `await` or `.run()` held.
        ...typed({ code: "import { Users } from './tables.js';\nawait /* keep */ Users.createTable();\nawait // line\n  Users.count().run(/* args */);" }),
        output: "import { Users } from './tables.js';\n/* keep */ Users.createTable().runSync();\n// line\n/* args */ Users.count().runSync();",
        errors: [{ messageId: 'privateMemory', suggestions: [] }, { messageId: 'privateMemory', suggestions: [] }],
      },
      {
        // Async generators await what they yield; `for await` awaits each element of an array.
        ...typed({
          code: code`
            import { Users } from './tables.js';
            export async function* rows() {
              yield Users.count();
              yield* [1];
            }
            for await (const n of [Users.count(), 1]) void n;
          `,
        }),
        output: code`
          import { Users } from './tables.js';
          export async function* rows() {
            yield Users.count().runSync();
            yield* [1];
          }
          for await (const n of [Users.count().runSync(), 1]) void n;
        `,
        errors: [
          { messageId: 'privateMemory', line: 3, column: 9 },
          { messageId: 'privateMemory', line: 6, column: 24 },
        ],
      },
      {
        ...typed({ code: "import { Users } from './tables.js';\nexport async function names() {\n  return Users.select(Users.name);\n}" }),
        output: "import { Users } from './tables.js';\nexport async function names() {\n  return Users.select(Users.name).runSync();\n}",
        errors: [
          {
            messageId: 'privateMemory',
            data: data(),
            suggestions: [],
          },
        ],
      },
      {
        // A query or nothing: `?.runSync()` keeps the nothing, where `(flag ? q : undefined).runSync()`
        // would throw (a regression found by the fix properties, hardening/properties).
        ...typed({
          code: code`
            import { Users } from './tables.js';
            declare const flag: boolean;
            export async function maybe() {
              return flag ? Users.count() : undefined;
            }
            export async function later(query: ReturnType<typeof Users.count> | null) {
              await query;
            }
          `,
        }),
        output: code`
          import { Users } from './tables.js';
          declare const flag: boolean;
          export async function maybe() {
            return (flag ? Users.count() : undefined)?.runSync();
          }
          export async function later(query: ReturnType<typeof Users.count> | null) {
            query?.runSync();
          }
        `,
        errors: [
          {
            messageId: 'privateMemory',
            line: 4,
            data: data({ subject: 'This query', where: '' }),
            suggestions: [],
          },
          {
            messageId: 'privateMemory',
            line: 7,
            data: data({ subject: 'This query', where: '' }),
            suggestions: [],
          },
        ],
      },
      {
        // No semicolons: a rewrite that starts a statement with `(` gets a `;` before it, or it would
        // call the line before; not where the statement is an `if`'s body (found by hardening/properties).
        ...typed({
          code: code`
            import { Users } from './tables.js'
            const flag = Math.random() > 0.5
            await (flag ? Users.count() : Users.createTable())
            if (flag) await (flag ? Users.count() : Users.createTable())
          `,
        }),
        output: code`
          import { Users } from './tables.js'
          const flag = Math.random() > 0.5
          ;(flag ? Users.count() : Users.createTable()).runSync()
          if (flag) (flag ? Users.count() : Users.createTable()).runSync()
        `,
        errors: [
          {
            messageId: 'privateMemory',
            line: 3,
            data: data({ subject: 'This query', where: '' }),
            suggestions: [],
          },
          {
            messageId: 'privateMemory',
            line: 4,
            data: data({ subject: 'This query', where: '' }),
            suggestions: [],
          },
        ],
      },
      {
        ...typed({ code: "import { Users } from './tables.js';\nexport const count = async () => Users.count().where(Users.age.gt(1));" }),
        output: "import { Users } from './tables.js';\nexport const count = async () => Users.count().where(Users.age.gt(1)).runSync();",
        errors: [
          {
            messageId: 'privateMemory',
            data: data(),
            suggestions: [],
          },
        ],
      },
      {
        ...typed({ code: "import { Notes, Users } from './tables.js';\nawait Promise.all([Users.count(), Notes.count(), Users.exists().run()]);" }),
        output: "import { Notes, Users } from './tables.js';\nawait Promise.all([Users.count().runSync(), Notes.count(), Users.exists().runSync()]);",
        errors: [
          {
            messageId: 'privateMemory',
            column: 20,
            data: data(),
            suggestions: [],
          },
          {
            messageId: 'privateMemory',
            column: 50,
            data: data(),
            suggestions: [],
          },
        ],
      },
      {
        ...typed({ code: "import { Users } from './tables.js';\nawait Promise.allSettled([Users.createTable()]);" }),
        output: "import { Users } from './tables.js';\nawait Promise.allSettled([Users.createTable().runSync()]);",
        errors: [
          {
            messageId: 'privateMemory',
            data: data(),
            suggestions: [],
          },
        ],
      },
      {
        // A union of literals with a private member: "may be private"; no autofix.
        ...typed({ code: "import { Maybe } from './tables.js';\nawait Maybe.createTable();" }),
        output: null,
        errors: [
          {
            messageId: 'mayBePrivate',
            data: data({ subject: 'A query on table "maybe"', where: ' (engine defined at ./engine.ts:9)' }),
            suggestions: [{ messageId: 'useRunSync', output: "import { Maybe } from './tables.js';\nMaybe.createTable().runSync();" }],
          },
        ],
      },
      {
        ...typed({ code: "import { Scratch, UriUsers } from './tables.js';\nawait Scratch.createTable();\nawait UriUsers.createTable();" }),
        output: "import { Scratch, UriUsers } from './tables.js';\nScratch.createTable().runSync();\nUriUsers.createTable().runSync();",
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ subject: 'A query on table "scratch"', path: "''", where: ' (engine defined at ./engine.ts:6)' }),
            suggestions: [],
          },
          {
            messageId: 'privateMemory',
            data: data({ subject: 'A query on table "uri_users"', path: "'file::memory:'", where: ' (engine defined at ./engine.ts:7)' }),
            suggestions: [],
          },
        ],
      },
      {
        // Raw SQL on the engine itself, re-exported under another name.
        ...typed({ code: "import { DB } from './barrel.js';\nconst [row] = await DB.raw('SELECT 1 AS one');\nexport { row };" }),
        output: "import { DB } from './barrel.js';\nconst [row] = DB.raw('SELECT 1 AS one').runSync();\nexport { row };",
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ subject: 'This query' }),
            suggestions: [],
          },
        ],
      },
      {
        // Through variables; and from a parameter's declared type alone.
        ...typed({ code: VIA_VARIABLES }),
        output: VIA_VARIABLES.replace('await again;', 'again.runSync();').replace('await query;', 'query.runSync();'),
        errors: [
          {
            messageId: 'privateMemory',
            line: 6,
            data: data(),
            suggestions: [],
          },
          {
            messageId: 'privateMemory',
            line: 8,
            data: data({ subject: 'This query', where: '' }),
            suggestions: [],
          },
        ],
      },
      {
        // The engine's literal is in this file: the default fix rewrites the path.
        ...typed({ code: SAME_FILE + 'await Users.createTable();\n' }),
        output: SAME_FILE_SHARED + 'await Users.createTable();\n',
        errors: [{ messageId: 'privateMemory', data: data({ where: LINE_3 }), suggestions: [RUN_SYNC_SUGGESTION] }],
      },
      {
        ...typed({ code: SAME_FILE + 'await Users.createTable();\n' }),
        options: [{ fix: 'run-sync' }],
        output: SAME_FILE + 'Users.createTable().runSync();\n',
        errors: [{ messageId: 'privateMemory', data: data({ where: LINE_3 }), suggestions: [SHARED_SUGGESTION] }],
      },
      {
        ...typed({ code: SAME_FILE + 'await Users.createTable();\n' }),
        options: [{ fix: 'suggest-only' }],
        output: null,
        errors: [{ messageId: 'privateMemory', data: data({ where: LINE_3 }), suggestions: BOTH_SUGGESTIONS }],
      },
      {
        // A conditional path: the private branch's literal is rewritten.
        ...typed({ code: CONDITIONAL }),
        output: CONDITIONAL.replace('":memory:"', '":memory:?cache=shared"'),
        errors: [
          {
            messageId: 'mayBePrivate',
            data: data({ where: LINE_3 }),
            suggestions: [
              { messageId: 'useRunSync', output: CONDITIONAL.replace('await Users.createTable();', 'Users.createTable().runSync();') },
            ],
          },
        ],
      },
      {
        // Two reports carry the same path fix: it is applied once.
        ...typed({ code: SAME_FILE + 'await Users.createTable();\nawait Users.insert({ name: "a" });\n' }),
        output: SAME_FILE_SHARED + 'await Users.createTable();\nawait Users.insert({ name: "a" });\n',
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ where: LINE_3 }),
            suggestions: [
              { messageId: 'useRunSync', output: SAME_FILE + 'Users.createTable().runSync();\nawait Users.insert({ name: "a" });\n' },
            ],
          },
          {
            messageId: 'privateMemory',
            data: data({ where: LINE_3 }),
            suggestions: [
              { messageId: 'useRunSync', output: SAME_FILE + 'await Users.createTable();\nUsers.insert({ name: "a" }).runSync();\n' },
            ],
          },
        ],
      },
    ],
  });
});

describe('no-async-private-memory, without type information (scope analysis)', () => {
  untypedRuleTester().run('no-async-private-memory', rule, {
    valid: [
      // Imported from another file: not provable without types.
      "import { Users } from './tables.js';\nawait Users.createTable();",
      SAME_FILE_SHARED + 'await Users.createTable();\n',
      SAME_FILE + 'Users.createTable().runSync();\n',
      SAME_FILE.replace("':memory:'", "'app.db'") + 'await Users.createTable();\n',
      // `let` can change: not proven.
      SAME_FILE.replace('const DB', 'let DB') + 'await Users.createTable();\n',
      // PostgreSQL's engine has no SQLite path, whatever its options say.
      code`
        import { defineTable, text } from '@picco/core';
        import { PostgresEngine } from '@picco/postgres';
        const DB = new PostgresEngine({ path: ':memory:', connectionString: ':memory:' } as never);
        const Users = defineTable('users', { name: text() }, { db: DB });
        await Users.createTable();
        await DB.raw('SELECT 1');
      `,
      // Look-alikes: nothing here comes from @picco/*.
      code`
        class SQLiteEngine { constructor(readonly o: { path: string }) {} }
        function defineTable(_n: string, _c: object, o: { db: SQLiteEngine }) { return { createTable: async () => o.db } };
        const DB = new SQLiteEngine({ path: ':memory:' });
        const Users = defineTable('users', {}, { db: DB });
        await Users.createTable();
      `,
      "import { defineTable } from 'other-orm';\nimport { SQLiteEngine } from '@picco/runtime';\nconst T = defineTable('t', {}, { db: new SQLiteEngine({ path: ':memory:' }) });\nawait T.createTable();",
      ...ODD_SYNTAX,
    ],
    invalid: [
      {
        code: SAME_FILE + 'await Users.createTable();\n',
        output: SAME_FILE_SHARED + 'await Users.createTable();\n',
        errors: [{ messageId: 'privateMemory', data: data({ where: LINE_3 }), suggestions: [RUN_SYNC_SUGGESTION] }],
      },
      {
        code: SAME_FILE + RETURNED,
        output: SAME_FILE_SHARED + RETURNED,
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ where: LINE_3 }),
            suggestions: [
              { messageId: 'useRunSync', output: SAME_FILE + RETURNED.replace('return q;', 'return q.runSync();') },
            ],
          },
        ],
      },
      {
        code: SAME_FILE + THEN,
        options: [{ fix: 'run-sync' }],
        // Neither report has a `.runSync()` rewrite that surely keeps the meaning of `.then()`.
        output: null,
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ where: LINE_3 }),
            suggestions: [
              { messageId: 'useSharedCache', data: SHARED_DATA, output: SAME_FILE_SHARED + THEN },
              { messageId: 'useRunSyncThen', output: SAME_FILE + THEN.replace('Users.createTable().then', 'Promise.resolve(Users.createTable().runSync()).then') },
            ],
          },
          {
            messageId: 'privateMemory',
            data: data({ where: LINE_3 }),
            suggestions: [{ messageId: 'useSharedCache', data: SHARED_DATA, output: SAME_FILE_SHARED + THEN }],
          },
        ],
      },
      {
        // Namespace imports, createTables, and an engine given inline.
        code: NAMESPACES,
        output: NAMESPACES.replace('await picco.createTables([A]);', 'picco.createTables([A]).runSync();'),
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ subject: 'This query', path: "''", where: LINE_3 }),
            suggestions: [],
          },
        ],
      },
      {
        code: MAYBE_URI + 'await Users.count();\n',
        output: MAYBE_URI_FIXED + 'await Users.count();\n',
        errors: [
          {
            messageId: 'mayBePrivate',
            data: data({ path: "'file::memory:'", where: LINE_3 }),
            suggestions: [
              { messageId: 'useRunSync', output: MAYBE_URI + 'Users.count().runSync();\n' },
            ],
          },
        ],
      },
      {
        // Through a `const` holding the path: the constant is not rewritten (it may have other uses).
        code: VIA_CONST + 'await Users.count();\n',
        output: VIA_CONST + 'Users.count().runSync();\n',
        errors: [{ messageId: 'privateMemory', data: data({ where: ' (engine defined on line 4)' }), suggestions: [] }],
      },
      {
        code: SAME_FILE + 'await DB.raw("SELECT 1");\n',
        output: SAME_FILE_SHARED + 'await DB.raw("SELECT 1");\n',
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ subject: 'This query', where: LINE_3 }),
            suggestions: [
              { messageId: 'useRunSync', output: SAME_FILE + 'DB.raw("SELECT 1").runSync();\n' },
            ],
          },
        ],
      },
    ],
  });
});

const RETURNED = 'export async function f() {\n  const q = Users.select().where(Users.name.eq("a")).limit(1);\n  return q;\n}\n';
const THEN = 'Users.createTable().then(() => Users.insert({ name: "a" }).run());\n';
const NAMESPACES = code`
  import * as picco from '@picco/core';
  import * as runtime from '@picco/runtime';
  const A = picco.defineTable('a', { x: picco.text() }, { db: new runtime.SQLiteEngine({ path: '' }) });
  await picco.createTables([A]);
`;
const MAYBE_URI = SAME_FILE.replace("':memory:'", "process.env.TEST ? 'file::memory:' : 'app.db'");
const MAYBE_URI_FIXED = SAME_FILE.replace("':memory:'", "process.env.TEST ? 'file::memory:?cache=shared' : 'app.db'");
const VIA_CONST = SAME_FILE.replace("const DB = new SQLiteEngine({ path: ':memory:' });", "const MEMORY = ':memory:';\nconst DB = new SQLiteEngine({ path: MEMORY });");

const SAME_FILE_JS = SAME_FILE + 'await Users.createTable();\n';

describe('no-async-private-memory, plain JavaScript (espree)', () => {
  espreeRuleTester().run('no-async-private-memory', rule, {
    valid: ["import { Users } from './tables.js';\nawait Users.createTable();", 'const m = new Map();\nawait m.get(1);'],
    invalid: [
      {
        code: SAME_FILE_JS,
        output: SAME_FILE_JS.replace("':memory:'", "':memory:?cache=shared'"),
        errors: [
          {
            messageId: 'privateMemory',
            data: data({ where: LINE_3 }),
            suggestions: [
              { messageId: 'useRunSync', output: SAME_FILE_JS.replace('await Users.createTable();', 'Users.createTable().runSync();') },
            ],
          },
        ],
      },
    ],
  });
});
