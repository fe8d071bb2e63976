#!/usr/bin/env node
// Fix properties with fast-check: random Picco programs are linted and fixed with the plugin's
// recommended config (and with `fix: 'run-sync'`), without and with type information, and the
// fixed code must parse (and type-check), leave nothing fixable for the same reason, and be a
// fixed point (see check.mjs).
//
//   node hardening/properties/run.mjs [--runs 1000] [--typed-runs 100] [--seed N]
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { programArbitrary, renderProgram } from './programs.mjs';
import { TypedChecker, UntypedChecker } from './check.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');

/** Runs both property checks; returns the statistics, throws fast-check's report on a failure. */
export async function runProperties({ runs = 1000, typedRuns = Math.ceil(runs / 10), seed = Date.now() % 2 ** 31, root = path.join(REPO, '.tmp', `properties-${process.pid}`) } = {}) {
  const strategy = fc.constantFrom('default', 'run-sync');
  const untyped = new UntypedChecker(root);
  await fc.assert(
    fc.asyncProperty(programArbitrary(), strategy, async (program, chosen) => {
      const problems = untyped.check(renderProgram(program), chosen);
      if (problems.length > 0) throw new Error(describe(problems, program, chosen));
    }),
    { numRuns: runs, seed },
  );
  const typed = new TypedChecker(path.join(root, 'typed'));
  await fc.assert(
    fc.asyncProperty(programArbitrary(), strategy, async (program, chosen) => {
      const problems = await typed.check(renderProgram(program), chosen);
      if (problems.length > 0) throw new Error(describe(problems, program, chosen));
    }),
    { numRuns: typedRuns, seed },
  );
  return { seed, untyped: untyped.stats, typed: typed.stats };
}

function describe(problems, program, strategy) {
  const rendered = renderProgram(program);
  return [`${problems.join('\n')}`, `(fix strategy: ${strategy}, engine in ${program.engine.place === 'same' ? 'file.ts' : 'engine.ts'})`, '--- engine.ts', rendered.files['engine.ts'], '--- file.ts', rendered.files['file.ts']].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' }, 'typed-runs': { type: 'string' }, seed: { type: 'string' } } });
  const runs = Number(values.runs);
  const started = performance.now();
  const root = path.join(REPO, '.tmp', `properties-${process.pid}`);
  let result;
  try {
    result = await runProperties({
      runs,
      typedRuns: values['typed-runs'] === undefined ? undefined : Number(values['typed-runs']),
      seed: values.seed === undefined ? undefined : Number(values.seed),
      root,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`fix properties hold (seed ${result.seed}, ${seconds} s)`);
  for (const mode of ['untyped', 'typed']) {
    const stats = result[mode];
    console.log(`  ${mode === 'typed' ? 'with types   ' : 'without types'}: ${stats.programs} programs, ${stats.reports} async executions reported, ${stats.fixed} programs changed by fix`);
    const left = Object.entries(stats.remainingWithoutFix).sort((a, b) => b[1] - a[1]);
    console.log(`    reports left after fixing, none with a fix: ${left.map(([key, n]) => `${n} × ${key}`).join('; ') || 'none'}`);
  }
}
