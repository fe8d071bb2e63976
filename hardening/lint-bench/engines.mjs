/**
 * The database paths the generated engines use, with what the rules must conclude about each.
 * `async` is whether an async execution on the engine is reported by no-async-private-memory
 * (certainly or possibly private); `misleading` whether no-misleading-sqlite-path reports the
 * path itself. Paths are TypeScript expressions: `i` keeps file names distinct.
 */
export const ENGINE_KINDS = {
  'private-memory': { path: () => `':memory:'`, async: true, misleading: false },
  file: { path: (i) => `'data/app-${i}.db'`, async: false, misleading: false },
  'shared-memory': { path: () => `':memory:?cache=shared'`, async: false, misleading: false },
  // A union of literals with a private member: reported as "may be private".
  'maybe-private': { path: (i) => `process.env.NODE_ENV === 'test' ? ':memory:' : 'data/app-${i}.db'`, async: true, misleading: false },
  'private-temporary': { path: () => `''`, async: true, misleading: false },
  'private-file-uri': { path: () => `'file::memory:'`, async: true, misleading: false },
  // Typed `string`: unknown, never reported.
  unknown: { path: () => `process.env.DB_PATH ?? 'data/app.db'`, async: false, misleading: false },
  'shared-named': { path: (i) => `'file:cache-${i}?mode=memory&cache=shared'`, async: false, misleading: false },
  // A typo: refused by the runtime, reported by no-misleading-sqlite-path; not private.
  typo: { path: () => `':memory'`, async: false, misleading: true },
};

/** The first engines of every project cover each kind once; later ones are mostly files. */
export const FIRST_KINDS = ['private-memory', 'file', 'shared-memory', 'maybe-private', 'private-temporary', 'private-file-uri', 'unknown', 'shared-named', 'typo'];
export const LATER_KINDS = ['file', 'file', 'file', 'private-memory', 'shared-memory', 'maybe-private', 'unknown', 'shared-named'];
