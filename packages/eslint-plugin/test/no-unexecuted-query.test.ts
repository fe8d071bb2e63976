import plugin from '@picco/eslint-plugin';
import { describe } from 'vitest';
import { ODD_SYNTAX, code, espreeRuleTester, typed, typedRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-unexecuted-query'];

const SAME_FILE = code`
  import { defineTable, text } from '@picco/core';
  import { SQLiteEngine } from '@picco/runtime';
  const DB = new SQLiteEngine({ path: 'app.db' });
  const Users = defineTable('users', { name: text() }, { db: DB });
`;

describe('no-unexecuted-query, with type information', () => {
  typedRuleTester().run('no-unexecuted-query', rule, {
    valid: [
      typed({ code: "import { Notes } from './tables.js';\nawait Notes.createTable();\nNotes.createTable().runSync();\nvoid Notes.createTable().run();" }),
      typed({ code: "import { Notes } from './tables.js';\nconst q = Notes.select();\nNotes.select().toSQL();\nexport { q };" }),
      typed({ code: "import { Users } from './other.js';\nUsers.createTable();" }),
      typed({ code: "const m = new Map<string, number>();\nm.set('a', 1);\nexport {};" }),
      typed({ code: "import { Notes } from './tables.js';\nexport const make = () => Notes.createTable();" }),
      ...ODD_SYNTAX.map((test) => ({ code: test.code, filename: test.filename ?? 'file.ts' })),
    ],
    invalid: [
      {
        ...typed({ code: "import { Notes } from './tables.js';\nNotes.createTable();" }),
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "notes"' },
            suggestions: [
              { messageId: 'addAwait', output: "import { Notes } from './tables.js';\nawait Notes.createTable();" },
              { messageId: 'addRunSync', output: "import { Notes } from './tables.js';\nNotes.createTable().runSync();" },
            ],
          },
        ],
      },
      {
        // On a private engine, `await` would fail: only `.runSync()` is offered.
        ...typed({ code: "import { Users } from './barrel.js';\nUsers.insert({ name: 'a' });" }),
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "users"' },
            suggestions: [{ messageId: 'addRunSync', output: "import { Users } from './barrel.js';\nUsers.insert({ name: 'a' }).runSync();" }],
          },
        ],
      },
      {
        // Not inside async code: no `await`.
        ...typed({ code: "import { Logs } from './tables.js';\nexport function clean() {\n  Logs.delete().where(Logs.age.lt(3));\n}" }),
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "logs"' },
            suggestions: [{ messageId: 'addRunSync', output: "import { Logs } from './tables.js';\nexport function clean() {\n  Logs.delete().where(Logs.age.lt(3)).runSync();\n}" }],
          },
        ],
      },
      {
        ...typed({ code: "import { SharedDB } from './engine.js';\nexport async function f() {\n  SharedDB.raw('VACUUM');\n}" }),
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query' },
            suggestions: [
              { messageId: 'addAwait', output: "import { SharedDB } from './engine.js';\nexport async function f() {\n  await SharedDB.raw('VACUUM');\n}" },
              { messageId: 'addRunSync', output: "import { SharedDB } from './engine.js';\nexport async function f() {\n  SharedDB.raw('VACUUM').runSync();\n}" },
            ],
          },
        ],
      },
      {
        // PostgreSQL's queries are lazy too; `.runSync()` is never offered there (SYNC_UNSUPPORTED).
        ...typed({ code: "import { Bands, PgDB } from './postgres.js';\nBands.createTable();\nPgDB.raw('VACUUM');\nexport function sync() {\n  Bands.delete().where(Bands.id.eq(1));\n}" }),
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "bands"' },
            suggestions: [{ messageId: 'addAwait', output: "import { Bands, PgDB } from './postgres.js';\nawait Bands.createTable();\nPgDB.raw('VACUUM');\nexport function sync() {\n  Bands.delete().where(Bands.id.eq(1));\n}" }],
          },
          {
            messageId: 'unexecuted',
            data: { subject: 'This query' },
            suggestions: [{ messageId: 'addAwait', output: "import { Bands, PgDB } from './postgres.js';\nBands.createTable();\nawait PgDB.raw('VACUUM');\nexport function sync() {\n  Bands.delete().where(Bands.id.eq(1));\n}" }],
          },
          { messageId: 'unexecuted', data: { subject: 'This query on table "bands"' }, suggestions: [] },
        ],
      },
      {
        // A prepared query dropped: reported, with no rewrite (`await` would run nothing; its values are the author's).
        ...typed({ code: "import { Notes } from './tables.js';\nexport async function f() {\n  Notes.select().prepare();\n}" }),
        errors: [{ messageId: 'unexecuted', suggestions: [] }],
      },
      {
        // SQLite's engine or PostgreSQL's, by configuration: `.runSync()` would fail on one of them.
        ...typed({ code: "import { Venues } from './postgres.js';\nVenues.createTable();" }),
        errors: [{ messageId: 'unexecuted', suggestions: [{ messageId: 'addAwait', output: "import { Venues } from './postgres.js';\nawait Venues.createTable();" }] }],
      },
      {
        ...typed({ code: "import { Notes } from './tables.js';\nconst q = Notes.count();\nq as typeof q;" }),
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "notes"' },
            suggestions: [
              { messageId: 'addAwait', output: "import { Notes } from './tables.js';\nconst q = Notes.count();\nawait (q as typeof q);" },
              { messageId: 'addRunSync', output: "import { Notes } from './tables.js';\nconst q = Notes.count();\n(q as typeof q).runSync();" },
            ],
          },
        ],
      },
    ],
  });
});

describe('no-unexecuted-query, without type information', () => {
  untypedRuleTester().run('no-unexecuted-query', rule, {
    valid: [
      "import { Users } from './tables.js';\nUsers.createTable();",
      SAME_FILE + 'await Users.createTable();\nUsers.select().runSync();\nvoid Users.count();\n',
      SAME_FILE + 'Users.name.eq("a");\nUsers.select().toSQL();\n',
      'class Table { createTable() { return 1; } }\nnew Table().createTable();',
      ...ODD_SYNTAX,
    ],
    invalid: [
      {
        // On PostgreSQL's engine: `await` only (`.runSync()` is refused with SYNC_UNSUPPORTED).
        code: SAME_FILE.replace("import { SQLiteEngine } from '@picco/runtime';", "import { PostgresEngine } from '@picco/postgres';").replace("new SQLiteEngine({ path: 'app.db' })", 'new PostgresEngine()') + 'Users.createTable();\nDB.raw("VACUUM");\n',
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "users"' },
            suggestions: [
              {
                messageId: 'addAwait',
                output: SAME_FILE.replace("import { SQLiteEngine } from '@picco/runtime';", "import { PostgresEngine } from '@picco/postgres';").replace("new SQLiteEngine({ path: 'app.db' })", 'new PostgresEngine()') + 'await Users.createTable();\nDB.raw("VACUUM");\n',
              },
            ],
          },
          {
            messageId: 'unexecuted',
            data: { subject: 'This query' },
            suggestions: [
              {
                messageId: 'addAwait',
                output: SAME_FILE.replace("import { SQLiteEngine } from '@picco/runtime';", "import { PostgresEngine } from '@picco/postgres';").replace("new SQLiteEngine({ path: 'app.db' })", 'new PostgresEngine()') + 'Users.createTable();\nawait DB.raw("VACUUM");\n',
              },
            ],
          },
        ],
      },
      {
        code: SAME_FILE + 'Users.createTable();\n',
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "users"' },
            suggestions: [
              { messageId: 'addAwait', output: SAME_FILE + 'await Users.createTable();\n' },
              { messageId: 'addRunSync', output: SAME_FILE + 'Users.createTable().runSync();\n' },
            ],
          },
        ],
      },
      {
        code: SAME_FILE.replace("'app.db'", "':memory:'") + 'Users.select().where(Users.name.eq("a")).orderBy(Users.name);\n',
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query on table "users"' },
            suggestions: [{ messageId: 'addRunSync', output: SAME_FILE.replace("'app.db'", "':memory:'") + 'Users.select().where(Users.name.eq("a")).orderBy(Users.name).runSync();\n' }],
          },
        ],
      },
    ],
  });
});

describe('no-unexecuted-query, plain JavaScript (espree)', () => {
  espreeRuleTester().run('no-unexecuted-query', rule, {
    valid: ["import { Users } from './tables.js';\nUsers.createTable();", 'const m = new Map();\nm.set(1, 2);'],
    invalid: [
      {
        code: "import { createTables, defineTable, text } from '@picco/core';\nconst T = defineTable('t', { x: text() });\nfunction f() { createTables([T]); }\n",
        errors: [
          {
            messageId: 'unexecuted',
            data: { subject: 'This query' },
            suggestions: [{ messageId: 'addRunSync', output: "import { createTables, defineTable, text } from '@picco/core';\nconst T = defineTable('t', { x: text() });\nfunction f() { createTables([T]).runSync(); }\n" }],
          },
        ],
      },
    ],
  });
});
