/**
 * The config file, `picco.config.mjs` (or `.js`, `.cjs`) in the working folder, or `--config`:
 *
 * ```js
 * import { SQLiteEngine } from '@picco/runtime';
 * import { Band, Manager } from './src/tables.js';
 * export default { engine: new SQLiteEngine({ path: 'app.db' }), tables: [Manager, Band], migrations: 'migrations' };
 * ```
 *
 * `engine` may also be a function returning one (made only by the commands that need the
 * database); `migrations` is the folder of the migration files and the snapshot, relative to
 * the config file (default `migrations`).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PiccoError, PiccoErrorCode, type AnyTable, type Engine } from '@picco/core';

export interface PiccoConfig {
  /** The database: an engine, or a function that makes one. */
  readonly engine: Engine | (() => Engine | Promise<Engine>);
  /** Every table the migrations manage, made by `defineTable`. */
  readonly tables: readonly AnyTable[];
  /** The folder of the migration files, relative to the config file. Default `migrations`. */
  readonly migrations?: string;
  /** The SQL dialect, when it cannot be told from the engine. */
  readonly dialect?: 'sqlite' | 'postgres';
}

/** Types a config file's default export: `export default defineConfig({ ... })`. */
export function defineConfig(config: PiccoConfig): PiccoConfig {
  return config;
}

export interface LoadedConfig {
  readonly file: string;
  readonly config: PiccoConfig;
  /** The migrations folder, absolute. */
  readonly folder: string;
}

const CONFIG_NAMES = ['picco.config.mjs', 'picco.config.js', 'picco.config.cjs'];

export async function loadConfig(cwd: string, given: string | undefined): Promise<LoadedConfig> {
  const file = given === undefined ? CONFIG_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path)) : resolve(cwd, given);
  if (file === undefined || !existsSync(file)) {
    throw usage(
      given === undefined
        ? `No config file: looked for ${CONFIG_NAMES.join(', ')} in ${cwd}. Write one that exports { engine, tables } (see @picco/cli's README), or pass --config path.`
        : `The config file ${file} does not exist.`,
    );
  }
  // A fresh URL each time, so that a long-lived process (tests, a watch loop) reads the file as it is now.
  const module = (await import(`${pathToFileURL(file).href}?t=${Date.now()}-${Math.random()}`)) as { default?: unknown };
  const config = (module.default ?? module) as Partial<PiccoConfig>;
  if (config === null || typeof config !== 'object') throw usage(`${file} must export its config as the default export: export default { engine, tables }.`);
  if (!Array.isArray(config.tables) || config.tables.some((table) => (table as { $info?: unknown } | null)?.$info === undefined)) {
    throw usage(`${file}: "tables" must be an array of tables made by defineTable, for example tables: [Manager, Band].`);
  }
  if (config.engine === undefined || config.engine === null) throw usage(`${file}: "engine" is missing: the engine of the database to migrate, for example new SQLiteEngine({ path: 'app.db' }).`);
  const folder = config.migrations ?? 'migrations';
  return { file, config: config as PiccoConfig, folder: isAbsolute(folder) ? folder : resolve(dirname(file), folder) };
}

export async function engineOf(config: PiccoConfig): Promise<Engine> {
  const engine = typeof config.engine === 'function' ? await config.engine() : config.engine;
  if (engine === null || typeof engine !== 'object' || typeof (engine as Engine).execute !== 'function') {
    throw usage(`The config's "engine" is not an engine: pass new SQLiteEngine({ ... }) or new PostgresEngine({ ... }), or a function returning one.`);
  }
  return engine;
}

export function usage(message: string): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_OPTION, message);
}
