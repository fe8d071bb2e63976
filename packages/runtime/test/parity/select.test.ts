/** The parity suite's select behaviours (test/suites/parity/select.ts) on SQLite. */
import '../../../../test/suites/parity/select.js';
import { runParity } from '../../../../test/suites/parity/harness.js';
import { SQLITE_PARITY_ENGINES } from './engines.js';

runParity(SQLITE_PARITY_ENGINES);
