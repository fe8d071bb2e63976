/**
 * Vitest global setup of the PostgreSQL suites: gives them a server, or says loudly why not.
 *
 * - `PICCO_PG_URL` set: the suites use that server (each test in a schema of its own).
 * - Otherwise: a private cluster is started for the run (see cluster.ts) and stopped after it.
 * - Neither possible: the suites are skipped and the reason is written to `.tmp/postgres-skipped`
 *   for `scripts/run-tests.mjs`, which prints it before its summary line. With
 *   `PICCO_REQUIRE_POSTGRES=1` (`.ci/run` sets it) the run fails instead: CI never skips them.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findServerBinaries, serverUser, startPrivateCluster } from './cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the suites run against; `undefined` when they must be skipped. */
    postgresUrl: string | undefined;
    /** Why there is no server, when there is none. */
    postgresSkipReason: string | undefined;
  }
}

const root = join(import.meta.dirname, '..', '..', '..');
const skippedMarker = join(root, '.tmp', 'postgres-skipped');

export default function setup(project: TestProject): (() => void) | undefined {
  rmSync(skippedMarker, { force: true });
  const configured = process.env.PICCO_PG_URL;
  if (configured !== undefined && configured !== '') {
    project.provide('postgresUrl', configured);
    project.provide('postgresSkipReason', undefined);
    return undefined;
  }
  const binaries = findServerBinaries();
  const user = serverUser();
  const reason = !binaries.found ? binaries.reason : 'reason' in user ? user.reason : undefined;
  if (reason !== undefined || !binaries.found || 'reason' in user) {
    const message = `The PostgreSQL suites did not run: ${reason} and PICCO_PG_URL is not set. Install PostgreSQL's server binaries or set PICCO_PG_URL=postgresql://... to run them.`;
    if (process.env.PICCO_REQUIRE_POSTGRES === '1') throw new Error(`${message} (PICCO_REQUIRE_POSTGRES=1: they must run here.)`);
    mkdirSync(join(root, '.tmp'), { recursive: true });
    writeFileSync(skippedMarker, message);
    console.warn(message);
    project.provide('postgresUrl', undefined);
    project.provide('postgresSkipReason', message);
    return undefined;
  }
  const cluster = startPrivateCluster(binaries.folder, user.asUser);
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresSkipReason', undefined);
  return () => cluster.stop();
}
