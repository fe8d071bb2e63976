/**
 * The package type-checks in a stranger's app: strict, `skipLibCheck: false`, no ambient types
 * (no @types/node, no @types/pg), from an ES module and from a CommonJS one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
// Inside the repository, so that `@picco/postgres` resolves as it would from an app's node_modules.
const folder = mkdtempSync(join(root, '.tmp', 'consumer-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const APP = `
import { PostgresEngine } from '@picco/postgres';
import { defineTable, serial, text, isPiccoError } from '@picco/core';
export const DB = new PostgresEngine({ connectionString: 'postgresql://localhost/app', max: 4 });
export const Band = defineTable('band', { id: serial(), name: text() }, { db: DB });
export async function main(): Promise<number> {
  const rows = await DB.raw<{ n: number }>('SELECT $1::int AS n', [1]);
  await DB.transaction(async () => {
    await DB.raw('SELECT 1');
  });
  try {
    Band.select().runSync();
  } catch (error) {
    if (isPiccoError(error, 'SYNC_UNSUPPORTED')) return 0;
  }
  return rows[0]?.n ?? 0;
}
`;

it('type-checks strictly without skipLibCheck, as ESM and as CommonJS', () => {
  writeFileSync(join(folder, 'app.mts'), APP);
  writeFileSync(join(folder, 'app.cts'), APP);
  const compilerOptions = { strict: true, skipLibCheck: false, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: [] };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.mts', 'app.cts'] }));
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(folder, 'tsconfig.json')], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
}, 60_000);
