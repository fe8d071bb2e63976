/** The parity suite's join behaviours (test/suites/parity/join.ts) on SQLite. */
import '../../../../test/suites/parity/join.js';
import { runParity } from '../../../../test/suites/parity/harness.js';
import { SQLITE_PARITY_ENGINES } from './engines.js';

runParity(SQLITE_PARITY_ENGINES);
