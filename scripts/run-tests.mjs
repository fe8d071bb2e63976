#!/usr/bin/env node
// Runs the whole test suite (vitest, type tests included) and ends with the plain summary
// line `N passed, N failed` that CI reads. Extra arguments go to vitest (a file filter, say).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const summaryFile = join(root, '.tmp', `test-summary-${process.pid}.json`);
mkdirSync(join(root, '.tmp'), { recursive: true });
rmSync(summaryFile, { force: true });

// vitest warns on every run that type tests are experimental: known, and pinned in the catalog.
const KNOWN_NOISE = [/Testing types with tsc and vue-tsc is an experimental feature/, /Breaking changes might not follow SemVer, please pin Vitest's version/];

const vitest = spawn(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', `--reporter=${join(root, 'scripts', 'summary-reporter.mjs')}`, ...process.argv.slice(2)],
  { cwd: root, stdio: ['inherit', 'inherit', 'pipe'], env: { ...process.env, PICCO_TEST_SUMMARY: summaryFile } },
);

// stderr passes through line by line, without the known noise.
let pending = '';
vitest.stderr.setEncoding('utf8');
vitest.stderr.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  for (const line of lines) if (!KNOWN_NOISE.some((noise) => noise.test(line))) process.stderr.write(`${line}\n`);
});
const status = await new Promise((resolve) => vitest.on('close', (code, signal) => resolve(signal === null ? code : 1)));
if (pending !== '' && !KNOWN_NOISE.some((noise) => noise.test(pending))) process.stderr.write(pending);

let passed = 0;
let failed = 0;
try {
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  passed = summary.passed;
  // A file that failed outside any test, or an unhandled error, counts as one failure.
  failed = summary.failed + (summary.failed === 0 && (summary.brokenModules > 0 || summary.unhandledErrors > 0) ? 1 : 0);
} catch {
  failed = 1; // No summary: vitest itself failed before running tests.
}
rmSync(summaryFile, { force: true });
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
