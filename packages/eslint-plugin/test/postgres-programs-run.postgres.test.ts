/**
 * no-sync-on-async-only-engine's reports, backed by a real PostgreSQL server (the private cluster
 * the PostgreSQL suites start, see packages/postgres/test/global-setup.ts): the fixture
 * `postgres-sync` fails with SYNC_UNSUPPORTED as written, and works once the rule's suggestions
 * are applied. It runs in vitest's `postgres` project (`*.postgres.test.ts`), which has the server.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, expect, it } from 'vitest';
import { callExports, transpileProject } from '../../../demo/fixture-runner.mjs';
import { admin, afterThisTest, describeOnPostgres, urlWithSchema } from '../../postgres/test/server.js';
import { fixtureConfig } from './e2e.js';
import { REPO } from './rule-tester.js';

const RULE = '@picco/no-sync-on-async-only-engine';
// Inside the repository, so that the transpiled programs resolve `@picco/*`.
const WORK = path.join(REPO, '.tmp', 'test-postgres-programs');
const FUNCTIONS = ['setUp', 'addBands', 'names', 'count'];
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describeOnPostgres('postgres-sync', () => {
  it('is refused with SYNC_UNSUPPORTED as written, is reported at each sync call, and runs after the suggestions', async () => {
    const copy = path.join(WORK, 'fixtures', 'postgres-sync');
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    cpSync(path.join(REPO, 'fixtures', 'postgres-sync'), copy, { recursive: true });
    cpSync(path.join(REPO, 'tsconfig.base.json'), path.join(WORK, 'tsconfig.base.json'));
    const app = path.join(copy, 'src', 'app.ts');

    const eslint = new ESLint({ cwd: WORK, overrideConfigFile: true, overrideConfig: fixtureConfig(true, WORK) });
    const [first] = await eslint.lintFiles([app]);
    expect(first!.messages.map((message) => [message.ruleId, message.line])).toEqual([
      [RULE, 5],
      [RULE, 10],
      [RULE, 17],
      [RULE, 22],
    ]);
    // One suggestion each; applied, the file is clean.
    let source = readFileSync(app, 'utf8');
    const edits = first!.messages.map((message) => {
      expect(message.suggestions).toHaveLength(1);
      return message.suggestions![0]!.fix;
    });
    for (const edit of edits.sort((a, b) => b.range[0] - a.range[0])) source = source.slice(0, edit.range[0]) + edit.text + source.slice(edit.range[1]);
    writeFileSync(app, source);
    const [second] = await eslint.lintFiles([app]);
    expect(second!.messages).toEqual([]);
    expect(source).toContain('await DB.transaction(async () => {');
    expect(source).toContain("const rows = await DB.raw<{ name: string }>('SELECT name FROM band ORDER BY id').run();");

    const original = path.join(WORK, 'run', 'original');
    const fixed = path.join(WORK, 'run', 'fixed');
    transpileProject(path.join(REPO, 'fixtures', 'postgres-sync', 'src'), original);
    transpileProject(path.join(copy, 'src'), fixed);

    await useFreshSchema();
    const before = callExports(original, 'app.js', FUNCTIONS);
    expect(before.status).not.toBe(0);
    for (const name of FUNCTIONS) expect(before.output).toContain(`${name}(): PiccoError [SYNC_UNSUPPORTED]`);

    await useFreshSchema();
    const after = callExports(fixed, 'app.js', FUNCTIONS);
    expect(after.output).toBe(['setUp(): "created"', 'addBands(): "added"', 'names(): ["Pythonistas","Rustaceans"]', 'count(): [{"n":2}]'].join('\n'));
    expect(after.status).toBe(0);
  });
});

/** The programs read their server from the environment: a schema of their own, dropped after the test. */
async function useFreshSchema(): Promise<void> {
  const schema = `picco_lint_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  afterThisTest(() => admin(`DROP SCHEMA ${schema} CASCADE`).then(() => undefined));
  process.env['PICCO_FIXTURE_PG_URL'] = urlWithSchema(schema);
}
