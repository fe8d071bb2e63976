/** Linting the fixture projects through ESLint's Node API, for any ESLint major. */
import * as path from 'node:path';
import plugin from '@picco/eslint-plugin';
import type { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly ruleId: string | null;
  readonly fixable: boolean;
}

interface LintResultLike {
  filePath: string;
  messages: { line: number; ruleId: string | null; fix?: unknown; fatal?: boolean; message: string }[];
}

interface ESLintLike {
  lintFiles(patterns: string[]): Promise<LintResultLike[]>;
}

/** A flat config: the TypeScript parser, with or without a program, and one of the plugin's configs. */
export function fixtureConfig(typed: boolean, root: string): Linter.Config[] {
  // typescript-eslint's config types and ESLint's differ in details that do not matter here.
  return [
    {
      files: ['**/*.ts'],
      languageOptions: {
        parser: tseslint.parser,
        parserOptions: typed ? { projectService: true, tsconfigRootDir: root } : {},
      },
    },
    typed ? plugin.configs['recommended-type-checked'] : plugin.configs.recommended,
  ] as Linter.Config[];
}

/** Lints `fixtures/<name>/src` under `root` and returns what was found, with paths relative to `root`. */
export async function lintFixture(eslint: ESLintLike, root: string, name: string): Promise<Finding[]> {
  const results = await eslint.lintFiles([`fixtures/${name}/src/**/*.ts`]);
  const findings: Finding[] = [];
  for (const result of results) {
    for (const message of result.messages) {
      if (message.fatal === true) throw new Error(`${result.filePath}: ${message.message}`);
      findings.push({
        file: path.relative(root, result.filePath).split(path.sep).join('/'),
        line: message.line,
        ruleId: message.ruleId,
        fixable: message.fix !== undefined,
      });
    }
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** What the seed-split fixture must produce with type information. */
export const SEED_SPLIT_TYPED: readonly Omit<Finding, 'fixable'>[] = [
  { file: 'fixtures/seed-split/src/setup.ts', line: 5, ruleId: '@picco/no-async-private-memory' },
  { file: 'fixtures/seed-split/src/setup.ts', line: 6, ruleId: '@picco/no-async-private-memory' },
  { file: 'fixtures/seed-split/src/setup.ts', line: 7, ruleId: '@picco/no-async-private-memory' },
  { file: 'fixtures/seed-split/src/setup.ts', line: 8, ruleId: '@picco/no-async-private-memory' },
  { file: 'fixtures/seed-split/src/setup.ts', line: 8, ruleId: '@picco/no-async-private-memory' },
  { file: 'fixtures/seed-split/src/setup.ts', line: 13, ruleId: '@picco/no-async-private-memory' },
  { file: 'fixtures/seed-split/src/setup.ts', line: 17, ruleId: '@picco/no-async-private-memory' },
  { file: 'fixtures/seed-split/src/setup.ts', line: 21, ruleId: '@picco/no-async-private-memory' },
];

export const MISLEADING: readonly Omit<Finding, 'fixable'>[] = [
  { file: 'fixtures/misleading-paths/src/engine.ts', line: 3, ruleId: '@picco/no-misleading-sqlite-path' },
  { file: 'fixtures/misleading-paths/src/engine.ts', line: 4, ruleId: '@picco/no-misleading-sqlite-path' },
  { file: 'fixtures/misleading-paths/src/engine.ts', line: 5, ruleId: '@picco/no-misleading-sqlite-path' },
  { file: 'fixtures/misleading-paths/src/raw.ts', line: 4, ruleId: '@picco/no-misleading-sqlite-path' },
  { file: 'fixtures/misleading-paths/src/raw.ts', line: 5, ruleId: '@picco/no-misleading-sqlite-path' },
  { file: 'fixtures/misleading-paths/src/raw.ts', line: 6, ruleId: '@picco/no-misleading-sqlite-path' },
  { file: 'fixtures/misleading-paths/src/raw.ts', line: 7, ruleId: '@picco/no-misleading-sqlite-path' },
];

export function withoutFixable(findings: readonly Finding[]): Omit<Finding, 'fixable'>[] {
  return findings.map(({ file, line, ruleId }) => ({ file, line, ruleId }));
}
