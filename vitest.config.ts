import { defineConfig } from 'vitest/config';

// Tests import the packages by name and run against their built `dist/` (`pnpm test` builds
// first): the runtime's worker processes must load real JavaScript, and the linter must see the
// same declaration files users get.
//
// Two projects: the PostgreSQL suites have a global setup that starts a private server, which
// vitest runs only when one of their files is queued (a focused run elsewhere starts nothing).
// Other packages' tests that need the server are named `*.postgres.test.ts`.
// They run after the rest (`groupOrder`), so that their server and the heavy lint suites do not
// compete for this machine's two cores (adds their ~10 s to a full run).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'picco',
          sequence: { groupOrder: 0 },
          include: ['packages/*/test/**/*.test.ts', 'fixtures/test/**/*.test.ts', 'hardening/test/**/*.test.ts', 'demo/test/**/*.test.ts'],
          exclude: ['packages/postgres/test/**', '**/*.postgres.test.ts', '**/node_modules/**'],
          typecheck: {
            enabled: true,
            include: ['packages/*/test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['packages/postgres/test/**/*.test.ts', 'packages/*/test/**/*.postgres.test.ts'],
          sequence: { groupOrder: 1 },
          globalSetup: ['packages/postgres/test/global-setup.ts'],
        },
      },
    ],
  },
});
