/**
 * The engine's edges: options checked in the constructor (INVALID_OPTION), a native addon that
 * was never built (NATIVE_ADDON_UNAVAILABLE), and close() on shared memory (ENGINE_CLOSED, and
 * a named database that lives until the last engine naming it closes).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTable, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { temporaryFolder } from './engine-configs.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('engine options are checked in the constructor', () => {
  it.each([
    ['workers', { workers: -1 }],
    ['workers', { workers: 1.5 }],
    ['workers', { workers: '2' }],
    ['workers', { workers: 10_000 }],
    ['busyTimeoutMs', { busyTimeoutMs: 1.5 }],
    ['busyTimeoutMs', { busyTimeoutMs: 2 ** 31 }],
    ['busyTimeoutMs', { busyTimeoutMs: -1 }],
    ['busyTimeoutMs', { busyTimeoutMs: Number.NaN }],
    ['readonly', { readonly: 'yes' }],
    ['readonly', { readonly: 1 }],
  ])('refuses a bad %s (%j) with INVALID_OPTION', (name, options) => {
    const { folder, remove } = temporaryFolder();
    cleanups.push(remove);
    let caught: unknown;
    try {
      new SQLiteEngine({ path: join(folder, 'x.db'), ...(options as object) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: PiccoErrorCode.INVALID_OPTION, message: expect.stringContaining(`"${name}"`) });
    expect(readdirSync(folder)).toEqual([]);
  });

  it.each([':memory:?cache=shared', ':memory:', 'file:shared-name?mode=memory&cache=shared', ''])('refuses readonly on the in-memory path %j', (path) => {
    expect(() => new SQLiteEngine({ path, readonly: true })).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_OPTION, message: expect.stringContaining('readonly') }));
  });

  it('refuses an unknown option and names the one that was probably meant', () => {
    expect(() => new SQLiteEngine({ path: ':memory:', worker: 2 } as never)).toThrow(
      expect.objectContaining({ code: PiccoErrorCode.INVALID_OPTION, message: expect.stringContaining('"workers"') }),
    );
    expect(() => new SQLiteEngine({ path: ':memory:', timeout: 10 } as never)).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_OPTION, message: expect.stringContaining('"timeout"') }));
  });

  it('accepts the documented options at their bounds', async () => {
    const { folder, remove } = temporaryFolder();
    const engine = new SQLiteEngine({ path: join(folder, 'ok.db'), workers: 0, busyTimeoutMs: 2 ** 31 - 1, readonly: false });
    cleanups.push(remove, () => engine.close());
    expect(await engine.raw('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('a better-sqlite3 whose native addon was never built', () => {
  it('fails with NATIVE_ADDON_UNAVAILABLE and says how to build it, sync and async', () => {
    // A throwaway app whose better-sqlite3 has no build/ folder: what a pnpm user who did not
    // approve its build script gets.
    const { folder, remove } = temporaryFolder();
    cleanups.push(remove);
    const require = createRequire(import.meta.url);
    const runtimeDir = dirname(dirname(realpathSync(require.resolve('@picco/runtime'))));
    const coreDir = dirname(dirname(realpathSync(require.resolve('@picco/core'))));
    const betterSqlite = dirname(realpathSync(createRequire(join(runtimeDir, 'package.json')).resolve('better-sqlite3/package.json')));
    const modules = join(folder, 'node_modules');
    mkdirSync(join(modules, '@picco'), { recursive: true });
    symlinkSync(coreDir, join(modules, '@picco', 'core'));
    cpSync(join(runtimeDir, 'package.json'), join(modules, '@picco', 'runtime', 'package.json'));
    cpSync(join(runtimeDir, 'dist'), join(modules, '@picco', 'runtime', 'dist'), { recursive: true });
    cpSync(betterSqlite, join(modules, 'better-sqlite3'), { recursive: true, filter: (source) => !source.includes(`${betterSqlite}/build`) && !source.includes(`${betterSqlite}/deps`) });
    symlinkSync(join(dirname(betterSqlite), 'bindings'), join(modules, 'bindings'));
    writeFileSync(
      join(folder, 'app.mjs'),
      `import { SQLiteEngine } from '@picco/runtime';
const outcomes = [];
for (const [path, workers] of [['app.db', 0], ['pooled.db', 1], [':memory:?cache=shared', 0]]) {
  const engine = new SQLiteEngine({ path, workers });
  try { engine.raw('SELECT 1').runSync(); outcomes.push('ran'); } catch (error) { outcomes.push({ code: error.code, message: error.message }); }
  try { await engine.raw('SELECT 1'); outcomes.push('ran'); } catch (error) { outcomes.push({ code: error.code, message: error.message }); }
  await engine.close();
}
console.log(JSON.stringify(outcomes));
`,
    );
    const child = spawnSync(process.execPath, ['app.mjs'], { cwd: folder, encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    const outcomes = JSON.parse(child.stdout) as { code: string; message: string }[];
    expect(outcomes).toHaveLength(6);
    for (const outcome of outcomes) {
      expect(outcome.code).toBe(PiccoErrorCode.NATIVE_ADDON_UNAVAILABLE);
      expect(outcome.message).toContain('approve-builds');
      expect(outcome.message).toContain('npm rebuild better-sqlite3');
    }
  });
});

describe('close() on shared memory', () => {
  it('rejects queries waiting behind a transaction with ENGINE_CLOSED', async () => {
    const engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    await Notes.createTable();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = engine.transaction(async () => {
      await Notes.insert({ body: 'inside' });
      await held;
      await Notes.insert({ body: 'after close' });
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const waiting = Notes.insert({ body: 'waiting' }).run();
    await engine.close();
    release();
    await expect(transaction).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    await expect(waiting).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
  });

  it('keeps a named shared database alive until the last engine naming it closes', async () => {
    const path = 'file:lifecycle-test?mode=memory&cache=shared';
    const first = new SQLiteEngine({ path });
    const second = new SQLiteEngine({ path });
    cleanups.push(() => second.close());
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: first });
    await Notes.createTable();
    await Notes.insert({ body: 'kept' });
    await first.close();
    // `second` never ran a query before `first` closed; it still names the same database.
    const SecondNotes = defineTable('notes', { id: serial(), body: text() }, { db: second });
    expect(await SecondNotes.select(SecondNotes.body)).toEqual([{ body: 'kept' }]);
    await second.close();
    const third = new SQLiteEngine({ path });
    cleanups.push(() => third.close());
    expect(await third.raw("SELECT count(*) AS n FROM sqlite_master WHERE name = 'notes'")).toEqual([{ n: 0 }]);
  });
});
