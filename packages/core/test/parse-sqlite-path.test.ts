/**
 * parseSqlitePath / resolveSqlitePath against DESIGN.md, "Path semantics": the runtime's guard
 * and the linter both ask this function, so each row of that table is a case here.
 */
import { describe, expect, it } from 'vitest';
import { PiccoErrorCode, isPrivatePathKind, parseSqlitePath, resolveSqlitePath, type SqlitePathInfo } from '@picco/core';
import { catchPiccoError, expectMentions } from './helpers.js';

type Valid = Exclude<SqlitePathInfo, { kind: 'invalid' }>;

describe('valid paths (DESIGN.md "Path semantics")', () => {
  const cases: { path: string; expected: Valid }[] = [
    { path: ':memory:', expected: { kind: 'private-memory', path: ':memory:' } },
    { path: '', expected: { kind: 'private-temporary', path: '' } },
    { path: 'file::memory:', expected: { kind: 'private-memory', path: 'file::memory:' } },
    { path: 'file:data?mode=memory', expected: { kind: 'private-memory', path: 'file:data?mode=memory' } },
    { path: 'file:data?mode=memory&cache=private', expected: { kind: 'private-memory', path: 'file:data?mode=memory&cache=private' } },
    { path: 'file::memory:?cache=private', expected: { kind: 'private-memory', path: 'file::memory:?cache=private' } },
    { path: ':memory:?cache=private', expected: { kind: 'private-memory', path: ':memory:?cache=private' } },
    { path: ':memory:?cache=shared', expected: { kind: 'shared-memory', path: ':memory:?cache=shared', name: undefined } },
    { path: 'file::memory:?cache=shared', expected: { kind: 'shared-memory', path: 'file::memory:?cache=shared', name: undefined } },
    { path: 'file:x?mode=memory&cache=shared', expected: { kind: 'shared-memory', path: 'file:x?mode=memory&cache=shared', name: 'x' } },
    { path: 'file:x?cache=shared&mode=memory', expected: { kind: 'shared-memory', path: 'file:x?cache=shared&mode=memory', name: 'x' } },
    { path: 'file:/shared?vfs=memdb', expected: { kind: 'shared-memory', path: 'file:/shared?vfs=memdb', name: 'shared' } },
    { path: 'app.db', expected: { kind: 'file', path: 'app.db', filename: 'app.db', readonly: false, mustExist: false } },
    { path: './data/app.db', expected: { kind: 'file', path: './data/app.db', filename: './data/app.db', readonly: false, mustExist: false } },
    { path: '/abs/app.db', expected: { kind: 'file', path: '/abs/app.db', filename: '/abs/app.db', readonly: false, mustExist: false } },
    { path: 'file:app.db?mode=ro', expected: { kind: 'file', path: 'file:app.db?mode=ro', filename: 'app.db', readonly: true, mustExist: true } },
    { path: 'file:app.db?mode=rw', expected: { kind: 'file', path: 'file:app.db?mode=rw', filename: 'app.db', readonly: false, mustExist: true } },
    { path: 'file:app.db?mode=rwc', expected: { kind: 'file', path: 'file:app.db?mode=rwc', filename: 'app.db', readonly: false, mustExist: false } },
    { path: 'file:app.db', expected: { kind: 'file', path: 'file:app.db', filename: 'app.db', readonly: false, mustExist: false } },
    // A URI's file name is percent-decoded and an empty or "localhost" authority is dropped.
    { path: 'file:my%20app.db', expected: { kind: 'file', path: 'file:my%20app.db', filename: 'my app.db', readonly: false, mustExist: false } },
    { path: 'file:///abs/app.db', expected: { kind: 'file', path: 'file:///abs/app.db', filename: '/abs/app.db', readonly: false, mustExist: false } },
    { path: 'file://localhost/abs/app.db', expected: { kind: 'file', path: 'file://localhost/abs/app.db', filename: '/abs/app.db', readonly: false, mustExist: false } },
    // A name that merely contains "memory" is an ordinary file.
    { path: 'memory.db', expected: { kind: 'file', path: 'memory.db', filename: 'memory.db', readonly: false, mustExist: false } },
  ];

  it.each(cases)('$path => $expected.kind', ({ path, expected }) => {
    expect(parseSqlitePath(path)).toEqual(expected);
    // resolveSqlitePath accepts exactly what parseSqlitePath calls valid.
    expect(resolveSqlitePath(path)).toEqual(expected);
  });
});

describe('invalid paths: typos and junk-file spellings', () => {
  const cases: { path: string; suggestion: string | undefined; reason: string }[] = [
    { path: ':memory', suggestion: ':memory:', reason: 'not ":memory:"' },
    { path: 'memory:', suggestion: ':memory:', reason: 'not ":memory:"' },
    { path: '::memory:', suggestion: ':memory:', reason: 'not ":memory:"' },
    { path: ':MEMORY:', suggestion: ':memory:', reason: 'not ":memory:"' },
    { path: ':memroy:', suggestion: ':memory:', reason: 'not ":memory:"' },
    { path: 'memory:?cache=shared', suggestion: ':memory:?cache=shared', reason: 'not ":memory:"' },
    { path: ' :memory: ', suggestion: ':memory:', reason: 'white space' },
    { path: ':memory: ', suggestion: ':memory:', reason: 'white space' },
    { path: ' :memory ', suggestion: ':memory:', reason: 'white space' },
    { path: ':memory:?cache=share', suggestion: ':memory:?cache=shared', reason: 'cache mode "share"' },
    { path: ':memory:?', suggestion: ':memory:?cache=shared', reason: 'cache mode ""' },
    { path: ':memory:?cahce=shared', suggestion: ':memory:?cache=shared', reason: 'did you mean "cache"' },
    { path: 'app.db?cache=shared', suggestion: 'file:app.db?cache=shared', reason: 'query string on a plain file name' },
    { path: 'app.db?mode=ro', suggestion: 'file:app.db?mode=ro', reason: 'query string on a plain file name' },
    { path: 'app.db?cache=', suggestion: 'file:app.db?cache=shared', reason: 'query string on a plain file name' },
    { path: 'file:x?mode=memory&cache=share', suggestion: 'file:x?mode=memory&cache=shared', reason: 'cache mode "share"' },
    { path: 'file:x?mode=memroy', suggestion: undefined, reason: 'unknown mode "memroy"' },
    { path: 'file:x?mod=memory', suggestion: undefined, reason: 'did you mean "mode"' },
    { path: 'file:x?vfs=unix-dotfile', suggestion: undefined, reason: 'VFS "unix-dotfile" is not supported' },
    { path: 'file://example.com/app.db', suggestion: undefined, reason: 'remote host' },
    { path: 'file:bad%zz.db', suggestion: undefined, reason: 'malformed percent escape' },
    { path: 'file:', suggestion: undefined, reason: 'names no file' },
    // Issue 8, item 14: a NUL ends SQLite's file name, so these would open "a".
    { path: 'a\u0000b.db', suggestion: undefined, reason: 'NUL character, where SQLite\'s file name ends: it would open "a"' },
    { path: 'file:a%00b.db', suggestion: undefined, reason: 'NUL character, where SQLite\'s file name ends: it would open "a"' },
    { path: 'file:a%00b?mode=memory&cache=shared', suggestion: undefined, reason: 'NUL character' },
    { path: ':memory:\u0000', suggestion: undefined, reason: 'NUL character' },
    // SQLite ignores a URI's fragment (it would open x.db); a "#" in a file name is %23.
    { path: 'file:x.db#frag', suggestion: undefined, reason: 'fragment, which SQLite ignores (it would open "x.db"); write "%23"' },
    { path: 'file:x.db?mode=ro#frag', suggestion: undefined, reason: 'fragment' },
    // Not "": that would be a temporary database instead of a file.
    { path: ' ', suggestion: undefined, reason: 'only white space' },
    { path: ' \t\n ', suggestion: undefined, reason: 'only white space' },
  ];

  it.each(cases)('$path => invalid, suggests $suggestion', ({ path, suggestion, reason }) => {
    const info = parseSqlitePath(path);
    expect(info.kind).toBe('invalid');
    if (info.kind !== 'invalid') return;
    expect(info.path).toBe(path);
    expect(info.suggestion).toBe(suggestion);
    expect(info.reason.toLowerCase()).toContain(reason.toLowerCase());
  });

  it.each(cases.filter((c) => c.suggestion !== undefined))('the suggestion for $path is itself a valid path', ({ path }) => {
    const { suggestion } = parseSqlitePath(path) as { suggestion: string };
    expect(parseSqlitePath(suggestion).kind).not.toBe('invalid');
  });

  it.each(cases)('resolveSqlitePath($path) throws INVALID_PATH naming the path and the fix', ({ path, suggestion }) => {
    const error = catchPiccoError(() => resolveSqlitePath(path), PiccoErrorCode.INVALID_PATH);
    expect(error.message).toContain(JSON.stringify(path));
    if (suggestion !== undefined) expect(error.message).toContain(`Did you mean ${JSON.stringify(suggestion)}?`);
    else expect(error.message).not.toContain('Did you mean');
    // Every message lists the valid choices, so it always says what to do.
    expectMentions(error.message, ['":memory:"', '":memory:?cache=shared"', '"app.db"']);
  });
});

describe('paths with "#" or NUL that Picco does accept (issue 8, item 14)', () => {
  it('a "#" in a plain file name, or spelled %23 in a URI, is part of the file name', () => {
    expect(parseSqlitePath('x.db#frag')).toEqual({ kind: 'file', path: 'x.db#frag', filename: 'x.db#frag', readonly: false, mustExist: false });
    expect(parseSqlitePath('file:x.db%23frag')).toEqual({ kind: 'file', path: 'file:x.db%23frag', filename: 'x.db#frag', readonly: false, mustExist: false });
  });
});

describe('the cost of parsing does not grow with typo checks (issue 8, item 18)', () => {
  // A bound tens of times what the work takes (a few ms) and far below what it took before
  // (15 s and 470 MB for 5 million characters): the edit distance now only ever compares
  // short strings.
  it.each([
    ['a file name', 'x'.repeat(5_000_000)],
    ['":memory:" and 5 million characters', `:memory:${'x'.repeat(5_000_000)}`],
    ['a memory look-alike', `::${'m'.repeat(5_000_000)}:`],
    ['a URI with a long parameter name', `file:x.db?${'q'.repeat(5_000_000)}=1`],
  ])('%s', (_label, path) => {
    const started = performance.now();
    const info = parseSqlitePath(path);
    expect(performance.now() - started).toBeLessThan(1000);
    if (info.kind === 'invalid') {
      // The message stays readable: the path is cut, its length said.
      const message = catchPiccoError(() => resolveSqlitePath(path), PiccoErrorCode.INVALID_PATH).message;
      expect(message.length).toBeLessThan(2000);
      expect(message).toContain('characters)');
    }
  });

  it('typos of ":memory:" are still caught', () => {
    expect(parseSqlitePath(':memroy:')).toMatchObject({ kind: 'invalid', suggestion: ':memory:' });
    expect(parseSqlitePath('file:x?cahce=shared')).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('did you mean "cache"') });
  });
});

describe('non-string paths', () => {
  it.each([
    { value: 42, shown: 'number 42' },
    { value: undefined, shown: 'undefined' },
    { value: null, shown: 'null' },
    { value: { path: ':memory:' }, shown: 'an object' },
  ])('$shown is invalid and resolveSqlitePath throws INVALID_PATH', ({ value, shown }) => {
    const info = parseSqlitePath(value as unknown as string);
    expect(info.kind).toBe('invalid');
    expect(info.kind === 'invalid' && info.suggestion).toBeUndefined();
    const error = catchPiccoError(() => resolveSqlitePath(value), PiccoErrorCode.INVALID_PATH);
    expectMentions(error.message, ['must be a string', shown]);
  });
});

describe('isPrivatePathKind', () => {
  it.each([
    { path: ':memory:', isPrivate: true },
    { path: '', isPrivate: true },
    { path: 'file:x?mode=memory', isPrivate: true },
    { path: ':memory:?cache=shared', isPrivate: false },
    { path: 'file:x?mode=memory&cache=shared', isPrivate: false },
    { path: 'app.db', isPrivate: false },
    { path: ':memory', isPrivate: false },
  ])('$path: private = $isPrivate', ({ path, isPrivate }) => {
    expect(isPrivatePathKind(parseSqlitePath(path).kind)).toBe(isPrivate);
  });
});
