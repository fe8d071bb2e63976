/** The whole parity suite (test/suites/parity/) on PostgreSQL, in a schema of its own per file. */
import '../../../test/suites/parity/select.js';
import '../../../test/suites/parity/join.js';
import '../../../test/suites/parity/mutations.js';
import '../../../test/suites/parity/functions-columns.js';
import { runParity } from '../../../test/suites/parity/harness.js';
import { postgresUrl } from './server.js';
import { POSTGRES_ENGINE } from './engine-under-test.js';

if (postgresUrl !== undefined) runParity([POSTGRES_ENGINE]);
