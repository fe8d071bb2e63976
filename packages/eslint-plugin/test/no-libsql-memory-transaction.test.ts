import plugin from '@picco/eslint-plugin';
import { describe } from 'vitest';
import { fileWithInstalled } from './installed-packages.js';
import { ODD_SYNTAX, code, espreeRuleTester, untypedRuleTester } from './rule-tester.js';

const rule = plugin.rules['no-libsql-memory-transaction'];

const LIBSQL_17 = fileWithInstalled({ '@libsql/client': '0.17.4' });
const LIBSQL_18 = fileWithInstalled({ '@libsql/client': '0.18.0' });
const NO_LIBSQL = fileWithInstalled({});

const CLIENT = "import { createClient } from '@libsql/client';\n";

function transactionOn(url: string): string {
  return `${CLIENT}const client = createClient({ url: ${url} });\nexport const tx = await client.transaction('write');\n`;
}

function invalid(url: string, suggested: string) {
  const source = transactionOn(url);
  return {
    code: source,
    filename: LIBSQL_17,
    errors: [
      {
        messageId: 'transactionLosesDatabase' as const,
        data: { version: '0.17.4' },
        line: 3,
        suggestions: [{ messageId: 'useSharedMemory' as const, output: source.replace(url, suggested) }],
      },
    ],
  };
}

describe('no-libsql-memory-transaction, without type information', () => {
  untypedRuleTester().run('no-libsql-memory-transaction', rule, {
    valid: [
      ...ODD_SYNTAX,
      // 0.18 fails loudly instead; without @libsql/client installed nothing is known.
      { code: transactionOn("':memory:'"), filename: LIBSQL_18 },
      { code: transactionOn("':memory:'"), filename: NO_LIBSQL },
      // Shared memory, a file, a server: the transaction does not lose the database.
      ...["'file::memory:?cache=shared'", "'file:local.db'", "'libsql://db.example.com'", 'process.env.DB_URL!'].map((url) => ({ code: transactionOn(url), filename: LIBSQL_17 })),
      // Other libraries' transactions.
      { code: "import Database from 'better-sqlite3';\nconst db = new Database(':memory:');\ndb.transaction(() => {})();", filename: LIBSQL_17 },
      { code: "import { createClient } from 'other-client';\nconst client = createClient({ url: ':memory:' });\nawait client.transaction();\nexport {};", filename: LIBSQL_17 },
      { code: "declare const client: { transaction(): Promise<void> };\nawait client.transaction();\nexport {};", filename: LIBSQL_17 },
    ],
    invalid: [
      invalid("':memory:'", "'file::memory:?cache=shared'"),
      invalid('"file::memory:"', '"file::memory:?cache=shared"'),
      invalid('`file::memory:?cache=private`', '`file::memory:?cache=shared`'),
      {
        filename: LIBSQL_17,
        code: "import { drizzle } from 'drizzle-orm/libsql';\nconst db = drizzle(':memory:');\nawait db.transaction(async () => {});\nawait drizzle({ connection: 'file::memory:' }).transaction(async () => {});\nexport {};",
        errors: [
          {
            messageId: 'transactionLosesDatabase' as const,
            line: 3,
            suggestions: [{ messageId: 'useSharedMemory' as const, output: "import { drizzle } from 'drizzle-orm/libsql';\nconst db = drizzle('file::memory:?cache=shared');\nawait db.transaction(async () => {});\nawait drizzle({ connection: 'file::memory:' }).transaction(async () => {});\nexport {};" }],
          },
          {
            messageId: 'transactionLosesDatabase' as const,
            line: 4,
            suggestions: [{ messageId: 'useSharedMemory' as const, output: "import { drizzle } from 'drizzle-orm/libsql';\nconst db = drizzle(':memory:');\nawait db.transaction(async () => {});\nawait drizzle({ connection: 'file::memory:?cache=shared' }).transaction(async () => {});\nexport {};" }],
          },
        ],
      },
      {
        // Drizzle on a libsql client, in its three spellings; a URL behind a shared `const`.
        filename: LIBSQL_17,
        code: code`
          import { createClient } from '@libsql/client';
          import { drizzle } from 'drizzle-orm/libsql';
          const URL = ':memory:';
          const client = createClient({ url: ':memory:' });
          const a = drizzle(client);
          const b = drizzle({ client: createClient({ url: URL }) });
          const c = drizzle({ connection: { url: ':memory:' } });
          await a.transaction(async (tx) => {});
          await b.transaction(async (tx) => {});
          await c.transaction(async (tx) => {});
        `,
        errors: [
          {
            messageId: 'transactionLosesDatabase',
            line: 8,
            suggestions: [
              {
                messageId: 'useSharedMemory',
                output: code`
                  import { createClient } from '@libsql/client';
                  import { drizzle } from 'drizzle-orm/libsql';
                  const URL = ':memory:';
                  const client = createClient({ url: 'file::memory:?cache=shared' });
                  const a = drizzle(client);
                  const b = drizzle({ client: createClient({ url: URL }) });
                  const c = drizzle({ connection: { url: ':memory:' } });
                  await a.transaction(async (tx) => {});
                  await b.transaction(async (tx) => {});
                  await c.transaction(async (tx) => {});
                `,
              },
            ],
          },
          { messageId: 'transactionLosesDatabase', line: 9, suggestions: [] },
          {
            messageId: 'transactionLosesDatabase',
            line: 10,
            suggestions: [
              {
                messageId: 'useSharedMemory',
                output: code`
                  import { createClient } from '@libsql/client';
                  import { drizzle } from 'drizzle-orm/libsql';
                  const URL = ':memory:';
                  const client = createClient({ url: ':memory:' });
                  const a = drizzle(client);
                  const b = drizzle({ client: createClient({ url: URL }) });
                  const c = drizzle({ connection: { url: 'file::memory:?cache=shared' } });
                  await a.transaction(async (tx) => {});
                  await b.transaction(async (tx) => {});
                  await c.transaction(async (tx) => {});
                `,
              },
            ],
          },
        ],
      },
    ],
  });
});

describe('no-libsql-memory-transaction, plain JavaScript (espree)', () => {
  espreeRuleTester().run('no-libsql-memory-transaction', rule, {
    valid: [],
    invalid: [
      {
        filename: fileWithInstalled({ '@libsql/client': '0.17.4' }, 'file.js'),
        code: "const libsql = require('@libsql/client');\nconst client = libsql.createClient({ url: ':memory:' });\nclient.transaction().then((tx) => tx.commit());",
        errors: [
          {
            messageId: 'transactionLosesDatabase',
            suggestions: [{ messageId: 'useSharedMemory', output: "const libsql = require('@libsql/client');\nconst client = libsql.createClient({ url: 'file::memory:?cache=shared' });\nclient.transaction().then((tx) => tx.commit());" }],
          },
        ],
      },
    ],
  });
});
