/**
 * A thread inside each database worker process that ends the process when its parent is gone.
 *
 * The worker's main thread learns that its parent exited from its IPC channel closing, but only
 * between queries: while it is inside SQLite (a query that runs for minutes, or for ever) it
 * notices nothing, and a parent killed with SIGKILL would leave it spinning as an orphan. When
 * the parent dies the process is adopted by another (its parent id changes); this thread checks
 * that twice a second, and kills its own process, since the main thread cannot be asked to stop.
 */
import { workerData } from 'node:worker_threads';
import type { WatchdogData } from './protocol.js';

const CHECK_EVERY_MS = 500;
const { parentPid } = workerData as WatchdogData;

setInterval(() => {
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGKILL');
}, CHECK_EVERY_MS);
