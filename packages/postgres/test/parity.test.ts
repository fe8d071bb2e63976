/** The whole parity suite (test/suites/parity/) on PostgreSQL, in a schema of its own per Piccolo file. */
import '../../../test/suites/parity/select.js';
import '../../../test/suites/parity/join.js';
import '../../../test/suites/parity/mutations.js';
import '../../../test/suites/parity/functions-columns.js';
import { runParity } from '../../../test/suites/parity/harness.js';
import { POSTGRES_ENGINE } from './engine-under-test.js';
import { describeOnPostgres } from './server.js';

describeOnPostgres('parity', () => runParity([POSTGRES_ENGINE]));
