import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISLEADING, SEED_SPLIT_TYPED, fixtureConfig, lintFixture, withoutFixable } from './e2e.js';
import { copyFixtures } from './fixture-copy.js';
import { REPO } from './rule-tester.js';

const run = promisify(execFile);

describe.each([true, false])('ESLint Node API on the fixtures (type information: %s)', (typed) => {
  const eslint = new ESLint({ cwd: REPO, overrideConfigFile: true, overrideConfig: fixtureConfig(typed, REPO) });

  it('the clean project produces no report', async () => {
    expect(await lintFixture(eslint, REPO, 'clean')).toEqual([]);
  });

  it('the look-alikes (other ORMs, Map, classes with createTable/run) produce no report', async () => {
    expect(await lintFixture(eslint, REPO, 'look-alikes')).toEqual([]);
  });

  it('the seed split across files is found only with type information', async () => {
    const findings = withoutFixable(await lintFixture(eslint, REPO, 'seed-split'));
    expect(findings).toEqual(typed ? SEED_SPLIT_TYPED : []);
  });

  it('the seed in one file is found either way, with its fix', async () => {
    const findings = await lintFixture(eslint, REPO, 'seed-single');
    expect(findings).toEqual([9, 10, 11].map((line) => ({ file: 'fixtures/seed-single/src/app.ts', line, ruleId: '@picco/no-async-private-memory', fixable: true })));
  });

  it('misleading paths are found for SQLiteEngine and raw better-sqlite3', async () => {
    expect(withoutFixable(await lintFixture(eslint, REPO, 'misleading-paths'))).toEqual(MISLEADING);
  });
});

describe('eslint --fix on a copy of the fixtures (the CLI)', () => {
  let root: string;

  let copy: ReturnType<typeof copyFixtures>;

  beforeAll(() => {
    copy = copyFixtures('fix', ['seed-split', 'seed-single', 'clean', 'look-alikes']);
    root = copy.root;
  });

  afterAll(() => copy.remove());

  it('fixes, the fixed code parses and type-checks, and a second pass reports nothing', { timeout: 120_000 }, async () => {
    const cli = path.join(REPO, 'node_modules/eslint/bin/eslint.js');
    // Everything in these fixtures is autofixable: the CLI exits 0 after fixing.
    const fixed = await run(process.execPath, [cli, '--fix', '--max-warnings', '0', 'fixtures/*/src/**/*.ts'], { cwd: root });
    expect(fixed.stdout).toBe('');

    const app = readFileSync(path.join(root, 'fixtures/seed-single/src/app.ts'), 'utf8');
    expect(app).toContain("new SQLiteEngine({ path: ':memory:?cache=shared' })");
    expect(app).toContain('await Users.createTable();');
    const setup = readFileSync(path.join(root, 'fixtures/seed-split/src/setup.ts'), 'utf8');
    expect(setup).toContain('createTables([Manager, Band]).runSync();');
    expect(setup).toContain('await Promise.all([Manager.count().runSync(), Band.count().runSync()]);');
    expect(setup).toContain('return Manager.select(Manager.name).runSync();');
    expect(readFileSync(path.join(root, 'fixtures/seed-split/src/engine.ts'), 'utf8')).toContain("path: ':memory:' }");

    for (const project of ['seed-split', 'seed-single', 'clean', 'look-alikes']) {
      expect(typeCheck(path.join(root, 'fixtures', project, 'tsconfig.json')), project).toEqual([]);
    }

    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(['fixtures/*/src/**/*.ts']);
    expect(results.flatMap((result) => result.messages)).toEqual([]);
    // The CLI, four TypeScript programs and a typed lint: ~9 s of CPU, several times that on a loaded machine.
  });
});

/** TypeScript's diagnostics for a project, as text (syntax and types). */
function typeCheck(tsconfig: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) return [`cannot read ${tsconfig}`];
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}
