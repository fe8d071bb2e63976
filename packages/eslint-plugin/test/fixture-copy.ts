/**
 * A throwaway copy of some fixture projects, as a user's repository: its own package.json and a
 * typed flat config using the built plugin, node_modules linked to the workspace's. For tests
 * that run ESLint as a process (the CLI, the language server) and may change the files.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO } from './rule-tester.js';

const TYPED_CONFIG = [
  "import tseslint from 'typescript-eslint';",
  "import picco from '@picco/eslint-plugin';",
  'export default [',
  "  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },",
  "  picco.configs['recommended-type-checked'],",
  '];',
  '',
].join('\n');

/** Copies `fixtures/<name>` for each name into a new temporary folder; returns it and its remover. */
export function copyFixtures(prefix: string, fixtures: readonly string[]): { root: string; remove: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), `picco-${prefix}-`));
  for (const name of fixtures) cpSync(path.join(REPO, 'fixtures', name), path.join(root, 'fixtures', name), { recursive: true });
  cpSync(path.join(REPO, 'tsconfig.base.json'), path.join(root, 'tsconfig.base.json'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: `${prefix}-copy`, private: true, type: 'module' }));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  writeFileSync(path.join(root, 'eslint.config.js'), TYPED_CONFIG);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
