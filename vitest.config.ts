import { defineConfig } from 'vitest/config';

// Tests import the packages by name and run against their built `dist/` (`pnpm test` builds
// first): the runtime's worker threads must load real JavaScript, and the linter must see the
// same declaration files users get.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'fixtures/test/**/*.test.ts', 'hardening/test/**/*.test.ts', 'demo/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
