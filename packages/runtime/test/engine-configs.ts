/**
 * The engine configurations every behaviour test runs against (Drizzle's "one suite, every
 * engine"). Each call makes a fresh database, in its own temporary folder for files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLiteEngine } from '@picco/runtime';
import type { EngineUnderTest } from '../../../test/suites/engines.js';

export interface EngineConfig {
  readonly name: string;
  create(): { engine: SQLiteEngine; cleanup: () => Promise<void> };
}

export function temporaryFolder(): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'picco-test-'));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

function fileEngine(workers: number) {
  const { folder, remove } = temporaryFolder();
  const engine = new SQLiteEngine({ path: join(folder, 'test.db'), workers });
  return {
    engine,
    cleanup: async () => {
      await engine.close();
      remove();
    },
  };
}

export const ENGINE_CONFIGS: readonly EngineConfig[] = [
  {
    name: 'shared memory (:memory:?cache=shared)',
    create: () => {
      const engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
      return { engine, cleanup: () => engine.close() };
    },
  },
  { name: 'file with worker pool (workers: 2)', create: () => fileEngine(2) },
  { name: 'file inline (workers: 0)', create: () => fileEngine(0) },
];

/** The same configurations as the shared suites take them (test/suites/engines.ts). */
export const SQLITE_ENGINES: readonly EngineUnderTest[] = ENGINE_CONFIGS.map((config) => ({ name: config.name, create: async () => config.create() }));
