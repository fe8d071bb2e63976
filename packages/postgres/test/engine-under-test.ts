/** A PostgresEngine for the shared suites (test/suites/): a fresh schema of its own, dropped by cleanup. */
import { randomBytes } from 'node:crypto';
import { PostgresEngine } from '@picco/postgres';
import type { EngineUnderTest } from '../../../test/suites/parity/harness.js';
import { admin, urlWithSchema } from './server.js';

export const POSTGRES_ENGINE: EngineUnderTest = {
  name: 'PostgreSQL',
  async create() {
    const schema = `picco_suite_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE SCHEMA ${schema}`);
    const engine = new PostgresEngine({ connectionString: urlWithSchema(schema) });
    return {
      engine,
      cleanup: async () => {
        await engine.close();
        await admin(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  },
};
