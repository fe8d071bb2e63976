#!/usr/bin/env node
// Runs the whole test suite (vitest, type tests included) and ends with the plain summary
// line `N passed, N failed` that CI reads. Extra arguments go to vitest (a file filter, say).
//
// vitest runs in this process, through its Node API, so that this script can count the results
// (a reporter below) and drop one known line of noise from its stderr without reordering it.
//
// When the PostgreSQL suites could not run (no server binaries, no PICCO_PG_URL), their global
// setup leaves the reason in `.tmp/postgres-skipped`: it is printed just before the summary.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseCLI, startVitest } from 'vitest/node';

const postgresSkipped = join(import.meta.dirname, '..', '.tmp', 'postgres-skipped');
mkdirSync(join(import.meta.dirname, '..', '.tmp'), { recursive: true });
rmSync(postgresSkipped, { force: true });

// vitest warns on every run that type tests are experimental: known, and pinned in the catalog.
const KNOWN_NOISE = /Testing types with tsc and vue-tsc is an experimental feature|Breaking changes might not follow SemVer, please pin Vitest's version/;

/** process.stderr, minus the known noise (each warning arrives in one write). */
const stderr = Object.create(process.stderr, {
  write: {
    value(chunk, ...rest) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const kept = text
        .split('\n')
        .filter((line) => !KNOWN_NOISE.test(line))
        .join('\n');
      if (kept.trim() === '' && text.trim() !== '') return true;
      return process.stderr.write(kept, ...rest);
    },
  },
});

/** Counts every test (type tests too), files that failed outside any test, and unhandled errors. */
const summary = { passed: 0, failed: 0, brokenFiles: 0, unhandledErrors: 0, ran: false };
const summaryReporter = {
  onTestRunEnd(testModules, unhandledErrors) {
    summary.ran = true;
    for (const testModule of testModules) {
      let failedHere = 0;
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') summary.passed++;
        else if (state === 'failed') failedHere++;
      }
      summary.failed += failedHere;
      // A file that failed to load or to finish (a syntax error, an error thrown outside tests).
      if (testModule.state() === 'failed' && failedHere === 0) summary.brokenFiles++;
    }
    summary.unhandledErrors = unhandledErrors.length;
  },
};

const { filter, options } = parseCLI(['vitest', ...process.argv.slice(2)]);
let vitestFailed = false;
try {
  const vitest = await startVitest('test', filter, { ...options, run: true, watch: false, reporters: ['default', summaryReporter] }, {}, { stderr });
  await vitest?.close();
  vitestFailed = vitest === undefined || (process.exitCode ?? 0) !== 0;
} catch (error) {
  console.error(error);
  vitestFailed = true;
}

const passed = summary.passed;
let failed = summary.failed;
// A file that failed outside any test, an unhandled error, or vitest failing before any test
// ran (no files found, a broken config) counts as one failure.
if (failed === 0 && (!summary.ran || summary.brokenFiles > 0 || summary.unhandledErrors > 0 || vitestFailed)) failed = 1;
if (existsSync(postgresSkipped)) console.log(`\nNOT RUN: ${readFileSync(postgresSkipped, 'utf8')}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
