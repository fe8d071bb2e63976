/** The parity suite's mutations behaviours (test/suites/parity/mutations.ts) on SQLite. */
import '../../../../test/suites/parity/mutations.js';
import { runParity } from '../../../../test/suites/parity/harness.js';
import { SQLITE_PARITY_ENGINES } from './engines.js';

runParity(SQLITE_PARITY_ENGINES);
