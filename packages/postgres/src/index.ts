export { PostgresEngine, type PostgresEngineOptions } from './postgres-engine.js';
export { MAX_CONNECTIONS } from './engine-options.js';
