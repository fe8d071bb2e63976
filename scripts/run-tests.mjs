#!/usr/bin/env node
// Runs the whole test suite (vitest, type tests included) and ends with the plain summary
// line `N passed, N failed` that CI reads. Extra arguments go to vitest (a file filter, say).
// When the PostgreSQL suites could not run (no server binaries, no PICCO_PG_URL), their global
// setup leaves the reason in `.tmp/postgres-skipped`: it is printed just before the summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const report = join(root, '.tmp', 'vitest-report.json');
mkdirSync(join(root, '.tmp'), { recursive: true });
const postgresSkipped = join(root, '.tmp', 'postgres-skipped');
rmSync(report, { force: true });
rmSync(postgresSkipped, { force: true });

const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (results.numTotalTestSuites > 0 && results.success === false && results.numFailedTests === 0 ? 1 : 0);
} catch {
  failed = 1; // No report: vitest itself failed before running tests.
}
if (vitest.status !== 0 && failed === 0) failed = 1;
if (existsSync(postgresSkipped)) console.log(`\nNOT RUN: ${readFileSync(postgresSkipped, 'utf8')}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
