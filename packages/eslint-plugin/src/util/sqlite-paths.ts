/**
 * What the rules conclude from database paths. The meaning of a path is core's
 * `parseSqlitePath`, the same function the runtime's guard asks, so the two never disagree.
 */
import { isPrivatePathKind, parseSqlitePath, type SqlitePathInfo } from '@picco/core';

export const MEMORY = ':memory:';
export const SHARED_MEMORY = ':memory:?cache=shared';

/** The possible values of a path, as far as they are known. */
export interface PathValues {
  /** Every literal value the path can have. */
  readonly values: readonly string[];
  /** False when the path can also be something not known here (a `string`, `process.env.X`). */
  readonly complete: boolean;
}

export type PrivacyVerdict =
  /** Every possible value is private: an async execution always fails. */
  | { readonly kind: 'private'; readonly privatePaths: readonly string[] }
  /** Some possible value is private. */
  | { readonly kind: 'maybe'; readonly privatePaths: readonly string[] }
  | { readonly kind: 'none' };

// Parsing a path (with its typo checks) is asked for every executed query and every string
// argument of a call; the same strings come back file after file, and in every re-lint of an editor.
const parsedPaths = new Map<string, SqlitePathInfo>();
const MAX_REMEMBERED_PATHS = 8192;

/** `parseSqlitePath`, remembered (its results are immutable). */
function parsed(path: string): SqlitePathInfo {
  let info = parsedPaths.get(path);
  if (info === undefined) {
    info = parseSqlitePath(path);
    if (parsedPaths.size >= MAX_REMEMBERED_PATHS) parsedPaths.clear();
    parsedPaths.set(path, info);
  }
  return info;
}

export function isPrivatePath(path: string): boolean {
  return isPrivatePathKind(parsed(path).kind);
}

export function judgePrivacy(paths: PathValues): PrivacyVerdict {
  const privatePaths = unique(paths.values.filter(isPrivatePath));
  if (privatePaths.length === 0) return { kind: 'none' };
  if (paths.complete && privatePaths.length === unique(paths.values).length) return { kind: 'private', privatePaths };
  return { kind: 'maybe', privatePaths };
}

/**
 * The shared spelling of a private in-memory path (`':memory:'` -> `':memory:?cache=shared'`),
 * or `undefined` when there is none (`''`, or anything whose rewrite would not be shared).
 */
export function sharedSpellingOf(path: string): string | undefined {
  // Asked for each report, twice: remembered like `parsed`.
  if (sharedSpellings.has(path)) return sharedSpellings.get(path);
  const spelling = computeSharedSpelling(path);
  if (sharedSpellings.size >= MAX_REMEMBERED_PATHS) sharedSpellings.clear();
  sharedSpellings.set(path, spelling);
  return spelling;
}

const sharedSpellings = new Map<string, string | undefined>();

function computeSharedSpelling(path: string): string | undefined {
  const info = parseSqlitePath(path);
  if (info.kind !== 'private-memory') return undefined;
  let candidate: string;
  if (/[?&]cache=private(?=&|$)/.test(path)) candidate = path.replace(/([?&])cache=private(?=&|$)/, '$1cache=shared');
  else if (path === MEMORY) candidate = SHARED_MEMORY;
  else candidate = `${path}${path.includes('?') ? '&' : '?'}cache=shared`;
  return parseSqlitePath(candidate).kind === 'shared-memory' ? candidate : undefined;
}

/** A finding about a path string handed to a constructor. */
export interface PathProblem {
  readonly messageId: 'invalidPath' | 'uriOnRawSqlite' | 'fileOfThatName';
  readonly reason: string;
  /** The path the author most likely meant; it is itself clean for the same receiver. */
  readonly suggestion: string | undefined;
}

/** A path given to Picco's `SQLiteEngine`: only typos and junk spellings are wrong. */
export function checkPiccoPath(path: string): PathProblem | undefined {
  const info = parsed(path);
  if (info.kind !== 'invalid') return undefined;
  const suggestion = info.suggestion !== undefined && parseSqlitePath(info.suggestion).kind !== 'invalid' ? info.suggestion : undefined;
  return { messageId: 'invalidPath', reason: info.reason, suggestion };
}

/**
 * A path given to better-sqlite3's `Database` directly. Its SQLite is built with URI file
 * names off and shared cache compiled out, so anything but `':memory:'`, `''` or a plain file
 * name becomes a file with exactly that name.
 */
export function checkRawSqlitePath(path: string): PathProblem | undefined {
  const info = parsed(path);
  if (isCleanForRawSqlite(path, info)) return undefined;
  if (info.kind === 'invalid') {
    const suggestion = info.suggestion === undefined ? undefined : rawEquivalent(info.suggestion);
    return { messageId: 'invalidPath', reason: info.reason, suggestion };
  }
  const reason =
    info.kind === 'shared-memory'
      ? 'better-sqlite3 ships SQLite with URI file names off and shared cache compiled out, so this is not a shared in-memory database but a file with exactly that name in the working directory (one Database object is one connection: ":memory:" is already shared by everything that uses that object)'
      : 'better-sqlite3 ships SQLite with URI file names off, so this is a file with exactly that name in the working directory';
  return { messageId: 'uriOnRawSqlite', reason, suggestion: rawEquivalent(path) };
}

/**
 * How a library hands a path to SQLite:
 * - `better-sqlite3`: through better-sqlite3 (TypeORM's `better-sqlite3` type, knex's client):
 *   no URIs, no shared cache;
 * - `node-sqlite3`: node-sqlite3 opened without `sqlite3.OPEN_URI` (its default, Sequelize's,
 *   knex's): no URIs;
 * - `node-sqlite3-uri`: node-sqlite3 with `OPEN_URI`: `file:` URIs work, shared cache included;
 * - `libsql`: `@libsql/client`'s `url`, which must be `:memory:` or a URL;
 * - `sequelize-url`: a `sqlite:` URL given to Sequelize, whose host and path become the file name.
 */
export type PathDialect = 'better-sqlite3' | 'node-sqlite3' | 'node-sqlite3-uri' | 'libsql' | 'sequelize-url';

/** A path given to another library, which hands it to SQLite as described by `dialect`. */
export function checkLibraryPath(path: string, dialect: PathDialect, library: string): PathProblem | undefined {
  switch (dialect) {
    case 'better-sqlite3':
    case 'node-sqlite3': {
      const problem = checkRawSqlitePath(path);
      if (problem?.messageId !== 'uriOnRawSqlite') return problem;
      const reason =
        dialect === 'better-sqlite3'
          ? `${library} opens it with better-sqlite3, whose SQLite has URI file names off`
          : `${library} opens it with node-sqlite3 without sqlite3.OPEN_URI, so URI file names are off`;
      return { messageId: 'fileOfThatName', reason, suggestion: problem.suggestion };
    }
    case 'node-sqlite3-uri': {
      // With OPEN_URI only names starting with `file:` are URIs: their typos are Picco's typos.
      if (/^file:/i.test(path)) return parseSqlitePath(path).kind === 'invalid' ? checkPiccoPath(path) : undefined;
      const problem = checkRawSqlitePath(path);
      if (problem?.messageId !== 'uriOnRawSqlite') return problem;
      const shared = parseSqlitePath(path).kind === 'shared-memory';
      return {
        messageId: 'fileOfThatName',
        reason: `${library} has URI file names on, but only names starting with "file:" are URIs`,
        suggestion: shared ? 'file::memory:?cache=shared' : problem.suggestion,
      };
    }
    case 'libsql':
      return checkLibsqlUrl(path);
    case 'sequelize-url':
      return checkSequelizeUrl(path);
  }
}

/** `@libsql/client` refuses, loudly, anything but `:memory:` and URLs: say so while typing. */
function checkLibsqlUrl(url: string): PathProblem | undefined {
  if (url.includes('\u0000')) {
    return { messageId: 'invalidPath', reason: "the URL contains a NUL character, on which @libsql/client's native part panics and aborts the whole process", suggestion: undefined };
  }
  if (url === MEMORY || /^[a-z][a-z0-9+.-]*:/i.test(url)) {
    // `file::memory:?cache=share`: refused by libsql too (its values for cache are shared and private).
    if (/^file:/i.test(url) && parseSqlitePath(url).kind === 'invalid') return checkPiccoPath(url);
    return undefined;
  }
  const info = parseSqlitePath(url);
  const reason = '@libsql/client accepts ":memory:" and URLs only, and refuses this one (URL_INVALID)';
  if (info.kind === 'shared-memory') return { messageId: 'invalidPath', reason, suggestion: 'file::memory:?cache=shared' };
  if (info.kind === 'invalid' && info.suggestion !== undefined && parseSqlitePath(info.suggestion).kind === 'private-memory') {
    return { messageId: 'invalidPath', reason, suggestion: MEMORY };
  }
  if (info.kind === 'file' && url !== '') return { messageId: 'invalidPath', reason, suggestion: `file:${url}` };
  return undefined;
}

/**
 * Sequelize reads a `sqlite:` URL's host and path as the file name, except for `:memory:`:
 * `sqlite://file::memory:?cache=shared` makes a folder `file` with a database `::memory` in it.
 */
function checkSequelizeUrl(url: string): PathProblem | undefined {
  const match = /^sqlite:(?:\/\/)?(.*)$/i.exec(url);
  if (match === null || !/^file:/i.test(match[1]!)) return undefined;
  return {
    messageId: 'fileOfThatName',
    reason: 'Sequelize reads the host and path of a "sqlite:" URL as a file name, and "file:" URIs are not understood there',
    suggestion: /memory/i.test(match[1]!) ? 'sqlite::memory:' : undefined,
  };
}

function isCleanForRawSqlite(path: string, info: SqlitePathInfo): boolean {
  if (info.kind === 'private-memory') return path === MEMORY;
  if (info.kind === 'private-temporary') return true;
  if (info.kind === 'file') return info.filename === path;
  return false;
}

/** What to hand better-sqlite3 for what a Picco path means, when it is clean there. */
function rawEquivalent(path: string): string | undefined {
  const info = parseSqlitePath(path);
  let candidate: string | undefined;
  if (info.kind === 'private-memory' || info.kind === 'shared-memory') candidate = MEMORY;
  else if (info.kind === 'private-temporary') candidate = '';
  else if (info.kind === 'file') candidate = info.filename;
  if (candidate === undefined) return undefined;
  return isCleanForRawSqlite(candidate, parseSqlitePath(candidate)) ? candidate : undefined;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
