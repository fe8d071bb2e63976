#!/usr/bin/env node
// Where the lint rules' time goes: lints the generated project (hardening/lint-bench) once cold,
// then profiles N warm passes with V8's sampling profiler (the inspector, in this process) and
// prints the samples per rule (by the outermost rule frame of each sample) and, for Picco's
// rules, by the innermost function of the plugin. Sample counts move less with a loaded machine
// than ESLint's wall-clock `stats`.
//
//   node hardening/lint-bench/run.mjs --files 1000 (once, to generate .tmp/lint-bench)
//   node hardening/lint-bench/profile.mjs [--root .tmp/lint-bench] [--passes 3] [--out FILE.cpuprofile]
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ESLint } from 'eslint';
import { typedBenchConfig } from '../lib/lint-configs.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: path.join(REPO, '.tmp/lint-bench') },
    passes: { type: 'string', default: '3' },
    out: { type: 'string' },
  },
});
const root = path.resolve(args.root);
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: typedBenchConfig(root), cache: false });
await eslint.lintFiles(['src/**/*.ts']);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
for (let pass = 0; pass < Number(args.passes); pass++) await eslint.lintFiles(['src/**/*.ts']);
const { profile } = await session.post('Profiler.stop');
if (args.out !== undefined) writeFileSync(args.out, JSON.stringify(profile));

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const RULE_FILE = /(packages\/eslint-plugin|@typescript-eslint\/eslint-plugin)\/dist\/rules\/([\w-]+)\.js/;
const isPicco = (node) => node.callFrame.url.includes('packages/eslint-plugin/dist');
const byRule = new Map();
const byFunction = new Map();
for (const id of profile.samples) {
  let rule;
  let innermost;
  for (let node = byId.get(id); node !== undefined; node = byId.get(parentOf.get(node.id))) {
    const match = RULE_FILE.exec(node.callFrame.url);
    if (match !== null) rule = `${match[1].startsWith('packages') ? '@picco' : '@typescript-eslint'}/${match[2]}`;
    if (innermost === undefined && isPicco(node)) innermost = node;
  }
  const key = rule ?? '(parsing, ESLint, TypeScript outside rules)';
  byRule.set(key, (byRule.get(key) ?? 0) + 1);
  if (rule?.startsWith('@picco/') && innermost !== undefined) {
    const name = `${innermost.callFrame.functionName || '(anonymous)'} ${innermost.callFrame.url.split('/').slice(-2).join('/')}:${innermost.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
  }
}
const total = profile.samples.length;
const picco = [...byRule].filter(([rule]) => rule.startsWith('@picco/')).reduce((sum, [, count]) => sum + count, 0);
const floating = byRule.get('@typescript-eslint/no-floating-promises') ?? 0;
console.log(`${args.passes} warm passes, ${total} samples: Picco's rules ${picco} (${((100 * picco) / total).toFixed(1)}%), no-floating-promises ${floating} (Picco ÷ it: ${(picco / floating).toFixed(2)})`);
for (const [rule, count] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`${String(count).padStart(7)}  ${rule}`);
console.log("\nPicco's rules, by the innermost function of the plugin (its callees in TypeScript and ESLint included):");
for (const [name, count] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(count).padStart(7)}  ${name}`);
