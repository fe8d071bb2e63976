/**
 * `eslint --concurrency`: ESLint 9.34+ lints in worker threads, each loading the config file and
 * the plugin on its own. The plugin must give the same findings there as in one thread.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISLEADING, SEED_SPLIT_TYPED } from './e2e.js';
import { copyFixtures } from './fixture-copy.js';
import { REPO } from './rule-tester.js';

const run = promisify(execFile);
const CLI = path.join(REPO, 'node_modules/eslint/bin/eslint.js');
const FIXTURES = ['seed-split', 'seed-single', 'misleading-paths', 'clean', 'look-alikes'];

let root: string;

let copy: ReturnType<typeof copyFixtures>;

beforeAll(() => {
  copy = copyFixtures('concurrency', FIXTURES);
  root = copy.root;
});

afterAll(() => copy.remove());

interface JsonResult {
  filePath: string;
  messages: { line: number; ruleId: string | null; fatal?: boolean; message: string }[];
}

/** The CLI's findings as `file:line rule`, sorted; it exits 1 because there are findings. */
async function lint(concurrency: string): Promise<string[]> {
  const result = await run(process.execPath, [CLI, '--concurrency', concurrency, '-f', 'json', 'fixtures/*/src/**/*.ts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; code?: number }) => {
      if (error.code !== 1 || error.stdout === undefined) throw error;
      return { stdout: error.stdout };
    },
  );
  const results = JSON.parse(result.stdout) as JsonResult[];
  return results
    .flatMap((file) => file.messages.map((message) => `${path.relative(root, file.filePath).split(path.sep).join('/')}:${message.line} ${message.fatal === true ? `FATAL ${message.message}` : message.ruleId}`))
    .sort();
}

describe('eslint --concurrency', () => {
  let single: string[] | undefined;

  // `auto` picks the thread count from the files and cores (one thread for few files); `2` forces workers.
  it.each(['auto', '2'])('--concurrency %s finds what one thread finds', async (concurrency) => {
    single ??= await lint('off');
    const expected = [...SEED_SPLIT_TYPED, ...MISLEADING].map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`);
    for (const finding of expected) expect(single).toContain(finding);
    expect(await lint(concurrency)).toEqual(single);
  }, 120_000);
});
