#!/usr/bin/env node
// The packed-tarball test: Picco as a stranger gets it. Packs the four packages, checks what
// each tarball holds, installs the tarballs with npm into a fresh app in the system's temporary
// folder (outside this workspace, so nothing resolves to the repository), and checks there:
//   - `tsc --strict` without skipLibCheck passes, for an ES module app and a CommonJS one;
//   - typed `eslint` reports the seed's bug across files (fixtures/seed-split), from an ESM
//     config and from a CommonJS config (`require('@picco/eslint-plugin')`);
//   - `eslint --fix` rewrites it, and a second pass finds nothing;
//   - the original program is refused with PRIVATE_MEMORY_ASYNC and the fixed one runs;
//   - `require()` of each package works from CommonJS, without warnings;
//   - the `picco` command of @picco/cli generates a migration from the app's tables, applies it
//     and checks that the tables and the migrations agree.
//
//   node scripts/packed-tarball-test.mjs [--keep]    (--keep leaves the app folder for a look)
//
// npm compiles better-sqlite3 when it has no prebuilt binary to download (about 70 s; set
// npm_config_nodedir to Node's installed headers on a machine without internet access).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const PACKAGES = ['core', 'runtime', 'postgres', 'cli', 'eslint-plugin'];
const PNPM = ['-y', 'pnpm@12.4.2'];
const { values: args } = parseArgs({ options: { keep: { type: 'boolean', default: false } } });

const started = performance.now();
let checks = 0;

function step(text) {
  console.log(`packed-tarball: ${text}`);
}

function check(condition, what, detail = '') {
  checks++;
  if (!condition) {
    console.error(`packed-tarball: FAILED: ${what}${detail === '' ? '' : `\n${detail}`}`);
    console.error(`packed-tarball: the app is kept in ${app} for a look`);
    process.exit(1);
  }
}

/** Runs a command; returns its status and output. */
function run(command, commandArgs, cwd, env = {}) {
  const result = spawnSync(command, commandArgs, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}`.trim() };
}

function mustRun(what, command, commandArgs, cwd, env) {
  const result = run(command, commandArgs, cwd, env);
  check(result.status === 0, `${what} (exit ${result.status})`, result.output);
  return result;
}

/** The catalog's exact versions, so the app gets the tools the repository is tested with. */
function catalogVersions() {
  const versions = {};
  let inCatalog = false;
  for (const line of readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8').split('\n')) {
    if (/^\S/.test(line)) inCatalog = line.startsWith('catalog:');
    const entry = inCatalog ? /^\s+"?([^":]+)"?:\s*(\S+)/.exec(line) : null;
    if (entry !== null) versions[entry[1]] = entry[2].replace(/^[\^~]/, '');
  }
  return versions;
}

const app = mkdtempSync(join(tmpdir(), 'picco-packed-'));
const tarballs = join(app, 'tarballs');
mkdirSync(tarballs);
step(`app in ${app}`);

// 1. Build and pack.
mustRun('build the packages', process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', ...PACKAGES.map((name) => `packages/${name}`)], ROOT);
const tarballOf = {};
for (const name of PACKAGES) {
  const directory = join(ROOT, 'packages', name);
  mustRun(`pnpm pack ${name}`, 'npx', [...PNPM, 'pack', '--pack-destination', tarballs], directory);
  tarballOf[name] = join(tarballs, readdirSync(tarballs).find((file) => file.startsWith(`picco-${name}-`)));
  checkContents(name, directory, tarballOf[name]);
}
step('packed: contents and manifests checked');

/** What a tarball may hold: its entry points, declarations, sources their maps point at, docs. */
function checkContents(name, directory, tarball) {
  const files = run('tar', ['tzf', tarball], app).stdout.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
  const dryRun = JSON.parse(mustRun(`npm pack --dry-run ${name}`, 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], directory).stdout);
  const npmFiles = dryRun[0].files.map((file) => file.path);
  for (const list of [files, npmFiles]) {
    for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
      check(list.includes(required), `${name}: the tarball holds ${required}`, list.join('\n'));
    }
    if (name === 'eslint-plugin') {
      check(['dist/index.cjs', 'dist/index.d.cts'].every((file) => list.includes(file)), `${name}: the tarball holds the CommonJS entry`);
      check(list.some((file) => file.startsWith('docs/rules/')), `${name}: the tarball holds the rule docs`);
    }
    const allowed = /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map|d\.ts\.map|d\.cts\.map)|src\/.+\.(ts|cts)|docs\/.+\.md)$/;
    const strays = list.filter((file) => !allowed.test(file));
    check(strays.length === 0, `${name}: nothing in the tarball that does not belong`, strays.join('\n'));
  }
  // Every source map points at a file that is shipped.
  const extract = join(app, 'extract', name);
  mkdirSync(extract, { recursive: true });
  mustRun(`unpack ${name}`, 'tar', ['xzf', tarball, '-C', extract], app);
  for (const map of files.filter((file) => file.endsWith('.map'))) {
    const { sources } = JSON.parse(readFileSync(join(extract, 'package', map), 'utf8'));
    for (const source of sources) {
      const target = join(extract, 'package', map, '..', source);
      check(files.includes(relative(join(extract, 'package'), target)), `${name}: ${map} points at ${source}, which is shipped`);
    }
  }
  const manifest = JSON.parse(readFileSync(join(extract, 'package', 'package.json'), 'utf8'));
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      check(/^[\^~>]/.test(range), `${name}: ${field}.${dependency} is a range, not "${range}"`);
    }
  }
  for (const field of ['engines', 'repository', 'homepage', 'bugs', 'keywords', 'license']) check(manifest[field] !== undefined, `${name}: package.json has ${field}`);
  check(manifest.sideEffects === false, `${name}: package.json says sideEffects: false`);
}

// 2. A fresh app: the tarballs and the catalog's typescript, typescript-eslint and eslint.
const versions = catalogVersions();
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify(
    {
      name: 'picco-packed-app',
      private: true,
      type: 'module',
      dependencies: {
        '@picco/core': `file:${tarballOf.core}`,
        '@picco/runtime': `file:${tarballOf.runtime}`,
        '@picco/postgres': `file:${tarballOf.postgres}`,
        '@picco/cli': `file:${tarballOf.cli}`,
      },
      devDependencies: {
        '@picco/eslint-plugin': `file:${tarballOf['eslint-plugin']}`,
        '@types/node': versions['@types/node'],
        eslint: versions.eslint,
        typescript: versions.typescript,
        'typescript-eslint': versions['typescript-eslint'],
      },
    },
    null,
    2,
  ),
);
const installStarted = performance.now();
mustRun('npm install of the tarballs', 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app, {
  npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr',
});
step(`npm install: ${((performance.now() - installStarted) / 1000).toFixed(0)} s`);
check(!readdirSync(join(app, 'node_modules')).includes('@types') || !readdirSync(join(app, 'node_modules', '@types')).includes('better-sqlite3'), 'the app has no @types/better-sqlite3 (the public types must not need it)');

// 3. The seed's program, split across files, and a main that runs it.
cpSync(join(ROOT, 'fixtures', 'seed-split', 'src'), join(app, 'src'), { recursive: true });
writeFileSync(
  join(app, 'src', 'main.ts'),
  `import { isPiccoError } from '@picco/core';
import { DB } from './engine.js';
import { countBands, managerNames, setUp, version } from './setup.js';

try {
  console.log('popular bands:', await setUp());
  console.log('bands:', await countBands());
  console.log('managers:', JSON.stringify(await managerNames()));
  console.log('sqlite:', await version());
} catch (error) {
  console.log(isPiccoError(error) ? \`refused: \${error.code}\` : \`failed: \${String(error)}\`);
  process.exitCode = 1;
} finally {
  await DB.close();
}
`,
);
// The CLI's public types, checked with the rest.
writeFileSync(
  join(app, 'src', 'migrations.ts'),
  `import { defineConfig, type Migration } from '@picco/cli';
import { defineTable, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';

export const config = defineConfig({ engine: () => new SQLiteEngine({ path: 'app.db' }), tables: [defineTable('note', { id: serial(), body: text() })] });
export const empty: Migration = { up: [], down: [] };
`,
);
const STRICT = {
  strict: true,
  skipLibCheck: false,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  types: ['node'],
};
writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICT, outDir: 'build', rootDir: 'src' }, include: ['src'] }, null, 2));
const tsc = (cwd, extra = []) => run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), ...extra], cwd);

let result = tsc(app);
check(result.status === 0, 'tsc --strict (no skipLibCheck) on the ES module app', result.output);
step('tsc --strict, ES modules: passed');

// The original program is refused.
result = run(process.execPath, ['build/main.js'], app);
check(result.status === 1 && result.stdout.includes('refused: PRIVATE_MEMORY_ASYNC'), 'the original program is refused with PRIVATE_MEMORY_ASYNC', result.output);
step('original program: refused with PRIVATE_MEMORY_ASYNC');

// 4. Typed ESLint, from an ESM config and from a CommonJS one: the same reports.
const LINTED = "['**/*.{ts,mts,cts,tsx,js,mjs,cjs,jsx}']";
writeFileSync(
  join(app, 'eslint.config.mjs'),
  `import tseslint from 'typescript-eslint';
import picco from '@picco/eslint-plugin';

export default [
  { ignores: ['build/**', 'cjs/**', 'eslint.config.*'] },
  { files: ${LINTED}, languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  picco.configs['recommended-type-checked'],
];
`,
);
writeFileSync(
  join(app, 'eslint.config.cjs'),
  `const tseslint = require('typescript-eslint');
const picco = require('@picco/eslint-plugin');

module.exports = [
  { ignores: ['build/**', 'cjs/**', 'eslint.config.*'] },
  { files: ${LINTED}, languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: __dirname } } },
  picco.configs['recommended-type-checked'],
];
`,
);
const eslint = (extra) => run(process.execPath, [join(app, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...extra, 'src'], app);
const lint = (extra = []) => {
  const linted = eslint(extra);
  let results;
  try {
    results = JSON.parse(linted.stdout);
  } catch {
    check(false, `eslint ${extra.join(' ')} printed JSON`, linted.output);
  }
  const messages = results.flatMap((file) => file.messages.map((message) => ({ ...message, file: relative(app, file.filePath) })));
  return { status: linted.status, stderr: linted.stderr, messages };
};

const esmLint = lint();
const seedReports = esmLint.messages.filter((message) => message.ruleId === '@picco/no-async-private-memory');
check(
  seedReports.length > 0 && seedReports.every((message) => message.file === 'src/setup.ts') && seedReports.length === esmLint.messages.length,
  'typed eslint reports the seed bug in setup.ts (the engine is in engine.ts), and nothing else',
  JSON.stringify(esmLint.messages, null, 2),
);
check(esmLint.stderr.trim() === '', 'typed eslint prints no warning', esmLint.stderr);
const cjsLint = lint(['--config', 'eslint.config.cjs']);
check(JSON.stringify(cjsLint.messages) === JSON.stringify(esmLint.messages), 'a CommonJS eslint config (require) reports the same', JSON.stringify(cjsLint.messages, null, 2));
step(`eslint (ESM and CommonJS configs): ${seedReports.length} reports of @picco/no-async-private-memory in src/setup.ts`);

// 5. eslint --fix, a second pass, and the fixed program runs.
result = eslint(['--fix']);
const afterFix = lint();
check(afterFix.messages.length === 0, 'after eslint --fix, a second pass reports nothing', JSON.stringify(afterFix.messages, null, 2));
check(readFileSync(join(app, 'src', 'setup.ts'), 'utf8') !== readFileSync(join(ROOT, 'fixtures', 'seed-split', 'src', 'setup.ts'), 'utf8'), 'eslint --fix rewrote setup.ts');
rmSync(join(app, 'build'), { recursive: true, force: true });
result = tsc(app);
check(result.status === 0, 'tsc --strict on the fixed program', result.output);
result = run(process.execPath, ['build/main.js'], app);
check(result.status === 0 && result.stdout.includes('popular bands: 1'), 'the fixed program runs', result.output);
step('eslint --fix: rewritten, second pass clean, the fixed program runs');

// 6. CommonJS: a strict CommonJS TypeScript app, compiled and run, and plain require() calls.
const cjs = join(app, 'cjs');
mkdirSync(join(cjs, 'src'), { recursive: true });
writeFileSync(join(cjs, 'package.json'), JSON.stringify({ type: 'commonjs' }));
writeFileSync(join(cjs, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICT, outDir: 'build', rootDir: 'src' }, include: ['src'] }, null, 2));
writeFileSync(
  join(cjs, 'src', 'main.ts'),
  `import { defineTable, isPiccoError, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { PostgresEngine } from '@picco/postgres';
import picco = require('@picco/eslint-plugin');

const DB = new SQLiteEngine({ path: ':memory:?cache=shared' });
const Note = defineTable('note', { id: serial(), body: text() }, { db: DB });
const Private = new SQLiteEngine({ path: ':memory:' });
// A file database: async queries run on worker processes, started from the installed package.
const FileDB = new SQLiteEngine({ path: 'notes.db', workers: 2 });
const FileNote = defineTable('note', { id: serial(), body: text() }, { db: FileDB });

async function main(): Promise<void> {
  await Note.createTable();
  await Note.insert({ body: 'from CommonJS' });
  const rows: { id: number; body: string }[] = await Note.select();
  console.log('rows:', JSON.stringify(rows));
  const refused = await Private.raw('SELECT 1').then(() => 'ran', (error: unknown) => (isPiccoError(error) ? error.code : 'other'));
  console.log('private async:', refused);
  console.log('plugin rules:', Object.keys(picco.rules).join(','));
  await FileNote.createTable({ ifNotExists: true });
  await FileDB.transaction(async () => {
    await FileNote.insert([{ body: 'a' }, { body: 'b' }]);
  });
  console.log('file rows on workers:', await FileNote.count(), FileDB.workerProcesses().length > 0);
  // No server here: constructing connects to nothing, and a synchronous query is refused at once.
  const Pg = new PostgresEngine({ connectionString: 'postgresql://picco@127.0.0.1:9/none' });
  let pgSync = 'ran';
  try {
    Pg.raw('SELECT 1').runSync();
  } catch (error) {
    pgSync = isPiccoError(error) ? error.code : 'other';
  }
  console.log('postgres sync:', pgSync);
  await Pg.close();
  await DB.close();
  await Private.close();
  await FileDB.close();
}

void main();
`,
);
result = tsc(cjs);
check(result.status === 0, 'tsc --strict (no skipLibCheck) on the CommonJS app', result.output);
result = run(process.execPath, ['build/main.js'], cjs);
check(
  result.status === 0 && result.stderr === '' && result.stdout.includes('rows: [{"id":1,"body":"from CommonJS"}]') && result.stdout.includes('private async: PRIVATE_MEMORY_ASYNC') && result.stdout.includes('plugin rules: no-async-private-memory') && result.stdout.includes('file rows on workers: 2 true') && result.stdout.includes('postgres sync: SYNC_UNSUPPORTED'),
  'the compiled CommonJS app runs, without warnings',
  result.output,
);
step('tsc --strict, CommonJS: passed, and it runs');

result = run(
  process.execPath,
  [
    '-e',
    `const assert = require('node:assert');
const core = require('@picco/core');
assert.equal(typeof core.defineTable, 'function');
assert.equal(typeof core.parseSqlitePath, 'function');
const runtime = require('@picco/runtime');
assert.equal(typeof runtime.SQLiteEngine, 'function');
const postgres = require('@picco/postgres');
assert.equal(typeof postgres.PostgresEngine, 'function');
const cli = require('@picco/cli');
assert.equal(typeof cli.runCli, 'function');
const plugin = require('@picco/eslint-plugin');
assert.deepEqual(Object.keys(plugin).sort(), ['configs', 'meta', 'rules']);
assert.equal(plugin.meta.name, '@picco/eslint-plugin');
assert.equal(plugin.configs.recommended.plugins['@picco'], plugin);
console.log('require: ok');`,
  ],
  cjs,
);
check(result.status === 0 && result.stdout.trim() === 'require: ok' && result.stderr === '', 'require() of each package from CommonJS, without warnings', result.output);
step('require() of @picco/core, @picco/runtime, @picco/postgres, @picco/cli, @picco/eslint-plugin: ok');

// 7. The picco command, as installed: a migration from the app's tables, applied, checked.
const project = join(app, 'migrating');
mkdirSync(project);
writeFileSync(
  join(project, 'tables.mjs'),
  `import { defineTable, serial, text, integer } from '@picco/core';
export const Band = defineTable('band', { id: serial(), name: text().unique(), popularity: integer({ default: 0 }) });
`,
);
writeFileSync(
  join(project, 'picco.config.mjs'),
  `import { SQLiteEngine } from '@picco/runtime';
import { Band } from './tables.mjs';
export default { engine: () => new SQLiteEngine({ path: 'app.db' }), tables: [Band] };
`,
);
const picco = (...commandArgs) => run(join(app, 'node_modules', '.bin', 'picco'), commandArgs, project);
result = picco('migrations', 'new', '--auto');
check(result.status === 0 && result.stdout.includes('0001_initial.mjs (1 operation)'), 'picco migrations new --auto writes the first migration', result.output);
result = picco('migrate');
check(result.status === 0 && /Applying 0001_initial \.\.\. done in \d+ ms/.test(result.stdout) && result.stderr === '', 'picco migrate applies it', result.output);
result = picco('migrations', 'check');
check(result.status === 0 && result.stdout.includes('agree'), 'picco migrations check agrees', result.output);
writeFileSync(join(project, 'tables.mjs'), readFileSync(join(project, 'tables.mjs'), 'utf8').replace("integer({ default: 0 })", "integer({ default: 0 }), rating: integer().nullable()"));
result = picco('migrations', 'check');
check(result.status === 1 && result.stderr.includes('disagree'), 'picco migrations check exits 1 when the tables changed', result.output);
step('picco migrations new --auto, migrate, check: ok');

if (!args.keep) rmSync(app, { recursive: true, force: true });
console.log(`packed-tarball test: passed (${checks} checks, ${((performance.now() - started) / 1000).toFixed(0)} s)`);
