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

export type ServerDecision =
  | { readonly kind: 'configured'; readonly url: string }
  | { readonly kind: 'private'; readonly binaries: string; readonly asUser: string | undefined }
  | { readonly kind: 'none'; readonly message: string };

/** Which server the suites get; throws when there is none and `PICCO_REQUIRE_POSTGRES=1`. */
export function decideServer(env: NodeJS.ProcessEnv = process.env): ServerDecision {
  const configured = env.PICCO_PG_URL;
  if (configured !== undefined && configured !== '') return { kind: 'configured', url: configured };
  const binaries = findServerBinaries(env);
  const user = serverUser();
  if (binaries.found && 'asUser' in user) return { kind: 'private', binaries: binaries.folder, asUser: user.asUser };
  const reason = binaries.found ? (user as { reason: string }).reason : binaries.reason;
  const message =
    `The PostgreSQL suites did not run: ${reason}, and PICCO_PG_URL is not set. ` +
    `Install PostgreSQL's server binaries (or set PICCO_PG_BINDIR to their folder), or set PICCO_PG_URL=postgresql://... to run them.`;
  if (env.PICCO_REQUIRE_POSTGRES === '1') throw new Error(`${message} PICCO_REQUIRE_POSTGRES=1 says they must run here.`);
  return { kind: 'none', message };
}

const root = join(import.meta.dirname, '..', '..', '..');
const skippedMarker = join(root, '.tmp', 'postgres-skipped');

export default function setup(project: TestProject): (() => void) | undefined {
  rmSync(skippedMarker, { force: true });
  const decision = decideServer();
  switch (decision.kind) {
    case 'configured':
      project.provide('postgresUrl', decision.url);
      project.provide('postgresSkipReason', undefined);
      return undefined;
    case 'none':
      mkdirSync(join(root, '.tmp'), { recursive: true });
      writeFileSync(skippedMarker, decision.message);
      console.warn(decision.message);
      project.provide('postgresUrl', undefined);
      project.provide('postgresSkipReason', decision.message);
      return undefined;
    case 'private': {
      const cluster = startPrivateCluster(decision.binaries, decision.asUser);
      project.provide('postgresUrl', cluster.url);
      project.provide('postgresSkipReason', undefined);
      return () => cluster.stop();
    }
  }
}
