/**
 * The end of the story: after `eslint --fix`, the seed's programs run against the real runtime,
 * where the originals are refused with PRIVATE_MEMORY_ASYNC.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { callExports, transpileProject } from '../../../demo/fixture-runner.mjs';
import { fixtureConfig } from './e2e.js';
import { REPO } from './rule-tester.js';

// Inside the repository, so that the transpiled programs resolve `@picco/*`.
const WORK = path.join(REPO, '.tmp', 'test-fixed-programs');
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe.each([
  { fixture: 'seed-split', module: 'setup.js', functions: ['setUp', 'countBands', 'managerNames', 'version'] },
  { fixture: 'seed-single', module: 'app.js', functions: ['main'] },
])('$fixture', ({ fixture, module, functions }) => {
  it('is refused as written, and runs after eslint --fix', async () => {
    const copy = path.join(WORK, 'fixtures', fixture);
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    cpSync(path.join(REPO, 'fixtures', fixture), copy, { recursive: true });
    cpSync(path.join(REPO, 'tsconfig.base.json'), path.join(WORK, 'tsconfig.base.json'));

    const eslint = new ESLint({ cwd: WORK, fix: true, overrideConfigFile: true, overrideConfig: fixtureConfig(true, WORK) });
    const results = await eslint.lintFiles([`fixtures/${fixture}/src/**/*.ts`]);
    await ESLint.outputFixes(results);
    expect(results.flatMap((result) => result.messages)).toEqual([]);

    const original = path.join(WORK, 'run', fixture, 'original');
    const fixed = path.join(WORK, 'run', fixture, 'fixed');
    transpileProject(path.join(REPO, 'fixtures', fixture, 'src'), original);
    transpileProject(path.join(copy, 'src'), fixed);

    const before = callExports(original, module, functions);
    expect(before.status).not.toBe(0);
    expect(before.output).toContain('PRIVATE_MEMORY_ASYNC');

    const after = callExports(fixed, module, functions);
    expect(after.output).not.toContain('Error');
    expect(after.status).toBe(0);
    for (const name of functions) expect(after.output).toContain(`${name}():`);
  });
});
