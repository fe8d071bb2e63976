/**
 * What a database path means in Picco. The runtime's guard and the linter's rules both ask
 * this one function, so they can never disagree (DESIGN.md, "Path semantics").
 *
 * better-sqlite3 ships SQLite with URI filenames off and shared cache compiled out, so a
 * `file:` URI or `:memory:?cache=shared` handed to it verbatim becomes a file with exactly
 * that name. Picco never does that: it gives those spellings a meaning of its own, and the
 * runtime opens what this function describes, never the raw string.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';

export type SqlitePathKind = 'private-memory' | 'private-temporary' | 'shared-memory' | 'file' | 'invalid';

export type SqlitePathInfo =
  | { readonly kind: 'private-memory'; readonly path: string }
  | { readonly kind: 'private-temporary'; readonly path: string }
  | {
      readonly kind: 'shared-memory';
      readonly path: string;
      /** `undefined`: shared by the queries of one engine. A name: shared by every engine naming it. */
      readonly name: string | undefined;
    }
  | {
      readonly kind: 'file';
      readonly path: string;
      /** What to hand to SQLite: a plain file name, never a URI. */
      readonly filename: string;
      readonly readonly: boolean;
      readonly mustExist: boolean;
    }
  | {
      readonly kind: 'invalid';
      readonly path: string;
      /** Why the path is refused, in one sentence. */
      readonly reason: string;
      /** The path the user most likely meant, when there is a good guess. */
      readonly suggestion: string | undefined;
    };

const MEMORY = ':memory:';
const SHARED_MEMORY = ':memory:?cache=shared';
const KNOWN_URI_PARAMS = new Set(['mode', 'cache', 'vfs', 'immutable', 'nolock', 'psow', 'modeof']);

export function parseSqlitePath(path: string): SqlitePathInfo {
  const info = classify(path);
  if (info.kind !== 'invalid' || info.suggestion === undefined) return info;
  return { ...info, suggestion: usableSuggestion(info.suggestion) };
}

/**
 * A suggestion must itself be a path Picco accepts: `app.db?cache=` first suggests
 * `file:app.db?cache=`, which is refused in turn. Follow one more step; else suggest nothing
 * rather than a path that fails again.
 */
function usableSuggestion(suggestion: string): string | undefined {
  const info = classify(suggestion);
  if (info.kind !== 'invalid') return suggestion;
  if (info.suggestion !== undefined && classify(info.suggestion).kind !== 'invalid') return info.suggestion;
  return undefined;
}

function classify(path: string): SqlitePathInfo {
  if (typeof path !== 'string') {
    return invalid(String(path), `a database path must be a string, got ${describeValue(path)}`, undefined);
  }
  if (path === '') return { kind: 'private-temporary', path };
  if (path === MEMORY) return { kind: 'private-memory', path };
  if (path.includes('\u0000')) return invalid(path, nulReason(path.slice(0, path.indexOf('\u0000'))), undefined);
  const trimmed = path.trim();
  if (trimmed === '') {
    // Not `""`: that is a temporary database, nothing like a file; there is no good guess.
    return invalid(path, 'the path is only white space, which SQLite would take as a file name made of spaces', undefined);
  }
  if (trimmed !== path) {
    return invalid(path, 'the path has leading or trailing white space, which SQLite keeps in the file name', trimmed);
  }
  if (path.startsWith(MEMORY + '?')) return parseMemoryWithQuery(path);
  if (/^file:/i.test(path)) return parseFileUri(path);
  if (looksLikeMemoryTypo(path)) {
    return invalid(path, `"${shown(path)}" is not ":memory:"; SQLite would create a file with that name`, suggestMemory(path));
  }
  if (path.includes('?')) {
    const [name] = path.split('?', 1) as [string];
    return invalid(
      path,
      'a query string on a plain file name is part of the file name to SQLite; options need a "file:" URI',
      `file:${name}?${path.slice(name.length + 1)}`,
    );
  }
  return { kind: 'file', path, filename: path, readonly: false, mustExist: false };
}

/** Like `parseSqlitePath`, but an invalid path throws `INVALID_PATH` with the likely intended path. */
export function resolveSqlitePath(path: unknown): Exclude<SqlitePathInfo, { kind: 'invalid' }> {
  const info = parseSqlitePath(path as string);
  if (info.kind === 'invalid') throw invalidPathError(info);
  return info;
}

export function invalidPathError(info: Extract<SqlitePathInfo, { kind: 'invalid' }>): PiccoError {
  const hint = info.suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(shown(info.suggestion))}?`;
  return new PiccoError(
    PiccoErrorCode.INVALID_PATH,
    `Invalid SQLite path ${JSON.stringify(shown(info.path))}: ${info.reason}.${hint} ` +
      `Use ":memory:" (private to one connection), ":memory:?cache=shared" (one in-memory database ` +
      `shared by every query of the engine) or a file name such as "app.db".`,
  );
}

/** True when the path denotes a database that exists inside one connection only. */
export function isPrivatePathKind(kind: SqlitePathKind): kind is 'private-memory' | 'private-temporary' {
  return kind === 'private-memory' || kind === 'private-temporary';
}

function parseMemoryWithQuery(path: string): SqlitePathInfo {
  const params = parseQuery(path.slice(MEMORY.length + 1));
  const problem = checkParams(params, ['cache']);
  if (problem !== undefined) return invalid(path, problem, SHARED_MEMORY);
  const cache = params.get('cache');
  if (cache === 'shared') return { kind: 'shared-memory', path, name: undefined };
  if (cache === 'private') return { kind: 'private-memory', path };
  return invalid(path, `unknown cache mode ${JSON.stringify(cache ?? '')}`, SHARED_MEMORY);
}

function parseFileUri(path: string): SqlitePathInfo {
  const rest = path.slice('file:'.length);
  // SQLite ends a URI at "#" and ignores the fragment: `file:x.db#frag` opens x.db. Whoever
  // wrote it more likely meant a "#" in the file name (which a URI spells %23), so neither
  // reading is guessed: the path is refused with both ways out.
  const hashAt = rest.indexOf('#');
  if (hashAt !== -1) {
    const uriName = rest.slice(0, hashAt).split('?', 1)[0]!;
    const beforeFragment = decodeUriPath(uriName) ?? uriName;
    return invalid(
      path,
      `a "#" in a "file:" URI starts a fragment, which SQLite ignores (it would open ${JSON.stringify(shown(beforeFragment))}); ` +
        'write "%23" for a "#" that is part of the file name, or drop the fragment',
      undefined,
    );
  }
  const queryAt = rest.indexOf('?');
  const rawName = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const params = parseQuery(queryAt === -1 ? '' : rest.slice(queryAt + 1));
  const problem = checkParams(params, [...KNOWN_URI_PARAMS]);
  if (problem !== undefined) return invalid(path, problem, undefined);

  const name = decodeUriPath(rawName);
  if (name === undefined) {
    return invalid(path, 'the URI names a remote host or has a malformed percent escape', undefined);
  }
  if (name.includes('\u0000')) return invalid(path, nulReason(name.slice(0, name.indexOf('\u0000'))), undefined);
  const mode = params.get('mode');
  const cache = params.get('cache');
  if (mode !== undefined && !['ro', 'rw', 'rwc', 'memory'].includes(mode)) {
    return invalid(path, `unknown mode ${JSON.stringify(mode)} (expected ro, rw, rwc or memory)`, undefined);
  }
  if (cache !== undefined && cache !== 'shared' && cache !== 'private') {
    const suggestion = path.replace(/cache=[^&]*/, 'cache=shared');
    return invalid(path, `unknown cache mode ${JSON.stringify(cache)} (expected shared or private)`, suggestion);
  }

  const vfs = params.get('vfs');
  if (vfs === 'memdb') {
    return { kind: 'shared-memory', path, name: name.replace(/^\/+/, '') || MEMORY };
  }
  if (vfs !== undefined) return invalid(path, `the VFS ${JSON.stringify(vfs)} is not supported`, undefined);

  const inMemory = name === MEMORY || mode === 'memory';
  if (inMemory) {
    if (cache !== 'shared') return { kind: 'private-memory', path };
    return { kind: 'shared-memory', path, name: name === MEMORY ? undefined : name };
  }
  if (name === '') return invalid(path, 'the URI names no file', undefined);
  return { kind: 'file', path, filename: name, readonly: mode === 'ro', mustExist: mode === 'ro' || mode === 'rw' };
}

function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  if (query === '') return params;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    params.set(key, eq === -1 ? '' : pair.slice(eq + 1));
  }
  return params;
}

function checkParams(params: Map<string, string>, allowed: readonly string[]): string | undefined {
  for (const key of params.keys()) {
    if (!allowed.includes(key)) {
      const lower = key.length > MAX_TYPO_LENGTH ? undefined : key.toLowerCase();
      const close = lower === undefined ? undefined : allowed.find((candidate) => withinEditDistance(candidate, lower, 2));
      return close === undefined
        ? `unknown URI parameter ${JSON.stringify(shown(key))}`
        : `unknown URI parameter ${JSON.stringify(shown(key))} (did you mean "${close}"?)`;
    }
  }
  return undefined;
}

function decodeUriPath(raw: string): string | undefined {
  let name = raw;
  if (name.startsWith('//')) {
    const slash = name.indexOf('/', 2);
    const host = slash === -1 ? name.slice(2) : name.slice(2, slash);
    if (host !== '' && host !== 'localhost') return undefined;
    name = slash === -1 ? '' : name.slice(slash);
  }
  if (!name.includes('%')) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}

/**
 * `:memory`, `memory:`, `::memory:`, `:MEMORY:`, `:memroy:` and friends. A typo of ":memory:"
 * (with its query string) is short: longer paths are not compared letter by letter, so that
 * the cost of this check never grows with the path (a 5 MB string once took 15 s here).
 */
function looksLikeMemoryTypo(path: string): boolean {
  if (path.slice(0, MEMORY.length).toLowerCase() === MEMORY) return path !== MEMORY;
  if (path.length > MAX_TYPO_LENGTH) return false;
  const letters = path.toLowerCase().replace(/[:\s]/g, '');
  const stem = letters.split('?')[0] ?? '';
  return stem === 'memory' || (stem.length >= 5 && withinEditDistance(stem, 'memory', 1) && /:/.test(path));
}

/** Longer than any misspelling of ":memory:?cache=shared" worth suggesting a fix for. */
const MAX_TYPO_LENGTH = 64;

/** What a reason shows of a NUL-cut name. */
function nulReason(beforeNul: string): string {
  return `the path contains a NUL character, where SQLite's file name ends: it would open ${JSON.stringify(shown(beforeNul))} instead. Remove the NUL`;
}

/** A path or part of one as a message shows it: long ones cut, so that an error stays readable. */
function shown(text: string): string {
  return text.length <= 100 ? text : `${text.slice(0, 100)}... (${text.length} characters)`;
}

function suggestMemory(path: string): string {
  return /cache\s*=\s*s/i.test(path) ? SHARED_MEMORY : MEMORY;
}

function invalid(path: string, reason: string, suggestion: string | undefined): SqlitePathInfo {
  return { kind: 'invalid', path, reason, suggestion };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * Whether `a` and `b` are at most `max` edits apart. Strings whose lengths differ by more are
 * not (each edit changes the length by at most one), so the quadratic table is only ever built
 * for two short strings.
 */
function withinEditDistance(a: string, b: string, max: number): boolean {
  return Math.abs(a.length - b.length) <= max && editDistance(a, b) <= max;
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps, so `memroy` is one edit from `memory`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
