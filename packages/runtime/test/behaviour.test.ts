/** The shared behaviour and values suites (test/suites/behaviour.ts, values.ts, expressions.ts) on every SQLite configuration. */
import { runBehaviourSuite } from '../../../test/suites/behaviour.js';
import { runExpressionsSuite } from '../../../test/suites/expressions.js';
import { runValuesSuite } from '../../../test/suites/values.js';
import { SQLITE_ENGINES } from './engine-configs.js';

runBehaviourSuite(SQLITE_ENGINES);
runValuesSuite(SQLITE_ENGINES);
runExpressionsSuite(SQLITE_ENGINES);
