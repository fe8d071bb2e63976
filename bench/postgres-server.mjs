// The PostgreSQL server of table 4: `PICCO_PG_URL` when set, else a private throwaway cluster
// started as the tests start theirs (packages/postgres/test/cluster.ts): `initdb` into a
// temporary folder, a unix socket there and no TCP, run as the `postgres` user when we are root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

/** `{ url, stop() }`, or `{ skipped: reason }` when there is no server to be had. */
export function startBenchServer() {
  if (process.env.PICCO_PG_URL) return { url: process.env.PICCO_PG_URL, stop: () => {} };
  const folders = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) folders.push(join('/usr/lib/postgresql', version, 'bin'));
  }
  const binaries = folders.find((folder) => existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl')));
  if (binaries === undefined) return { skipped: 'no PostgreSQL server binaries (initdb, pg_ctl) and no PICCO_PG_URL' };
  const asUser = userInfo().uid === 0 ? 'postgres' : undefined;
  if (asUser !== undefined && spawnSync('id', ['-u', asUser]).status !== 0) return { skipped: 'running as root with no `postgres` user to run the server as' };
  const run = (program, args) => {
    const command = asUser === undefined ? [join(binaries, program), ...args] : ['runuser', '-u', asUser, '--', join(binaries, program), ...args];
    execFileSync(command[0], command.slice(1), { stdio: 'pipe', timeout: 60_000 });
  };
  const folder = mkdtempSync(join(tmpdir(), 'picco-bench-pg-'));
  const data = join(folder, 'data');
  if (asUser !== undefined) {
    chownSync(folder, Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' })));
    chmodSync(folder, 0o700);
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // fsync stays on (the default): inserts pay for durability as on a real server.
  run('pg_ctl', ['-D', data, '-o', `-k ${folder} -c listen_addresses='' -p 5432`, '-w', '-l', join(folder, 'log'), 'start']);
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(folder)}`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
