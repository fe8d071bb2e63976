/**
 * Execution sites: the statements the generated setup and service files are made of. Each
 * site says which tables it executes asynchronously and which queries it drops, so the
 * generator knows exactly how many reports each rule owes: one `no-async-private-memory`
 * report per async execution on a table whose engine is (or may be) private, one
 * `no-unexecuted-query` report per dropped query.
 *
 * Every site is valid, type-correct TypeScript inside a function that declares `let total = 0`.
 * Tables always have `id`, `name`, `amount` and `active` columns (see templates.mjs).
 */

/** Sites for the body of an `async` function. `a` and `b` are table identifiers, `k` a unique number. */
export const ASYNC_SITES = [
  (a) => site(`await ${a}.createTable({ ifNotExists: true });`, [a]),
  (a, _b, k) => site(`await ${a}.insert({ name: 'item-${k}', amount: ${k % 97} });`, [a]),
  (a, _b, k) => site(`const rows${k} = await ${a}.select().where(${a}.id.gt(${k % 13})).limit(10);\n  total += rows${k}.length;`, [a]),
  (a, b, k) => site(`const [left${k}, right${k}] = await Promise.all([${a}.count(), ${b}.count().run()]);\n  total += left${k} + right${k};`, [a, b]),
  (a) => site(`void ${a}.count().run();`, [a]),
  (a) => site(`total += await ${a}.count().then((n) => n * 2);`, [a]),
  (a) => site(`${a}.createTable({ ifNotExists: true }).runSync();`, []),
  (a) => site(`total += ${a}.count().runSync();`, []),
  (a, _b, k) => site(`if (total > ${k % 50}) {\n    await ${a}.delete().where(${a}.id.lt(${k % 50}));\n  }`, [a]),
  (a, _b, k) => site(`const refresh${k} = async () => ${a}.count();\n  total += await refresh${k}();`, [a]),
  (a, _b, k) => site(`const exists${k} = total > ${k % 7} ? await ${a}.exists() : false;\n  if (exists${k}) total += 1;`, [a]),
  (a, _b, k) => site(`await ${a}.update({ amount: ${k % 31} }).where(${a}.name.eq('item-${k}'));`, [a]),
  (a) => site(`await createTables([${a}], { ifNotExists: true });`, [a], [], ['createTables']),
  (a, _b, k) => site(`for (const label of ['x${k}', 'y${k}']) {\n    await ${a}.insert({ name: label });\n  }`, [a]),
];

/** Sites for the body of a plain (synchronous) function. */
export const SYNC_SITES = [
  (a) => site(`${a}.createTable({ ifNotExists: true }).runSync();`, []),
  (a, _b, k) => site(`${a}.insert({ name: 'sync-${k}', active: ${k % 2 === 0} }).runSync();`, []),
  (a) => site(`total += ${a}.count().runSync();`, []),
  (a, _b, k) => site(`total += ${a}.select(${a}.id, ${a}.name).where(${a}.amount.gt(${k % 11})).runSync().length;`, []),
  (a, _b, k) => site(`if (${a}.exists().runSync()) {\n    ${a}.update({ active: false }).where(${a}.id.eq(${k % 20})).runSync();\n  }`, []),
];

/** A query built and dropped: `no-unexecuted-query` (and `no-floating-promises`, it is thenable). */
export const DROPPED_SITE = (a) => site(`${a}.createTable();`, [], [a]);

/** `return` of a query from an async function: an async execution of it. */
export const RETURN_SITE = (a) => ({ code: `return ${a}.count();`, asyncOn: [a], droppedOn: [], imports: [] });

function site(code, asyncOn, droppedOn = [], imports = []) {
  return { code, asyncOn, droppedOn, imports };
}
