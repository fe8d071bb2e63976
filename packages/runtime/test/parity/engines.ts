/** The SQLite engines the parity suite runs on: shared memory, and a file with the worker pool. */
import type { EngineUnderTest } from '../../../../test/suites/engines.js';
import { SQLITE_ENGINES } from '../engine-configs.js';

export const SQLITE_PARITY_ENGINES: readonly EngineUnderTest[] = SQLITE_ENGINES.filter((config) => config.name.startsWith('shared memory') || config.name.includes('worker pool'));
