import plugin from '@picco/eslint-plugin';
import { describe } from 'vitest';
import { fileWithInstalled } from './installed-packages.js';
import { ODD_SYNTAX, code, espreeRuleTester, typed, typedRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-pooled-memory-database'];

const MIKRO_6 = fileWithInstalled({ '@mikro-orm/core': '6.6.16' });
const MIKRO_7 = fileWithInstalled({ '@mikro-orm/core': '7.2.5' });
const NO_MIKRO = fileWithInstalled({});

const KNEX = "import knex from 'knex';\n";
const MEMORY = "connection: { filename: ':memory:' }";

const VALID = [
  // Knex's own SQLite default, one connection kept open: works.
  `${KNEX}knex({ client: 'better-sqlite3', ${MEMORY} });`,
  `${KNEX}knex({ client: 'sqlite3', ${MEMORY}, pool: { min: 1, max: 1 } });`,
  `${KNEX}knex({ client: 'sqlite3', ${MEMORY}, pool: { max: 1, idleTimeoutMillis: 200 } });`,
  `${KNEX}knex({ client: 'sqlite3', ${MEMORY}, pool: { afterCreate(conn, done) { done(null, conn); } } });`,
  // A file database: a pool is fine.
  `${KNEX}knex({ client: 'better-sqlite3', connection: { filename: './app.db' }, pool: { max: 5 } });`,
  `${KNEX}knex({ client: 'pg', connection: { filename: ':memory:' }, pool: { max: 10 } });`,
  // Not knex.
  "import knex from 'other-knex';\nknex({ client: 'sqlite3', connection: { filename: ':memory:' }, pool: { max: 5 } });",
  "function knex(config: object) { return config; }\nknex({ client: 'sqlite3', connection: { filename: ':memory:' }, pool: { max: 5 } });",
  // Unknown values: nothing proven.
  `${KNEX}export function open(max: number) { return knex({ client: 'sqlite3', ${MEMORY}, pool: { max } }); }`,
  `${KNEX}import { POOL } from './pool.js';\nknex({ client: 'sqlite3', ${MEMORY}, pool: POOL });`,
  `${KNEX}import { base } from './base.js';\nknex({ client: 'sqlite3', ${MEMORY}, pool: { max: 1, ...base } });`,
  `${KNEX}export function open(filename: string) { return knex({ client: 'sqlite3', connection: { filename }, pool: { max: 5 } }); }`,
  // A knexfile for a file database, and an exported object that is no knex configuration.
  "module.exports = { development: { client: 'sqlite3', connection: { filename: './dev.sqlite3' }, pool: { max: 5 } } };",
  'export default { pool: { max: 5 }, dbName: "app" };',
];

describe('no-pooled-memory-database, without type information', () => {
  untypedRuleTester().run('no-pooled-memory-database', rule, {
    valid: [
      ...VALID,
      ...ODD_SYNTAX,
      // MikroORM 7 ignores `pool`, and without MikroORM installed nothing is known.
      { code: "import { MikroORM } from '@mikro-orm/sqlite';\nawait MikroORM.init({ dbName: ':memory:', pool: { max: 5 } });\nexport {};", filename: MIKRO_7 },
      { code: "import { MikroORM } from '@mikro-orm/better-sqlite';\nawait MikroORM.init({ dbName: ':memory:', pool: { max: 5 } });\nexport {};", filename: NO_MIKRO },
      // MikroORM 6: a file database, no pool, one connection, or a driver that is not SQLite.
      { code: "import { MikroORM } from '@mikro-orm/better-sqlite';\nawait MikroORM.init({ dbName: 'app.db', pool: { max: 5 } });\nawait MikroORM.init({ dbName: ':memory:' });\nawait MikroORM.init({ dbName: ':memory:', pool: { min: 1, max: 1 } });\nexport {};", filename: MIKRO_6 },
      { code: "import { MikroORM } from '@mikro-orm/core';\nimport { PostgreSqlDriver } from '@mikro-orm/postgresql';\nawait MikroORM.init({ driver: PostgreSqlDriver, dbName: ':memory:', pool: { max: 5 } });\nawait MikroORM.init({ dbName: ':memory:', pool: { max: 5 } });\nexport {};", filename: MIKRO_6 },
    ],
    invalid: [
      {
        code: `${KNEX}export const db = knex({ client: 'better-sqlite3', ${MEMORY}, pool: { max: 5 } });`,
        output: `${KNEX}export const db = knex({ client: 'better-sqlite3', ${MEMORY}, pool: { min: 1, max: 1 } });`,
        errors: [{ messageId: 'severalConnections', data: { library: 'knex' }, line: 2, column: 90 }],
      },
      {
        // min 0: the database is closed with the idle connection. Other pool settings are kept.
        code: `${KNEX}export const db = knex({ client: 'sqlite3', ${MEMORY}, pool: { min: 0, idleTimeoutMillis: 200 } as const });`,
        output: `${KNEX}export const db = knex({ client: 'sqlite3', ${MEMORY}, pool: { max: 1, min: 1, idleTimeoutMillis: 200 } as const });`,
        errors: [{ messageId: 'idleConnection', data: { library: 'knex' } }],
      },
      {
        // CommonJS, the `sqlite` alias, a `const` configuration, a `const` max, shorthand.
        code: code`
          const max = 4;
          const config = { client: 'sqlite', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { max } };
          module.exports = require('knex')(config);
        `,
        output: code`
          const max = 4;
          const config = { client: 'sqlite', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } };
          module.exports = require('knex')(config);
        `,
        errors: [{ messageId: 'severalConnections', line: 2 }],
      },
      {
        // The named export, and a pool held in a shared `const`: reported, not rewritten.
        code: `import { knex } from 'knex';\nimport Knex from 'knex';\nconst POOL = { min: 0, max: 3 };\nknex({ client: 'better-sqlite3', ${MEMORY}, pool: POOL });\nKnex.knex({ client: 'better-sqlite3', ${MEMORY}, pool: { max: 2, min: 2 } });`,
        output: `import { knex } from 'knex';\nimport Knex from 'knex';\nconst POOL = { min: 0, max: 3 };\nknex({ client: 'better-sqlite3', ${MEMORY}, pool: POOL });\nKnex.knex({ client: 'better-sqlite3', ${MEMORY}, pool: { max: 1, min: 1 } });`,
        errors: [
          { messageId: 'severalConnections', line: 4 },
          { messageId: 'severalConnections', line: 5 },
        ],
      },
      {
        // A knexfile, per environment.
        code: code`
          const test = { client: 'better-sqlite3', connection: { filename: ':memory:' }, pool: { min: 0 } };
          module.exports = {
            development: { client: 'better-sqlite3', connection: { filename: './dev.db' }, pool: { max: 5 } },
            test,
            ci: { client: 'sqlite3', connection: { filename: ':memory:' }, pool: { max: 10 } },
          };
        `,
        output: code`
          const test = { client: 'better-sqlite3', connection: { filename: ':memory:' }, pool: { max: 1, min: 1 } };
          module.exports = {
            development: { client: 'better-sqlite3', connection: { filename: './dev.db' }, pool: { max: 5 } },
            test,
            ci: { client: 'sqlite3', connection: { filename: ':memory:' }, pool: { min: 1, max: 1 } },
          };
        `,
        errors: [
          { messageId: 'idleConnection', line: 1 },
          { messageId: 'severalConnections', line: 5 },
        ],
      },
      {
        // A getter for min: reported for its max, not rewritten.
        code: `${KNEX}knex({ client: 'sqlite3', ${MEMORY}, pool: { get min() { return 1; }, max: 4 } });`,
        output: null,
        errors: [{ messageId: 'severalConnections' }],
      },
      {
        code: "const config = { client: 'sqlite3', connection: { filename: ':memory:' }, pool: { max: 2 } };\nexport default config;",
        output: "const config = { client: 'sqlite3', connection: { filename: ':memory:' }, pool: { min: 1, max: 1 } };\nexport default config;",
        errors: [{ messageId: 'severalConnections' }],
      },
      {
        // MikroORM 6: init, defineConfig, a driver from the SQLite package, an exported config.
        filename: MIKRO_6,
        code: code`
          import { MikroORM, defineConfig } from '@mikro-orm/better-sqlite';
          import { MikroORM as Core } from '@mikro-orm/core';
          import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
          export const a = await MikroORM.init({ dbName: ':memory:', entities: [], pool: { max: 5 } });
          export const b = defineConfig({ dbName: ':memory:', pool: { min: 0 } });
          export const c = await Core.init({ driver: BetterSqliteDriver, dbName: ':memory:', pool: { max: 3 } });
          export default { driver: BetterSqliteDriver, dbName: ':memory:', pool: { max: 2 } };
        `,
        output: code`
          import { MikroORM, defineConfig } from '@mikro-orm/better-sqlite';
          import { MikroORM as Core } from '@mikro-orm/core';
          import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
          export const a = await MikroORM.init({ dbName: ':memory:', entities: [], pool: { min: 1, max: 1 } });
          export const b = defineConfig({ dbName: ':memory:', pool: { max: 1, min: 1 } });
          export const c = await Core.init({ driver: BetterSqliteDriver, dbName: ':memory:', pool: { min: 1, max: 1 } });
          export default { driver: BetterSqliteDriver, dbName: ':memory:', pool: { min: 1, max: 1 } };
        `,
        errors: [
          { messageId: 'severalConnections', data: { library: 'MikroORM' }, line: 4 },
          { messageId: 'idleConnection', data: { library: 'MikroORM' }, line: 5 },
          { messageId: 'severalConnections', line: 6 },
          { messageId: 'severalConnections', line: 7 },
        ],
      },
    ],
  });
});

describe('no-pooled-memory-database, plain JavaScript (espree)', () => {
  espreeRuleTester().run('no-pooled-memory-database', rule, {
    valid: [`${KNEX}knex({ client: 'sqlite3', ${MEMORY} });`],
    invalid: [
      {
        code: `const knex = require('knex');\nconst db = knex({ client: 'sqlite3', ${MEMORY}, pool: {} , useNullAsDefault: true });\nconst db2 = knex({ client: 'sqlite3', ${MEMORY}, pool: { max: 2 } });`,
        output: `const knex = require('knex');\nconst db = knex({ client: 'sqlite3', ${MEMORY}, pool: {} , useNullAsDefault: true });\nconst db2 = knex({ client: 'sqlite3', ${MEMORY}, pool: { min: 1, max: 1 } });`,
        errors: [{ messageId: 'severalConnections', line: 3 }],
      },
    ],
  });
});

describe('no-pooled-memory-database, with type information (the same syntax checks)', () => {
  typedRuleTester().run('no-pooled-memory-database', rule, {
    valid: [typed({ code: `${KNEX}knex({ client: 'sqlite3', ${MEMORY}, pool: { min: 1, max: 1 } });` })],
    invalid: [
      typed({
        // The repository's own MikroORM 6.6 is found from the typed project's folder.
        code: "import { MikroORM } from '@mikro-orm/better-sqlite';\nexport const orm = await MikroORM.init({ dbName: ':memory:', pool: { max: 5 } satisfies object });",
        output: "import { MikroORM } from '@mikro-orm/better-sqlite';\nexport const orm = await MikroORM.init({ dbName: ':memory:', pool: { min: 1, max: 1 } satisfies object });",
        errors: [{ messageId: 'severalConnections' as const, data: { library: 'MikroORM' } }],
      }),
    ],
  });
});
