// The quick form of `node hardening/lint-bench/run.mjs`: a generated project of ~40 files,
// linted with and without types; each Picco rule must report exactly what the generator wrote
// (it counts every async execution on a private engine, every dropped query and misleading
// path, per file), and nothing may crash.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../lint-bench/generate.mjs';
import { writeLintSection } from '../lint-bench/markdown.mjs';
import { measure } from '../lint-bench/measure.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');

describe('lint benchmark project (quick form)', () => {
  const root = path.join(REPO, '.tmp', `lint-bench-test-${process.pid}`);
  let project: ReturnType<typeof generateProject>;

  beforeAll(() => {
    project = generateProject({ root, files: 40, seed: 7 });
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('writes 40 files that type-check, with findings for every rule', () => {
    expect(project.files).toHaveLength(40);
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
    expect(ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))).toEqual([]);
    // The generated project has no transactions: no-transaction-escape owes nothing there (its cost is still measured).
    for (const [rule, count] of Object.entries(project.expected.typed)) if (rule !== '@picco/no-transaction-escape') expect(count).toBeGreaterThan(0);
    expect(project.expected.untyped['@picco/no-async-private-memory']).toBeGreaterThan(0);
  });

  it('with type information (plus no-floating-promises and await-thenable), every rule reports exactly what was generated, per file', async () => {
    const [pass] = await measure({ root, mode: 'typed' });
    expect(pass.fatal).toEqual([]);
    expect(pass.files).toBe(40);
    expect(piccoOnly(pass.reportsByFile)).toEqual(project.byFile.typed);
    // ESLint measured every rule (the benchmark's figures come from here).
    for (const rule of ['@picco/no-async-private-memory', '@typescript-eslint/no-floating-promises', '@typescript-eslint/await-thenable']) expect(pass.rules[rule]).toBeGreaterThan(0);
  });

  it('without type information, only what each file shows by itself is reported', async () => {
    const [pass] = await measure({ root, mode: 'syntactic' });
    expect(pass.fatal).toEqual([]);
    expect(piccoOnly(pass.reportsByFile)).toEqual(project.byFile.untyped);
  });
});

/** Reports of Picco's rules per file (typescript-eslint's are not counted by the generator). */
function piccoOnly(byFile: Record<string, Record<string, number>>): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const [file, counts] of Object.entries(byFile)) {
    const picco = Object.fromEntries(Object.entries(counts).filter(([rule]) => rule.startsWith('@picco/')));
    if (Object.keys(picco).length > 0) result[file] = picco;
  }
  return result;
}

describe('the "## Lint" section of BENCHMARKS.md', () => {
  const file = path.join(REPO, '.tmp', `benchmarks-test-${process.pid}.md`);

  afterAll(() => {
    rmSync(file, { force: true });
  });

  it('is added, then replaced, and nothing else in the file changes', () => {
    const others = '# Benchmarks\n\nIntro.\n\n## ORM\n\norm table\n\n## Async\n\nasync table\n';
    writeFileSync(file, others);
    writeLintSection(file, '## Lint\n\nfirst\n');
    expect(readFileSync(file, 'utf8')).toBe(`${others}\n## Lint\n\nfirst\n`);

    // Another engineer adds a section after ours; a new run replaces only ours.
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n## Later\n\nkept\n`);
    writeLintSection(file, '## Lint\n\nsecond\n');
    expect(readFileSync(file, 'utf8')).toBe(`${others}\n## Lint\n\nsecond\n\n## Later\n\nkept\n`);
  });
});
