// Part 2 of the demo: the linter finds the seed's bug across files before the code runs,
// `eslint --fix` rewrites it, and the fixed program runs where the original was refused.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import picco from '@picco/eslint-plugin';
import { callExports, transpileProject } from './fixture-runner.mjs';
import { formatLintResults, heading, show } from './print.mjs';

const FIXTURE = 'seed-split';
const ENTRY_FUNCTIONS = ['setUp', 'countBands', 'managerNames', 'version'];

function eslintFor(root, fix) {
  return new ESLint({
    cwd: root,
    fix,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: root } } },
      picco.configs['recommended-type-checked'],
    ],
  });
}

export async function lintStory(root) {
  const work = join(root, '.tmp', 'demo');
  const original = join(root, 'fixtures', FIXTURE);
  const fixedCopy = join(work, 'fixtures', FIXTURE);
  mkdirSync(work, { recursive: true });

  heading(`4. ESLint on fixtures/${FIXTURE}: engine.ts holds ':memory:', setup.ts (three files away) awaits its queries`);
  const linter = eslintFor(root, false);
  const results = await linter.lintFiles([`fixtures/${FIXTURE}/src/**/*.ts`]);
  show(`$ eslint fixtures/${FIXTURE}/src`, formatLintResults(results, root), { wrapLines: false });
  const found = results.reduce((sum, result) => sum + result.errorCount, 0);

  heading('5. eslint --fix on a copy, and the diff it made');
  rmSync(fixedCopy, { recursive: true, force: true });
  cpSync(original, fixedCopy, { recursive: true });
  cpSync(join(root, 'tsconfig.base.json'), join(work, 'tsconfig.base.json'));
  const fixer = eslintFor(work, true);
  const fixedResults = await fixer.lintFiles([`fixtures/${FIXTURE}/src/**/*.ts`]);
  await ESLint.outputFixes(fixedResults);
  const diff = spawnSync('git', ['diff', '--no-index', '--no-color', '--', join('fixtures', FIXTURE, 'src'), join('.tmp', 'demo', 'fixtures', FIXTURE, 'src')], {
    cwd: root,
    encoding: 'utf8',
  });
  show(`$ git diff --no-index fixtures/${FIXTURE}/src .tmp/demo/fixtures/${FIXTURE}/src`, diff.stdout.trim(), { wrapLines: false });
  const secondPass = await eslintFor(work, false).lintFiles([`fixtures/${FIXTURE}/src/**/*.ts`]);
  const remaining = secondPass.reduce((sum, result) => sum + result.errorCount, 0);
  show('$ eslint (second pass on the fixed copy)', `${remaining} problems`);

  heading('6. Running both: the original is refused, the fixed program works');
  const originalBuild = join(work, 'run', 'original');
  const fixedBuild = join(work, 'run', 'fixed');
  transpileProject(join(original, 'src'), originalBuild);
  transpileProject(join(fixedCopy, 'src'), fixedBuild);
  const before = callExports(originalBuild, 'setup.js', ENTRY_FUNCTIONS);
  show(`$ ${before.command}   # original`, before.output);
  const after = callExports(fixedBuild, 'setup.js', ENTRY_FUNCTIONS);
  show(`$ ${after.command}   # after eslint --fix`, after.output);

  return found > 0 && remaining === 0 && before.status !== 0 && before.output.includes('PRIVATE_MEMORY_ASYNC') && after.status === 0;
}
