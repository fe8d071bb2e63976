import plugin from '@picco/eslint-plugin';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ODD_SYNTAX, code, espreeRuleTester, typed, typedRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-misleading-sqlite-path'];

const RAW = "import Database from 'better-sqlite3';\n";
const PICCO = "import { SQLiteEngine } from '@picco/runtime';\n";
const JUNK_URI = 'better-sqlite3 ships SQLite with URI file names off, so this is a file with exactly that name in the working directory';
const JUNK_SHARED =
  'better-sqlite3 ships SQLite with URI file names off and shared cache compiled out, so this is not a shared in-memory database but a file with exactly that name in the working directory (one Database object is one connection: ":memory:" is already shared by everything that uses that object)';

const NUL_REASON = 'the path contains a NUL character, where SQLite\'s file name ends: it would open "a" instead. Remove the NUL';

/** One invalid case: `path` in `prefix + make(path)`, expecting `suggestion` (or none). */
function raw(path: string, messageId: 'invalidPath' | 'uriOnRawSqlite', reason: string, suggestion: string | undefined) {
  const source = `${RAW}export const db = new Database('${path}');\n`;
  return {
    code: source,
    errors: [
      {
        messageId,
        data: { path: JSON.stringify(path), reason, hint: suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(suggestion)}?` },
        suggestions:
          suggestion === undefined ? [] : [{ messageId: 'replacePath' as const, data: { replacement: JSON.stringify(suggestion) }, output: source.replace(`'${path}'`, `'${suggestion}'`) }],
      },
    ],
  };
}

function picco(path: string, reason: string, suggestion: string | undefined) {
  const source = `${PICCO}export const DB = new SQLiteEngine({ path: "${path}" });\n`;
  return {
    code: source,
    errors: [
      {
        messageId: 'invalidPath' as const,
        data: { path: JSON.stringify(path), reason, hint: suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(suggestion)}?` },
        suggestions:
          suggestion === undefined ? [] : [{ messageId: 'replacePath' as const, data: { replacement: JSON.stringify(suggestion) }, output: source.replace(`"${path}"`, `"${suggestion}"`) }],
      },
    ],
  };
}

const VALID = [
  RAW + "new Database(':memory:');\nnew Database('');\nnew Database('./data/app.db', { readonly: true });\nnew Database();",
  RAW + 'export function open(file: string) { return new Database(file); }',
  PICCO + "new SQLiteEngine({ path: ':memory:?cache=shared' });\nnew SQLiteEngine({ path: 'file:app.db?mode=ro' });\nnew SQLiteEngine({ path: 'file:shared?mode=memory&cache=shared' });",
  // A Database's methods take SQL, not paths; with types they are declared by better-sqlite3 too, and
  // `?` would read as a query string on a file name (a regression found by hardening/lint-bench).
  RAW +
    "const db = new Database(':memory:');\ndb.prepare('SELECT value FROM kv WHERE key = ?').get('k');\ndb.exec('SELECT 1 WHERE 1 = ?');\n" +
    "export class Store {\n  constructor(private readonly db: Database.Database) {}\n  get(id: number) { return this.db.prepare('SELECT * FROM t WHERE id = ?').get(id); }\n}",
  // Look-alikes: not better-sqlite3, not Picco.
  "class Database { constructor(readonly p: string) {} }\nnew Database(':memory:?cache=shared');\nnew Database(':memory');",
  "import Database from 'other-sqlite';\nnew Database('file::memory:');",
  "import { SQLiteEngine } from 'other-orm';\nnew SQLiteEngine({ path: ':memory' });",
  "new Map([[':memory', 1]]);\nexport {};",
];

const INVALID = [
  raw(':memory:?cache=shared', 'uriOnRawSqlite', JUNK_SHARED, ':memory:'),
  raw('file::memory:?cache=shared', 'uriOnRawSqlite', JUNK_SHARED, ':memory:'),
  raw('file::memory:', 'uriOnRawSqlite', JUNK_URI, ':memory:'),
  raw('file:app.db?mode=ro', 'uriOnRawSqlite', JUNK_URI, 'app.db'),
  raw(':memory', 'invalidPath', '":memory" is not ":memory:"; SQLite would create a file with that name', ':memory:'),
  raw('memory:', 'invalidPath', '"memory:" is not ":memory:"; SQLite would create a file with that name', ':memory:'),
  raw(' :memory: ', 'invalidPath', 'the path has leading or trailing white space, which SQLite keeps in the file name', ':memory:'),
  raw('app.db?mode=ro', 'invalidPath', 'a query string on a plain file name is part of the file name to SQLite; options need a "file:" URI', 'app.db'),
  picco(':memory', '":memory" is not ":memory:"; SQLite would create a file with that name', ':memory:'),
  picco(':memory:?cache=share', 'unknown cache mode "share"', ':memory:?cache=shared'),
  picco('file:x?mode=memory&cach=shared', 'unknown URI parameter "cach" (did you mean "cache"?)', undefined),
  picco('file::memory:?cache=shred', 'unknown cache mode "shred" (expected shared or private)', 'file::memory:?cache=shared'),
  // Issue 8, item 14: a NUL ends SQLite's file name (better-sqlite3 opens "a"); a URI fragment is
  // ignored by SQLite; a path of spaces is no temporary database.
  {
    // The escape in the source is a real NUL in the value.
    code: `${RAW}new Database('a\\u0000b.db');\n${PICCO}new SQLiteEngine({ path: "a\\0b.db" });\n`,
    errors: [
      { messageId: 'invalidPath' as const, line: 2, suggestions: [], data: { path: JSON.stringify('a\u0000b.db'), reason: NUL_REASON, hint: '' } },
      { messageId: 'invalidPath' as const, line: 4, suggestions: [], data: { path: JSON.stringify('a\u0000b.db'), reason: NUL_REASON, hint: '' } },
    ],
  },
  picco('file:a%00b.db', NUL_REASON, undefined),
  picco('file:x.db#frag', 'a "#" in a "file:" URI starts a fragment, which SQLite ignores (it would open "x.db"); write "%23" for a "#" that is part of the file name, or drop the fragment', undefined),
  raw('   ', 'invalidPath', 'the path is only white space, which SQLite would take as a file name made of spaces', undefined),
];

describe('no-misleading-sqlite-path, without type information', () => {
  untypedRuleTester().run('no-misleading-sqlite-path', rule, {
    valid: [...VALID, ...ODD_SYNTAX],
    invalid: [
      ...INVALID,
      {
        // CommonJS, TypeScript's import-equals, a call without `new`, a `const` path, a template.
        code: code`
          import Sqlite = require('better-sqlite3');
          const Database = require('better-sqlite3');
          const PATH = ':memory';
          export const a = Sqlite(\`:memory:?cache=shared\`);
          export const b = new Database(PATH);
        `,
        errors: [
          {
            messageId: 'uriOnRawSqlite',
            line: 4,
            data: { path: '":memory:?cache=shared"', reason: JUNK_SHARED, hint: ' Did you mean ":memory:"?' },
            suggestions: [
              {
                messageId: 'replacePath',
                data: { replacement: '":memory:"' },
                output: code`
                  import Sqlite = require('better-sqlite3');
                  const Database = require('better-sqlite3');
                  const PATH = ':memory';
                  export const a = Sqlite(\`:memory:\`);
                  export const b = new Database(PATH);
                `,
              },
            ],
          },
          // Through a `const`: reported, but the constant is not rewritten.
          { messageId: 'invalidPath', line: 5, column: 31, suggestions: [], data: { path: '":memory"', reason: '":memory" is not ":memory:"; SQLite would create a file with that name', hint: ' Did you mean ":memory:"?' } },
        ],
      },
    ],
  });
});

describe('no-misleading-sqlite-path, with type information', () => {
  typedRuleTester().run('no-misleading-sqlite-path', rule, {
    valid: [
      ...VALID.map((source) => typed({ code: source })),
      typed({ code: RAW + "import { GOOD_PATH } from './paths.js';\nnew Database(GOOD_PATH);" }),
      ...ODD_SYNTAX.map((test) => ({ code: test.code, filename: test.filename ?? 'file.ts' })),
    ],
    invalid: [
      ...INVALID.map((test) => typed(test)),
      {
        // The path's literal type, from another file: reported without a rewrite.
        ...typed({ code: RAW + "import { TYPO_PATH } from './paths.js';\nexport const db = new Database(TYPO_PATH);" }),
        errors: [{ messageId: 'invalidPath', line: 3, suggestions: [], data: { path: '":memory"', reason: '":memory" is not ":memory:"; SQLite would create a file with that name', hint: ' Did you mean ":memory:"?' } }],
      },
    ],
  });
});

describe('no-misleading-sqlite-path, plain JavaScript (espree)', () => {
  espreeRuleTester().run('no-misleading-sqlite-path', rule, {
    valid: ["import Database from 'better-sqlite3';\nnew Database(':memory:');"],
    invalid: [
      {
        code: "import Database from 'better-sqlite3';\nnew Database(\":memory:?cache=shared\");",
        errors: [
          {
            messageId: 'uriOnRawSqlite',
            suggestions: [{ messageId: 'replacePath', output: "import Database from 'better-sqlite3';\nnew Database(\":memory:\");" }],
          },
        ],
      },
      {
        // better-sqlite3 also works without `new`; recognised by its require, not by types.
        code: "const Database = require('better-sqlite3');\nconst db = Database(':memory');",
        errors: [
          {
            messageId: 'invalidPath',
            suggestions: [{ messageId: 'replacePath', output: "const Database = require('better-sqlite3');\nconst db = Database(':memory:');" }],
          },
        ],
      },
    ],
  });
});

describe('no-misleading-sqlite-path on huge strings (issue 8, item 18)', () => {
  // Every call with a string argument has its string judged (cheap syntax before types), and
  // judging once ran an edit distance over the whole string: 4.8 s for one
  // JSON.parse('<4 MB string>'). Measured against the same file linted without the rule, with
  // a bound far above what the rule now adds (a few ms) and far below what it added before.
  it('JSON.parse of a 4 MB string literal adds well under a second', () => {
    const source = `export const data = JSON.parse('${'m'.repeat(4_000_000)}');\nexport const more = String('::${'m'.repeat(1_000_000)}:');\n`;
    const linter = new Linter({ configType: 'flat' });
    const lint = (rules: Linter.RulesRecord) => {
      const started = performance.now();
      const messages = linter.verify(source, [{ files: ['**/*.js'], plugins: { picco: plugin as never }, rules }], 'huge.js');
      return { messages, elapsed: performance.now() - started };
    };
    const baseline = lint({});
    const withRule = lint({ 'picco/no-misleading-sqlite-path': 'error' });
    expect(withRule.messages).toEqual([]);
    expect(withRule.elapsed - baseline.elapsed).toBeLessThan(1000);
  });
});
