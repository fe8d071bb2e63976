import { ESLint as ESLint9 } from 'eslint9';
import { describe, expect, it } from 'vitest';
import { MISLEADING, SEED_SPLIT_TYPED, fixtureConfig, lintFixture, withoutFixable } from './e2e.js';
import { REPO } from './rule-tester.js';

describe.each([true, false])('ESLint 9 (type information: %s)', (typed) => {
  const eslint = new ESLint9({ cwd: REPO, overrideConfigFile: true, overrideConfig: fixtureConfig(typed, REPO) as never });

  it('runs on ESLint 9', () => {
    expect(ESLint9.version).toMatch(/^9\./);
  });

  it('finds the same as on ESLint 10', async () => {
    expect(withoutFixable(await lintFixture(eslint, REPO, 'seed-split'))).toEqual(typed ? SEED_SPLIT_TYPED : []);
    expect(withoutFixable(await lintFixture(eslint, REPO, 'misleading-paths'))).toEqual(MISLEADING);
    expect(await lintFixture(eslint, REPO, 'clean')).toEqual([]);
    expect(await lintFixture(eslint, REPO, 'look-alikes')).toEqual([]);
    expect(await lintFixture(eslint, REPO, 'seed-single')).toHaveLength(3);
  });

  it('applies fixes in memory the same way', async () => {
    const fixer = new ESLint9({ cwd: REPO, overrideConfigFile: true, overrideConfig: fixtureConfig(typed, REPO) as never, fix: true });
    const [result] = await fixer.lintFiles(['fixtures/seed-single/src/app.ts']);
    expect(result?.output).toContain("path: ':memory:?cache=shared'");
    expect(result?.messages).toEqual([]);
  });
});
