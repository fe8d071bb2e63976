/**
 * Random Picco programs for the fix properties: an engine with a private or shared path (a
 * literal, a `?:` of literals, or a `const`), declared in the linted file or in another one,
 * sometimes a second engine, tables on them, a look-alike class that is not Picco, and functions, arrows, class methods and top-level code that execute queries
 * asynchronously and synchronously, nested in conditionals and callbacks.
 *
 * A program is a plain model (what fast-check generates and shrinks); `renderProgram` turns it
 * into source files and counts the async executions no-async-private-memory must report: it is
 * the oracle. Every rendered program is valid, strict TypeScript.
 */
import fc from 'fast-check';
import { parseSqlitePath, isPrivatePathKind } from '@picco/core';

export const PATHS = [':memory:', '', 'file::memory:', 'file:mem?mode=memory', 'file:mem?mode=memory&cache=private', ':memory:?cache=shared', 'file::memory:?cache=shared', 'app.db', 'data/app.db'];
const OPERATIONS = ['createTable', 'createTableIfNotExists', 'insert', 'select', 'count', 'delete', 'raw', 'createTables'];

// ---------------------------------------------------------------------------------------------
// The model.

const path = fc.constantFrom(...PATHS);
const quote = fc.constantFrom("'", '"', '`');
const enginePath = fc.oneof(
  fc.record({ form: fc.constant('literal'), value: path, quote }),
  fc.record({ form: fc.constant('conditional'), value: path, otherwise: path, quote }),
  fc.record({ form: fc.constant('const'), value: path, quote }),
);
const query = fc.record({ table: fc.nat(2), op: fc.constantFrom(...OPERATIONS) });

const { asyncStatement, syncStatement } = fc.letrec((tie) => {
  const asyncBlock = fc.array(tie('asyncStatement'), { minLength: 1, maxLength: 3 });
  const syncBlock = fc.array(tie('syncStatement'), { minLength: 1, maxLength: 3 });
  const element = fc.record({ query, form: fc.constantFrom('bare', 'run', 'runSync') });
  return {
    asyncStatement: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constantFrom('await', 'awaitAssign', 'awaitRun', 'voidRun', 'run', 'runSync', 'awaitThen', 'then', 'dropped', 'condAwait', 'alias', 'asyncArrowExpr', 'awaitReturnedRun'), query }),
      fc.record({ kind: fc.constant('lookAlike') }),
      fc.record({ kind: fc.constant('awaitEither'), query, other: query }),
      fc.record({ kind: fc.constant('promiseAll'), elements: fc.array(element, { minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('if'), then: asyncBlock, otherwise: fc.option(asyncBlock, { nil: undefined }) }),
      fc.record({ kind: fc.constant('forEachAsync'), body: asyncBlock }),
      fc.record({ kind: fc.constant('try'), body: asyncBlock }),
      fc.record({ kind: fc.constant('syncArrow'), body: syncBlock }),
    ),
    syncStatement: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constantFrom('runSync', 'voidRun', 'then', 'dropped', 'asyncArrowExpr', 'syncAssign'), query }),
      fc.record({ kind: fc.constant('voidPromiseAll'), elements: fc.array(element, { minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('if'), then: syncBlock, otherwise: fc.option(syncBlock, { nil: undefined }) }),
      fc.record({ kind: fc.constant('asyncArrowBlock'), body: asyncBlock }),
    ),
  };
});

const asyncTail = fc.option(fc.record({ kind: fc.constantFrom('returnQuery', 'returnMaybe', 'returnAwait'), query }), { nil: undefined });
const container = fc.oneof(
  fc.record({ kind: fc.constant('asyncFunction'), body: fc.array(asyncStatement, { maxLength: 4 }), tail: asyncTail }),
  fc.record({ kind: fc.constant('syncFunction'), body: fc.array(syncStatement, { maxLength: 4 }), returnsQuery: fc.option(query, { nil: undefined }) }),
  fc.record({ kind: fc.constant('asyncArrow'), body: fc.array(asyncStatement, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('asyncArrowExpression'), query }),
  fc.record({ kind: fc.constant('class'), asyncBody: fc.array(asyncStatement, { maxLength: 3 }), tail: asyncTail, syncBody: fc.array(syncStatement, { maxLength: 2 }) }),
  fc.record({ kind: fc.constant('topLevel'), body: fc.array(asyncStatement, { minLength: 1, maxLength: 3 }) }),
);

/** `placements`: where the engine may be declared (`same` file, or `other`: engine.ts). */
export function programArbitrary({ placements = ['same', 'other'] } = {}) {
  return fc.record({
    engine: fc.record({ path: enginePath, place: fc.constantFrom(...placements) }),
    // A second engine (`DB2`, declared beside the first) and which tables use it.
    second: fc.option(fc.constantFrom(':memory:', ':memory:?cache=shared', 'app.db'), { nil: undefined }),
    onSecond: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    tables: fc.integer({ min: 1, max: 3 }),
    containers: fc.array(container, { minLength: 1, maxLength: 4 }),
    // Without semicolons (the "standard" style): a rewrite that starts a statement with `(` must not join the line before.
    semicolons: fc.boolean(),
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering, and the oracle.

/** Whether an async execution on an engine with this path model is reported (certainly or possibly private). */
export function enginePrivacy(pathModel) {
  const values = pathModel.form === 'conditional' ? [pathModel.value, pathModel.otherwise] : [pathModel.value];
  return values.some((value) => isPrivatePathKind(parseSqlitePath(value).kind));
}

function literal(value, quote) {
  if (quote === '`') return `\`${value}\``;
  return `${quote}${value}${quote}`;
}

function pathExpression(pathModel) {
  if (pathModel.form === 'const') return 'PATH';
  if (pathModel.form === 'conditional') return `process.env.NODE_ENV === 'test' ? ${literal(pathModel.value, pathModel.quote)} : ${literal(pathModel.otherwise, pathModel.quote)}`;
  return literal(pathModel.value, pathModel.quote);
}

function engineDeclaration(pathModel) {
  const lines = [];
  if (pathModel.form === 'const') lines.push(`const PATH = ${literal(pathModel.value, pathModel.quote)};`);
  lines.push(`export const DB = new SQLiteEngine({ path: ${pathExpression(pathModel)} });`);
  return lines;
}

/**
 * Source files (`engine.ts`, `file.ts`) and the number of no-async-private-memory reports
 * owed on `file.ts`: `typed` with type information, `untyped` without.
 */
export function renderProgram(program) {
  const tables = Array.from({ length: program.tables }, (_, index) => `T${index}`);
  const engineOf = (index) => (program.second !== undefined && program.onSecond[index] ? 'DB2' : 'DB');
  const privateEngine = { DB: enginePrivacy(program.engine.path), DB2: program.second !== undefined && isPrivatePathKind(parseSqlitePath(program.second).kind) };
  /** Whether an async execution of this query is on a (possibly) private engine. */
  const onPrivate = ({ table, op }) => privateEngine[op === 'raw' ? 'DB' : engineOf(table % tables.length)];
  const same = program.engine.place === 'same';
  const counts = { typed: 0, untyped: 0 };
  let unique = 0;
  const name = (prefix) => `${prefix}${unique++}`;

  const q = ({ table, op }) => {
    const t = tables[table % tables.length];
    switch (op) {
      case 'createTable':
        return `${t}.createTable()`;
      case 'createTableIfNotExists':
        return `${t}.createTable({ ifNotExists: true })`;
      case 'insert':
        return `${t}.insert({ name: 'x' })`;
      case 'select':
        return `${t}.select().where(${t}.id.gt(1))`;
      case 'count':
        return `${t}.count()`;
      case 'delete':
        return `${t}.delete().where(${t}.id.eq(1))`;
      case 'raw':
        return `DB.raw<{ one: number }>('SELECT 1 AS one')`;
      case 'createTables':
        // Tables of one engine, so the batch has that engine with and without types.
        return `createTables([${tables.filter((_, index) => engineOf(index) === engineOf(table % tables.length)).join(', ')}])`;
    }
    throw new Error(`unknown operation ${op}`);
  };
  /**
   * An async execution of `queries` (one, or the branches of a `?:`): reported when an engine is
   * private, with types always, without types only when the engines are in this file and the
   * expression is a call (or a `const` alias of one) that scope analysis can follow.
   */
  const execution = (queries, typed = 1, untyped = typed) => {
    if (!queries.some(onPrivate)) return;
    counts.typed += typed;
    if (same) counts.untyped += untyped;
  };
  const indent = (lines, depth) => lines.map((line) => `${'  '.repeat(depth)}${line}`);

  function asyncStatementLines(statement, depth) {
    switch (statement.kind) {
      case 'await':
        execution([statement.query]);
        return [`await ${q(statement.query)};`];
      case 'awaitAssign':
        execution([statement.query]);
        return [`const ${name('v')} = await ${q(statement.query)};`];
      case 'awaitRun':
        execution([statement.query]);
        return [`await ${q(statement.query)}.run();`];
      case 'awaitReturnedRun': {
        // The promise of `.run()` kept in a variable: no rewrite keeps that meaning, so no fix.
        const promise = name('p');
        execution([statement.query]);
        return [`const ${promise} = ${q(statement.query)}.run();`, `await ${promise};`];
      }
      case 'voidRun':
        execution([statement.query]);
        return [`void ${q(statement.query)}.run();`];
      case 'run':
        execution([statement.query]);
        return [`${q(statement.query)}.run();`];
      case 'runSync':
        return [`${q(statement.query)}.runSync();`];
      case 'awaitThen':
        execution([statement.query]);
        return [`await ${q(statement.query)}.then((result) => result);`];
      case 'then':
        execution([statement.query]);
        return [`${q(statement.query)}.then(() => undefined);`];
      case 'dropped':
        return [`${q(statement.query)};`];
      case 'condAwait':
        execution([statement.query]);
        return [`const ${name('v')} = flag ? await ${q(statement.query)} : null;`];
      case 'alias': {
        const alias = name('q');
        execution([statement.query]);
        return [`const ${alias} = ${q(statement.query)};`, `await ${alias};`];
      }
      case 'asyncArrowExpr':
        execution([statement.query]);
        return [`const ${name('f')} = async () => ${q(statement.query)};`];
      case 'awaitEither':
        // Without types a `?:` of queries is not proven to be a query.
        execution([statement.query, statement.other], 1, 0);
        return [`await (flag ? ${q(statement.query)} : ${q(statement.other)});`];
      case 'promiseAll': {
        const elements = statement.elements.map(({ query: element, form }) => {
          if (form !== 'runSync') execution([element]);
          return form === 'bare' ? q(element) : `${q(element)}.${form}()`;
        });
        return [`await Promise.all([${elements.join(', ')}]);`];
      }
      case 'if':
        return [
          'if (flag) {',
          ...indent(statement.then.flatMap((inner) => asyncStatementLines(inner, depth + 1)), 1),
          ...(statement.otherwise === undefined ? ['}'] : ['} else {', ...indent(statement.otherwise.flatMap((inner) => asyncStatementLines(inner, depth + 1)), 1), '}']),
        ];
      case 'forEachAsync':
        return ['[1, 2].forEach(async () => {', ...indent(statement.body.flatMap((inner) => asyncStatementLines(inner, depth + 1)), 1), '});'];
      case 'try':
        return ['try {', ...indent(statement.body.flatMap((inner) => asyncStatementLines(inner, depth + 1)), 1), '} catch {', '  // ignored', '}'];
      case 'lookAlike':
        return ['await fake.createTable().run();', 'fake.createTable();', `const ${name('f')} = async () => fake.createTable();`];
      case 'syncArrow':
        return [`const ${name('g')} = () => {`, ...indent(statement.body.flatMap((inner) => syncStatementLines(inner, depth + 1)), 1), '};'];
    }
    throw new Error(`unknown statement ${statement.kind}`);
  }

  function syncStatementLines(statement, depth) {
    switch (statement.kind) {
      case 'runSync':
        return [`${q(statement.query)}.runSync();`];
      case 'syncAssign':
        return [`const ${name('s')} = ${q(statement.query)}.runSync();`];
      case 'voidRun':
        execution([statement.query]);
        return [`void ${q(statement.query)}.run();`];
      case 'then':
        execution([statement.query]);
        return [`${q(statement.query)}.then(() => undefined);`];
      case 'dropped':
        return [`${q(statement.query)};`];
      case 'asyncArrowExpr':
        execution([statement.query]);
        return [`const ${name('f')} = async () => ${q(statement.query)};`];
      case 'voidPromiseAll': {
        const elements = statement.elements.map(({ query: element, form }) => {
          if (form !== 'runSync') execution([element]);
          return form === 'bare' ? q(element) : `${q(element)}.${form}()`;
        });
        return [`void Promise.all([${elements.join(', ')}]);`];
      }
      case 'if':
        return [
          'if (flag) {',
          ...indent(statement.then.flatMap((inner) => syncStatementLines(inner, depth + 1)), 1),
          ...(statement.otherwise === undefined ? ['}'] : ['} else {', ...indent(statement.otherwise.flatMap((inner) => syncStatementLines(inner, depth + 1)), 1), '}']),
        ];
      case 'asyncArrowBlock':
        return [`const ${name('h')} = async () => {`, ...indent(statement.body.flatMap((inner) => asyncStatementLines(inner, depth + 1)), 1), '};'];
    }
    throw new Error(`unknown statement ${statement.kind}`);
  }

  function asyncTailLines(tail) {
    if (tail === undefined) return [];
    switch (tail.kind) {
      case 'returnQuery':
        execution([tail.query]);
        return [`return ${q(tail.query)};`];
      case 'returnMaybe':
        // Possibly no query at all: only types prove the query branch.
        execution([tail.query], 1, 0);
        return [`return flag ? ${q(tail.query)} : undefined;`];
      case 'returnAwait':
        execution([tail.query]);
        return [`return await ${q(tail.query)};`];
    }
    throw new Error(`unknown tail ${tail.kind}`);
  }

  const body = [];
  for (const part of program.containers) {
    body.push('');
    switch (part.kind) {
      case 'asyncFunction':
        body.push(`export async function ${name('run')}() {`, ...indent([...part.body.flatMap((s) => asyncStatementLines(s, 1)), ...asyncTailLines(part.tail)], 1), '}');
        break;
      case 'syncFunction':
        body.push(`export function ${name('setUp')}() {`, ...indent([...part.body.flatMap((s) => syncStatementLines(s, 1)), ...(part.returnsQuery === undefined ? [] : [`return ${q(part.returnsQuery)};`])], 1), '}');
        break;
      case 'asyncArrow':
        body.push(`export const ${name('task')} = async () => {`, ...indent(part.body.flatMap((s) => asyncStatementLines(s, 1)), 1), '};');
        break;
      case 'asyncArrowExpression':
        execution([part.query]);
        body.push(`export const ${name('load')} = async () => ${q(part.query)};`);
        break;
      case 'class':
        body.push(
          `export class Service${unique++} {`,
          '  async run() {',
          ...indent([...part.asyncBody.flatMap((s) => asyncStatementLines(s, 2)), ...asyncTailLines(part.tail)], 2),
          '  }',
          '',
          '  runSync() {',
          ...indent(part.syncBody.flatMap((s) => syncStatementLines(s, 2)), 2),
          '  }',
          '}',
        );
        break;
      case 'topLevel':
        body.push(...part.body.flatMap((s) => asyncStatementLines(s, 0)));
        break;
      default:
        throw new Error(`unknown container ${part.kind}`);
    }
  }

  const engines = [...engineDeclaration(program.engine.path), ...(program.second === undefined ? [] : [`export const DB2 = new SQLiteEngine({ path: '${program.second}' });`])];
  const file = [
    "import { createTables, defineTable, integer, serial, text } from '@picco/core';",
    same ? "import { SQLiteEngine } from '@picco/runtime';" : `import { ${program.second === undefined ? 'DB' : 'DB, DB2'} } from './engine.js';`,
    '',
    ...(same ? engines : []),
    ...tables.map((t, index) => `export const ${t} = defineTable('${t.toLowerCase()}', { id: serial(), name: text(), n: integer({ default: 0 }) }, { db: ${engineOf(index)} });`),
    "const flag = process.env.FLAG === '1';",
    ...LOOK_ALIKE,
    ...body,
    '',
  ].join('\n');
  const styled = program.semicolons === false ? withoutSemicolons(file) : file;
  const engine = same ? 'export {};\n' : ["import { SQLiteEngine } from '@picco/runtime';", '', ...engines, ''].join('\n');
  // Without types, an engine in another file is unknown (`execution` counts nothing then).
  return { files: { 'engine.ts': engine, 'file.ts': styled }, expected: counts };
}

/** Not Picco, with Picco's method names: never reported. */
const LOOK_ALIKE = [
  'class Migrations {',
  '  createTable() { return this; }',
  '  async run() { return 1; }',
  '  runSync() { return 1; }',
  '}',
  'const fake = new Migrations();',
];

/**
 * The same code in the no-semicolon style: statement-ending semicolons dropped, and a `;` put
 * before a statement that starts with `(` or `[` (as that style requires), so the code means
 * the same.
 */
function withoutSemicolons(text) {
  return text
    .split('\n')
    .map((line) => {
      const bare = line.replace(/;$/, '');
      return /^\s*[[(]/.test(bare) ? bare.replace(/^(\s*)/, '$1;') : bare;
    })
    .join('\n');
}
