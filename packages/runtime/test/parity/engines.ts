/** The SQLite engines the parity suite runs on: shared memory, and a file with the worker pool. */
import type { EngineUnderTest } from '../../../../test/suites/parity/harness.js';
import { ENGINE_CONFIGS } from '../engine-configs.js';

export const SQLITE_PARITY_ENGINES: readonly EngineUnderTest[] = ENGINE_CONFIGS.filter((config) => config.name.startsWith('shared memory') || config.name.includes('worker pool')).map(
  (config) => ({ name: config.name, create: async () => config.create() }),
);
