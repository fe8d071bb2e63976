import { generateProject } from './lint-bench/generate.mjs';
import { measure } from './lint-bench/measure.mjs';
const root = process.argv[2] ?? '.tmp/lint-bench';
const findings = process.argv[3] !== 'clean';
const project = generateProject({ root, files: 1000, seed: 1, findings });
const passes = await measure({ root: project.root, mode: 'typed', order: process.argv[4] ?? 'typescript-eslint-first', passes: 2 });
for (const [i, p] of passes.entries()) {
  const picco = Object.entries(p.rules).filter(([r]) => r.startsWith('@picco/')).reduce((a, [, t]) => a + t, 0);
  console.log(`pass ${i}: wall ${p.wallMs.toFixed(0)} picco ${picco.toFixed(0)} (${(100*picco/p.wallMs).toFixed(1)}%) nfp ${p.rules['@typescript-eslint/no-floating-promises'].toFixed(0)}`, Object.entries(p.rules).map(([r,t]) => `${r.replace(/^@[^/]+\//,'')}=${t.toFixed(0)}`).join(' '), JSON.stringify(p.reports));
}
