import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DOCS_BASE_URL } from '@picco/core';
import plugin from '@picco/eslint-plugin';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from './rule-tester.js';

const PACKAGE = path.join(REPO, 'packages/eslint-plugin');
const manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as { name: string; version: string };
const ruleNames = Object.keys(plugin.rules).sort();

describe('the plugin object', () => {
  it('has flat-config meta from package.json', () => {
    expect(plugin.meta).toEqual({ name: manifest.name, version: manifest.version, namespace: '@picco' });
  });

  it('is what require() returns too, the same object (a CommonJS eslint.config.cjs needs no .default)', () => {
    // In plain Node: vitest loads ES modules through its own module graph, not Node's.
    const script = `
      import { createRequire } from 'node:module';
      import plugin from '@picco/eslint-plugin';
      const required = createRequire(import.meta.url)('@picco/eslint-plugin');
      console.log(JSON.stringify({ same: required === plugin, keys: Object.keys(required).sort() }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ same: true, keys: ['configs', 'meta', 'rules'] });
  });

  describe('recommended-type-checked without type information', () => {
    // In plain Node, as a user runs ESLint: the note goes to stderr once per process.
    const lintTwoFilesWith = (config: string) => {
      const script = `
        import { Linter } from 'eslint';
        import tseslint from 'typescript-eslint';
        import picco from '@picco/eslint-plugin';
        const linter = new Linter({ configType: 'flat' });
        const config = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, picco.configs[process.argv[1]]];
        const source = "import { Users } from './tables.js';\\nawait Users.createTable();\\nexport {};";
        for (const file of ['a.ts', 'b.ts']) linter.verify(source, config, file);`;
      return spawnSync(process.execPath, ['--input-type=module', '-e', script, config], { cwd: REPO, encoding: 'utf8' });
    };

    it('prints one note that the rules see within each file only, and how to give them types', () => {
      const child = lintTwoFilesWith('recommended-type-checked');
      expect(child.status, child.stderr).toBe(0);
      const notes = child.stderr.split('\n').filter((line) => line.includes('without type information'));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('a.ts');
      expect(notes[0]).toContain('projectService');
    });

    it('prints nothing under recommended, whose rules are meant to run without types', () => {
      const child = lintTwoFilesWith('recommended');
      expect(child.status, child.stderr).toBe(0);
      expect(child.stderr).toBe('');
    });
  });

  it('exports its rules', () => {
    expect(ruleNames).toEqual([
      'no-async-private-memory',
      'no-libsql-memory-transaction',
      'no-misleading-sqlite-path',
      'no-pooled-memory-database',
      'no-sync-on-async-only-engine',
      'no-transaction-escape',
      'no-unexecuted-query',
    ]);
  });

  it.each(['recommended', 'recommended-type-checked'] as const)('configs.%s is a named flat config with every rule, wired to the plugin itself', (name) => {
    const config = plugin.configs[name];
    expect(config.name).toBe(`@picco/${name}`);
    expect(config.plugins?.['@picco']).toBe(plugin);
    expect(Object.keys(config.rules ?? {}).sort()).toEqual(ruleNames.map((rule) => `@picco/${rule}`));
    expect(Object.values(config.rules ?? {})).toEqual(ruleNames.map(() => 'error'));
  });

  it.each(ruleNames)('%s has docs: a description, a URL under DOCS_BASE_URL, and a page with examples', (name) => {
    const rule = plugin.rules[name as keyof typeof plugin.rules];
    expect(rule.meta.docs?.url).toBe(`${DOCS_BASE_URL}${name}.md`);
    expect(rule.meta.docs?.description).toMatch(/^Disallow /);
    expect(rule.meta.type).toBe('problem');
    const page = readFileSync(path.join(PACKAGE, 'docs/rules', `${name}.md`), 'utf8');
    for (const section of ['❌', '✅', '## When Not To Use It']) expect(page).toContain(section);
    // eslint-doc-generator wants an Options section exactly when the rule has options.
    expect(page.includes('## Options')).toBe((rule.meta.schema as unknown[]).length > 0);
  });

  it('has a doc page for every rule and no other', () => {
    expect(readdirSync(path.join(PACKAGE, 'docs/rules')).sort()).toEqual(ruleNames.map((name) => `${name}.md`));
  });

  it('keeps no state between files: linting the same text twice gives the same answer', async () => {
    const linter = new Linter({ configType: 'flat' });
    const source =
      "import { defineTable, text } from '@picco/core';\nimport { SQLiteEngine } from '@picco/runtime';\n" +
      "const DB = new SQLiteEngine({ path: ':memory:' });\nconst T = defineTable('t', { x: text() }, { db: DB });\nawait T.createTable();\nT.select();\n";
    const config = [{ ...plugin.configs.recommended, languageOptions: { sourceType: 'module' as const, ecmaVersion: 'latest' as const } }] as Linter.Config[];
    const first = linter.verify(source, config, 'a.js');
    const second = linter.verify(source, config, 'b.js');
    expect(first.map((message) => message.ruleId)).toEqual(['@picco/no-async-private-memory', '@picco/no-unexecuted-query']);
    expect(second).toEqual(first);
  });
});
