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
  readonly messageId: 'invalidPath' | 'uriOnRawSqlite';
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
