/** The shared behaviour and values suites (test/suites/behaviour.ts, values.ts, expressions.ts) on PostgreSQL. */
import { runBehaviourSuite } from '../../../test/suites/behaviour.js';
import { runExpressionsSuite } from '../../../test/suites/expressions.js';
import { runValuesSuite } from '../../../test/suites/values.js';
import { POSTGRES_ENGINE } from './engine-under-test.js';
import { describeOnPostgres } from './server.js';

describeOnPostgres('shared suites', () => {
  runBehaviourSuite([POSTGRES_ENGINE]);
  runValuesSuite([POSTGRES_ENGINE]);
  runExpressionsSuite([POSTGRES_ENGINE]);
});
