export { CLOSE_GRACE_MS, PostgresEngine, type PostgresEngineOptions } from './postgres-engine.js';
export { MAX_CONNECTIONS } from './engine-options.js';
