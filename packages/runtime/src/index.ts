export { SQLiteEngine, type SQLiteEngineOptions } from './sqlite-engine.js';
export { STATEMENT_CACHE_SIZE } from './connection/open-options.js';
export { CLOSE_GRACE_MS, type DatabaseWorker } from './worker/worker-pool.js';
