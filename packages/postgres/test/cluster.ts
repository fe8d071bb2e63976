/**
 * A private, throwaway PostgreSQL cluster for the tests: `initdb` into a temporary folder, then
 * `pg_ctl start` with its unix socket in that folder and no TCP at all, so that nothing else on
 * the machine can reach it and nothing the tests do can reach another server. Stopped and deleted
 * afterwards. PostgreSQL refuses to run as root: as root, the server runs as the `postgres`
 * system user (`runuser`), and the folder is handed to that user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

export interface PrivateCluster {
  /** A connection string for the cluster's `postgres` database over its unix socket. */
  readonly url: string;
  /** Stops the server at once and deletes its folder. */
  stop(): void;
}

/** Where a server's binaries are, or why there is none to start. */
export type ServerBinaries = { readonly found: true; readonly folder: string } | { readonly found: false; readonly reason: string };

const PORT = 5432; // Only names the socket file (`.s.PGSQL.5432`): there is no TCP listener.

/** `initdb` and `pg_ctl` in `PICCO_PG_BINDIR` when set, else on the PATH or in Debian's versioned folders. */
export function findServerBinaries(env: NodeJS.ProcessEnv = process.env): ServerBinaries {
  const has = (folder: string) => existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl'));
  const chosen = env.PICCO_PG_BINDIR;
  if (chosen !== undefined && chosen !== '') {
    return has(chosen) ? { found: true, folder: chosen } : { found: false, reason: `PICCO_PG_BINDIR=${chosen} has no initdb and pg_ctl` };
  }
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) folders.push(join(debian, version, 'bin'));
  }
  const folder = folders.find(has);
  if (folder !== undefined) return { found: true, folder };
  return { found: false, reason: 'no PostgreSQL server binaries (initdb, pg_ctl) on the PATH or in /usr/lib/postgresql/*/bin' };
}

/** Whether the server can be run as the current user, or as `postgres` through runuser when we are root. */
export function serverUser(): { readonly asUser: string | undefined } | { readonly reason: string } {
  if (userInfo().uid !== 0) return { asUser: undefined };
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) return { reason: 'running as root (PostgreSQL refuses root) and there is no `postgres` system user to run the server as' };
  if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).error !== undefined) {
    return { reason: 'running as root (PostgreSQL refuses root) and `runuser` is not available to run the server as `postgres`' };
  }
  return { asUser: 'postgres' };
}

const FOLDER_PREFIX = 'picco-pg-';

export function startPrivateCluster(binaries: string, asUser: string | undefined): PrivateCluster {
  const run = (program: string, args: readonly string[]): void => {
    const command = asUser === undefined ? [join(binaries, program), ...args] : ['runuser', '-u', asUser, '--', join(binaries, program), ...args];
    execFileSync(command[0]!, command.slice(1), { stdio: 'pipe', timeout: 60_000 });
  };
  removeAbandonedClusters(run);
  const folder = mkdtempSync(join(tmpdir(), FOLDER_PREFIX));
  const data = join(folder, 'data');
  // Whose cluster this is: a later run stops it if this process died without stopping it.
  writeFileSync(join(folder, 'owner.pid'), String(process.pid));
  if (asUser !== undefined) {
    const uid = Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim());
    chownSync(folder, uid, gid);
    chmodSync(folder, 0o700);
  }
  const stop = (): void => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone: nothing to stop.
      }
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    // Durability settings are off: the cluster is thrown away after the run.
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const serverOptions = [`-k ${folder}`, "-c listen_addresses=''", `-p ${PORT}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
    run('pg_ctl', ['-D', data, '-o', serverOptions.join(' '), '-l', join(folder, 'server.log'), '-w', '-t', '30', 'start']);
  } catch (error) {
    const log = existsSync(join(folder, 'server.log')) ? readFileSync(join(folder, 'server.log'), 'utf8').slice(-2000) : '';
    const output = String((error as { stderr?: Buffer }).stderr ?? '');
    stop();
    throw new Error(`Could not start the private PostgreSQL cluster: ${(error as Error).message}\n${output}\n${log}`);
  }
  return { url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(folder)}&port=${PORT}`, stop };
}

/** Clusters left running by a test run that was killed before its teardown (its owner is gone). */
function removeAbandonedClusters(run: (program: string, args: readonly string[]) => void): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const folder = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(folder, 'owner.pid'), 'utf8'));
    } catch {
      continue; // Not one of ours, or being set up right now.
    }
    if (isAlive(owner)) continue;
    try {
      if (existsSync(join(folder, 'data', 'postmaster.pid'))) run('pg_ctl', ['-D', join(folder, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Its server is gone already.
    }
    rmSync(folder, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
