/** no-misleading-sqlite-path on the paths other libraries take: knex, TypeORM, Sequelize, node-sqlite3, libsql. */
import plugin from '@picco/eslint-plugin';
import { describe } from 'vitest';
import { code, espreeRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-misleading-sqlite-path'];

const BETTER = (library: string) => `${library} opens it with better-sqlite3, whose SQLite has URI file names off`;
const NODE_SQLITE3 = (library: string) => `${library} opens it with node-sqlite3 without sqlite3.OPEN_URI, so URI file names are off`;
const NUL_REASON = 'the path contains a NUL character, where SQLite\'s file name ends: it would open "a" instead. Remove the NUL';
const LIBSQL_NUL = "the URL contains a NUL character, on which @libsql/client's native part panics and aborts the whole process";
const LIBSQL = '@libsql/client accepts ":memory:" and URLs only, and refuses this one (URL_INVALID)';

/** One report of a junk file name at `path`, with the suggested rewrite of `source`. */
function junk(source: string, path: string, reason: string, suggestion: string | undefined, messageId: 'fileOfThatName' | 'invalidPath' = 'fileOfThatName') {
  return {
    code: source,
    errors: [
      {
        messageId,
        data: { path: JSON.stringify(path), reason, hint: suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(suggestion)}?` },
        suggestions: suggestion === undefined ? [] : [{ messageId: 'replacePath' as const, output: source.replace(`'${path}'`, `'${suggestion}'`) }],
      },
    ],
  };
}

const TYPEORM = "import { DataSource } from 'typeorm';\n";
const SEQUELIZE = "import { Sequelize } from 'sequelize';\n";
const SQLITE3 = "import sqlite3 from 'sqlite3';\n";
const KNEX = "import knex from 'knex';\n";
const LIBSQL_CLIENT = "import { createClient } from '@libsql/client';\n";

const VALID = [
  TYPEORM + "import sqlite3 from 'sqlite3';\nnew DataSource({ type: 'sqlite', database: 'file::memory:?cache=shared', flags: sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_URI });",
  TYPEORM + "new DataSource({ type: 'better-sqlite3', database: ':memory:' });\nnew DataSource({ type: 'better-sqlite3', database: 'data/app.db' });\nnew DataSource({ type: 'postgres', database: 'file:x?mode=memory' });",
  SEQUELIZE +
    "new Sequelize({ dialect: 'sqlite', storage: ':memory:' });\nnew Sequelize('sqlite::memory:');\nnew Sequelize('sqlite:app.db');\nnew Sequelize({ dialect: 'postgres', storage: ':memory:?cache=shared' });",
  // node-sqlite3 with OPEN_URI: `file:` URIs do share in memory.
  SQLITE3 +
    "new sqlite3.Database(':memory:');\nnew sqlite3.Database('file::memory:?cache=shared', sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_URI);\nnew sqlite3.Database('file:x?mode=memory', 0x46, () => {});",
  SEQUELIZE + "import sqlite3 from 'sqlite3';\nnew Sequelize({ dialect: 'sqlite', storage: 'file::memory:?cache=shared', dialectOptions: { mode: sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_URI } });",
  KNEX + "knex({ client: 'sqlite3', connection: { filename: 'file::memory:?cache=shared', flags: ['OPEN_URI', 'OPEN_SHAREDCACHE'] } });\nknex({ client: 'better-sqlite3', connection: { filename: ':memory:' } });\nknex({ client: 'pg', connection: { filename: ':memory:?cache=shared' } });",
  LIBSQL_CLIENT + "createClient({ url: ':memory:' });\ncreateClient({ url: 'file::memory:?cache=shared' });\ncreateClient({ url: 'file:local.db' });\ncreateClient({ url: 'libsql://db.example.com', authToken: 't' });",
  // Look-alikes.
  "import { DataSource } from 'other-orm';\nnew DataSource({ type: 'better-sqlite3', database: ':memory:?cache=shared' });",
  "import sqlite3 from 'not-sqlite3';\nnew sqlite3.Database(':memory:?cache=shared');",
  "module.exports = { client: 'sqlite3', connection: { filename: './dev.sqlite3' } };",
];

describe('no-misleading-sqlite-path on other libraries, without type information', () => {
  untypedRuleTester().run('no-misleading-sqlite-path', rule, {
    valid: VALID,
    invalid: [
      junk(TYPEORM + "new DataSource({ type: 'better-sqlite3', database: ':memory:?cache=shared' });", ':memory:?cache=shared', BETTER('TypeORM'), ':memory:'),
      junk(TYPEORM + "new DataSource({ type: 'better-sqlite3', database: 'file::memory:?cache=shared' });", 'file::memory:?cache=shared', BETTER('TypeORM'), ':memory:'),
      junk(TYPEORM + "new DataSource({ type: 'better-sqlite3', database: ':memory' });", ':memory', '":memory" is not ":memory:"; SQLite would create a file with that name', ':memory:', 'invalidPath'),
      // TypeORM 0.3's `sqlite` type runs node-sqlite3, with OPEN_URI only when its `flags` say so.
      junk(TYPEORM + "new DataSource({ type: 'sqlite', database: 'file::memory:?cache=shared' });", 'file::memory:?cache=shared', NODE_SQLITE3('TypeORM'), ':memory:'),
      junk("import { createConnection } from 'typeorm';\ncreateConnection({ type: 'sqlite', database: ':memory:?cache=shared', flags: 0x46 });", ':memory:?cache=shared', 'TypeORM has URI file names on, but only names starting with "file:" are URIs', 'file::memory:?cache=shared'),
      junk(SEQUELIZE + "new Sequelize({ dialect: 'sqlite', storage: 'file::memory:?cache=shared' });", 'file::memory:?cache=shared', NODE_SQLITE3('Sequelize'), ':memory:'),
      junk(SEQUELIZE + "new Sequelize('db', 'user', 'pw', { dialect: 'sqlite', storage: 'file:x?mode=memory' });", 'file:x?mode=memory', NODE_SQLITE3('Sequelize'), ':memory:'),
      junk(
        SEQUELIZE + "new Sequelize('sqlite://file::memory:?cache=shared');",
        'sqlite://file::memory:?cache=shared',
        'Sequelize reads the host and path of a "sqlite:" URL as a file name, and "file:" URIs are not understood there',
        'sqlite::memory:',
      ),
      junk(SQLITE3 + "new sqlite3.Database('file::memory:?cache=shared');", 'file::memory:?cache=shared', NODE_SQLITE3('node-sqlite3'), ':memory:'),
      // OPEN_URI does not make `:memory:?cache=shared` a URI: only `file:` names are.
      junk(
        SQLITE3 + "new sqlite3.Database(':memory:?cache=shared', sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_URI);",
        ':memory:?cache=shared',
        'node-sqlite3 has URI file names on, but only names starting with "file:" are URIs',
        'file::memory:?cache=shared',
      ),
      junk(KNEX + "knex({ client: 'sqlite3', connection: { filename: 'file::memory:?cache=shared' } });", 'file::memory:?cache=shared', NODE_SQLITE3('knex'), ':memory:'),
      junk(KNEX + "knex({ client: 'better-sqlite3', connection: { filename: ':memory:?cache=shared' } });", ':memory:?cache=shared', BETTER('knex'), ':memory:'),
      // A NUL ends SQLite's file name: node-sqlite3 and better-sqlite3 open "a"; libsql's native part aborts the process.
      junk(KNEX + "knex({ client: 'sqlite3', connection: { filename: 'a\\0b.db' } });", 'a\0b.db', NUL_REASON, undefined, 'invalidPath'),
      junk(SEQUELIZE + "new Sequelize({ dialect: 'sqlite', storage: 'a\\0b.db' });", 'a\0b.db', NUL_REASON, undefined, 'invalidPath'),
      junk(LIBSQL_CLIENT + "createClient({ url: 'file:a\\0b.db' });", 'file:a\0b.db', LIBSQL_NUL, undefined, 'invalidPath'),
      junk(LIBSQL_CLIENT + "createClient({ url: ':memory:?cache=shared' });", ':memory:?cache=shared', LIBSQL, 'file::memory:?cache=shared', 'invalidPath'),
      junk(LIBSQL_CLIENT + "createClient({ url: 'local.db' });", 'local.db', LIBSQL, 'file:local.db', 'invalidPath'),
      (() => {
        // CommonJS node-sqlite3 with `.verbose()`, destructured requires, flags in a `const`, a knexfile.
        const source = code`
          const sqlite3 = require('sqlite3').verbose();
          const { Database, OPEN_READWRITE } = require('sqlite3');
          const FLAGS = OPEN_READWRITE;
          new sqlite3.Database('file:a?mode=memory');
          new Database('file:b?mode=memory', FLAGS);
          module.exports = { test: { client: 'sqlite3', connection: { filename: 'file:c?mode=memory' } } };
        `;
        const fixed = (path: string) => [{ messageId: 'replacePath' as const, output: source.replace(`'${path}'`, "':memory:'") }];
        return {
          code: source,
          errors: [
            { messageId: 'fileOfThatName' as const, line: 4, data: { path: '"file:a?mode=memory"', reason: NODE_SQLITE3('node-sqlite3'), hint: ' Did you mean ":memory:"?' }, suggestions: fixed('file:a?mode=memory') },
            { messageId: 'fileOfThatName' as const, line: 5, suggestions: fixed('file:b?mode=memory') },
            { messageId: 'fileOfThatName' as const, line: 6, data: { path: '"file:c?mode=memory"', reason: NODE_SQLITE3('knex'), hint: ' Did you mean ":memory:"?' }, suggestions: fixed('file:c?mode=memory') },
          ],
        };
      })(),
    ],
  });
});

describe('no-misleading-sqlite-path on other libraries, plain JavaScript (espree)', () => {
  espreeRuleTester().run('no-misleading-sqlite-path', rule, {
    valid: VALID.slice(2, 3),
    invalid: [junk("const { DataSource } = require('typeorm');\nnew DataSource({ type: 'better-sqlite3', database: ':memory:?cache=shared' });", ':memory:?cache=shared', BETTER('TypeORM'), ':memory:')],
  });
});
