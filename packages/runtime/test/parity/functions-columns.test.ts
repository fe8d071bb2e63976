/** The parity suite's functions-columns behaviours (test/suites/parity/functions-columns.ts) on SQLite. */
import '../../../../test/suites/parity/functions-columns.js';
import { runParity } from '../../../../test/suites/parity/harness.js';
import { SQLITE_PARITY_ENGINES } from './engines.js';

runParity(SQLITE_PARITY_ENGINES);
