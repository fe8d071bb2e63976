#!/usr/bin/env node
// Lint benchmark: generates a realistic Picco project and lints it with the plugin's
// `recommended-type-checked` plus typescript-eslint's no-floating-promises and await-thenable,
// timed per rule with ESLint's `stats` option; then with the syntactic `recommended` config.
//
//   node hardening/lint-bench/run.mjs [--files 1000] [--seed 1] [--repeat 3] [--write]
//
// TypeScript checks lazily: whichever rule first asks about a node pays for resolving its types.
// So the typed project is linted three ways, each cold pass in a fresh process:
//   - cold, typescript-eslint's rules first (the usual config order: they pay most lazy work),
//   - warm: a second pass in the same process, same program, the checker's caches full
//     (each rule's own cost, nobody pays lazy checking),
//   - cold, Picco's rules first (the upper bound: Picco pays what it asks first).
// `--write` puts the tables into BENCHMARKS.md under "## Lint".
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { generateProject } from './generate.mjs';
import { lintTables, piccoTotal, writeLintSection } from './markdown.mjs';
import { PICCO_RULES, TS_RULES } from '../lib/lint-configs.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    root: { type: 'string', default: path.join(REPO, '.tmp/lint-bench') },
    repeat: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
  },
});

const files = Number(args.files);
const project = generateProject({ root: args.root, files, seed: Number(args.seed) });
console.error(`generated ${project.files.length} files in ${path.relative(REPO, project.root)}`);

/** One measurement in a fresh process (a cold TypeScript project service). */
function measureInChild(options) {
  const output = execFileSync(process.execPath, [path.join(import.meta.dirname, 'measure.mjs'), JSON.stringify({ root: project.root, ...options })], {
    cwd: REPO,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.toString());
}

/** Each measurement `--repeat` times (the machine may be shared); per pass, the run with the median wall time. */
function medianRuns(options) {
  const runs = Array.from({ length: repeat }, () => measureInChild(options));
  return runs[0].map((_, index) => runs.map((passes) => passes[index]).sort((a, b) => a.wallMs - b.wallMs)[Math.floor(repeat / 2)]);
}

const repeat = Number(args.repeat);
const [cold, warm] = medianRuns({ mode: 'typed', order: 'typescript-eslint-first', passes: 2 });
const [piccoFirst] = medianRuns({ mode: 'typed', order: 'picco-first', passes: 1 });
// The same project with nothing to report: what the rules cost on code that is right.
const clean = generateProject({ root: `${args.root}-clean`, files, seed: Number(args.seed), findings: false });
const [cleanCold, cleanWarm] = medianRuns({ root: clean.root, mode: 'typed', order: 'typescript-eslint-first', passes: 2 });
const [, syntactic] = medianRuns({ mode: 'syntactic', passes: 2 });

// The run must find exactly what the generator wrote, or its timings measure something else.
const problems = [];
const checks = [
  ['cold', cold, project.expected.typed],
  ['warm', warm, project.expected.typed],
  ['Picco first', piccoFirst, project.expected.typed],
  ['syntactic', syntactic, project.expected.untyped],
  ['no findings, cold', cleanCold, clean.expected.typed],
  ['no findings, warm', cleanWarm, clean.expected.typed],
];
for (const [label, pass, expected] of checks) {
  if (pass.fatal.length > 0) problems.push(`${label}: ${pass.fatal.length} fatal messages, first: ${pass.fatal[0]}`);
  for (const rule of PICCO_RULES) {
    const found = pass.reports[rule] ?? 0;
    // The project has no knex, MikroORM or libsql: the rules about those libraries owe nothing.
    const wrote = expected[rule] ?? 0;
    if (found !== wrote) problems.push(`${label}: ${rule} reported ${found}, the generator wrote ${wrote}`);
  }
}

const typedPasses = [
  { label: 'cold, typescript-eslint rules first', pass: cold },
  { label: 'warm (2nd pass, same program)', pass: warm },
  { label: 'cold, Picco rules first', pass: piccoFirst },
  { label: 'no findings: cold, typescript-eslint first', pass: cleanCold },
  { label: 'no findings: warm', pass: cleanWarm },
];
const table = lintTables(typedPasses, { label: 'warm (2nd pass)', pass: syntactic });

const require = createRequire(import.meta.url);
const version = (name) => require(`${name}/package.json`).version;
const cpus = os.cpus();
const share = (pass) => `${((100 * piccoTotal(pass)) / pass.wallMs).toFixed(1)}%`;
const versus = (pass) => `${Math.round(piccoTotal(pass))} vs ${Math.round(pass.rules[TS_RULES[0]] ?? 0)} ms`;
const verdict = [
  `Targets: Picco's rules together ≤ 5% of the typed run: ${share(cold)} cold, ${share(warm)} warm, ${share(piccoFirst)} with Picco first; ` +
    `without findings ${share(cleanCold)} cold, ${share(cleanWarm)} warm. ` +
    `No slower than no-floating-promises: ${versus(cold)} cold, ${versus(warm)} warm; without findings ${versus(cleanCold)} cold, ${versus(cleanWarm)} warm.`,
  `Reports (as generated): ${PICCO_RULES.map((rule) => `${rule.replace('@picco/', '')} ${cold.reports[rule] ?? 0} typed / ${syntactic.reports[rule] ?? 0} without types`).join(', ')}; fatal messages: ${cold.fatal.length}.`,
];
const section = [
  '## Lint',
  '',
  `\`node hardening/lint-bench/run.mjs --files ${files} --seed ${args.seed} --repeat ${repeat}\`: a generated project of ${project.files.length} TypeScript files ` +
    `(${project.plan.engines} engines, ${project.plan.tables} tables in their own files, ${project.plan.barrels} barrels, ${project.plan.setups} setup and ${project.plan.services} service files, ` +
    `${project.plan.singles} same-file modules, ${project.plan.raws} raw better-sqlite3 files, ${project.plan.plain} plain modules), linted through ESLint's Node API with \`stats: true\` ` +
    '(per-rule times are the sums of what ESLint measured per file; "wall" is the whole `lintFiles` call, including parsing and building the TypeScript program; ' +
    `each row is the median-wall-time run of ${repeat}).`,
  '',
  'TypeScript resolves types lazily, so the first rule to ask about a node pays for it. The cold passes run in fresh processes, once with ' +
    "typescript-eslint's rules configured first (the usual order; they absorb most of that work) and once with Picco's first (the upper bound " +
    "for Picco). The warm pass lints again in the same process with the same program and a filled checker cache: each rule's own cost. " +
    `The project has ${project.expected.typed['@picco/no-async-private-memory']} async executions on private engines, one per ${(files / project.expected.typed['@picco/no-async-private-memory']).toFixed(1)} files, far more than real code; ` +
    'each costs a report (tracing the engine for the message and the fix). The "no findings" rows lint the same project made right ' +
    '(private and typo paths shared, no dropped queries): what the rules cost on correct code.',
  '',
  table,
  '',
  ...verdict.map((line) => `${line}  `),
  '',
  `Machine: ${cpus[0]?.model.trim()} × ${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}; Node ${process.version}; ` +
    `ESLint ${version('eslint')}, TypeScript ${version('typescript')}, typescript-eslint ${version('typescript-eslint')}, @picco/eslint-plugin ${version('@picco/eslint-plugin')}.`,
  '',
].join('\n');

console.log(section);
if (problems.length > 0) {
  console.error(`\nThe lint did not find what the generator wrote:\n${problems.join('\n')}`);
  process.exitCode = 1;
}
if (args.write) {
  writeLintSection(path.join(REPO, 'BENCHMARKS.md'), section);
  console.error('wrote the "## Lint" section of BENCHMARKS.md');
}
