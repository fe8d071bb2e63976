#!/usr/bin/env node
// Corpus run: every Picco rule over real code that nobody here wrote, with the real ESLint
// (its `Linter`, no type information). Two sources:
//   - dependencies: the files the workspace's dependencies ship under node_modules/.pnpm;
//   - projects: the public projects pinned in hardening/corpus-projects.json (apps and libraries
//     on knex, TypeORM, Sequelize, libsql, Kysely, Drizzle, MikroORM, better-sqlite3, sqlite3),
//     extracted outside the repository by hardening/corpus-projects.mjs.
// Every .ts/.mts/.cts/.tsx/.js/.mjs/.cjs/.jsx file is linted with the TypeScript parser, and the
// JavaScript ones with espree as well.
//
//   node hardening/corpus.mjs [--sources projects,dependencies] [--jobs 2] [--limit N] [--match REGEX]
//                             [--projects REGEX] [--mirrors DIR] [--into DIR] [--rules-module FILE] [--json FILE]
//
// --limit N lints N files spread over the corpus; --match lints only the files whose text matches
// (case-insensitive), to re-check quickly what a rule change can affect; --projects only the
// projects whose owner/name matches; --rules-module lints with
// the default export of FILE (a rules object) instead of the built plugin's rules.
//
// A rule that throws, or runs a file for longer than `--timeout-ms`, is a crash (the run fails).
// A file no parser at hand can parse is skipped and counted, as is a file over 1 MB. Every report
// is printed with its verdict from hardening/corpus-verdicts.json (a person looked at it: a real
// finding or a false positive); a report without one is "unreviewed" and fails the run too.
import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Linter } from 'eslint';
import { extractProjects } from './corpus-projects.mjs';
import { loadEspree, picco, tseslint } from './lib/lint-configs.mjs';

const REPO = path.resolve(import.meta.dirname, '..');
export const CORPUS_ROOT = path.join(REPO, 'node_modules/.pnpm');
export const VERDICTS = path.join(import.meta.dirname, 'corpus-verdicts.json');
const MAX_BYTES = 1024 * 1024;
const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];
const JAVASCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx'];
const LINTED_PATTERNS = [...TYPESCRIPT_EXTENSIONS, ...JAVASCRIPT_EXTENSIONS].map((extension) => `**/*${extension}`);

/**
 * Where files come from. `virtualNames`: the files sit under node_modules, which ESLint ignores,
 * so each is linted under a made-up name inside the repository; project files keep their real
 * path, with the project's folder as ESLint's `cwd`.
 * @typedef {{ name: string, root: string, virtualNames: boolean }} Source
 * @typedef {{ source: string, file: string, shown: string, filename: string, cwd: string }} Task
 */

/** The files the workspace's dependencies ship. */
export function dependencySource(root = CORPUS_ROOT) {
  return { name: 'dependencies', root, virtualNames: true };
}

/** One source per project of the manifest, extracted first where needed. */
export function projectSources(options = {}) {
  return extractProjects(options).map(({ project, folder }) => ({ name: project.repo, root: folder, virtualNames: false }));
}

/**
 * Every source file under `root`, sorted. pnpm's store links packages to each other with
 * symlinks; only real directories are walked, so each file is seen once. In a project,
 * `node_modules` folders (vendored dependencies) are not its code and are left out.
 */
export function corpusFiles(root = CORPUS_ROOT, { skipNodeModules = false } = {}) {
  const files = [];
  const extensions = [...TYPESCRIPT_EXTENSIONS, ...JAVASCRIPT_EXTENSIONS];
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!(skipNodeModules && entry.name === 'node_modules')) walk(full);
      } else if (entry.isFile() && extensions.includes(path.extname(entry.name))) {
        files.push(full);
      }
    }
  };
  walk(root);
  return files.sort();
}

/**
 * The lint tasks of the sources, in order.
 * @param {Source[]} sources
 * @returns {Task[]}
 */
export function corpusTasks(sources) {
  return sources.flatMap((source) =>
    corpusFiles(source.root, { skipNodeModules: !source.virtualNames }).map((file, index) => {
      const shown = source.virtualNames ? path.relative(source.root, file) : `${source.name}/${path.relative(source.root, file)}`;
      // A short name inside the repository: ESLint ignores node_modules, and `.d.ts` must keep its suffix.
      const filename = source.virtualNames ? path.join(REPO, '.tmp/corpus', `${index}-${path.basename(file)}`) : file;
      return { source: source.name, file, shown, filename, cwd: source.virtualNames ? REPO : source.root };
    }),
  );
}

/**
 * The tasks to run: those whose file's text matches `match` (a quick re-check of the files a rule
 * change can affect), then `limit` of them spread evenly.
 */
function selectTasks(all, { limit, match }) {
  const matching = match === undefined ? all : all.filter((task) => match.test(readFileSync(task.file, 'utf8')));
  return spread(matching, limit);
}

/** `limit` items spread evenly over the list (so over many packages and projects), or all of them. */
function spread(items, limit) {
  if (limit === undefined || limit >= items.length) return items;
  return Array.from({ length: limit }, (_, index) => items[Math.floor((index * items.length) / limit)]);
}

/**
 * The parsers a file is linted with, each with the language options to try in order (the first
 * that parses wins). typescript-eslint takes JSX from the extension; espree is told, and a `.js`
 * file is tried without JSX first, then with it (React code often lives in `.js`).
 */
function parsersFor(file) {
  const extension = path.extname(file);
  const sourceTypes = ['.mjs', '.mts'].includes(extension) ? ['module'] : ['.cjs', '.cts'].includes(extension) ? ['commonjs'] : ['module', 'commonjs'];
  const parsers = [{ name: 'typescript-eslint', parser: tseslint.parser, attempts: sourceTypes.map((sourceType) => ({ sourceType })) }];
  if (JAVASCRIPT_EXTENSIONS.includes(extension)) {
    const jsxModes = extension === '.jsx' ? [true] : extension === '.js' ? [false, true] : [false];
    const attempts = jsxModes.flatMap((jsx) => sourceTypes.map((sourceType) => ({ sourceType, parserOptions: { ecmaFeatures: { jsx } } })));
    parsers.push({ name: 'espree', parser: loadEspree(), attempts });
  }
  return parsers;
}

/**
 * @typedef {{ file: string, parser: string, sourceType: string, error: string }} Crash
 * @typedef {{ file: string, parser: string, line: number, ruleId: string, message: string }} Report
 * @typedef {{ lints: number, linted: boolean, tooLarge: boolean, ms: number, crashes: Crash[], reports: Report[],
 *   parsers: Record<string, boolean> }} FileResult
 */

const linters = new Map();

/** Lints one file with every parser that applies; never throws for what a rule does. */
export function lintTask(task, rules = picco.rules) {
  /** @type {FileResult} */
  const result = { lints: 0, linted: false, tooLarge: false, ms: 0, crashes: [], reports: [], parsers: {} };
  if (lstatSync(task.file).size > MAX_BYTES) {
    result.tooLarge = true;
    return result;
  }
  const started = performance.now();
  const text = readFileSync(task.file, 'utf8');
  let linter = linters.get(task.cwd);
  if (linter === undefined) linters.set(task.cwd, (linter = new Linter({ cwd: task.cwd })));
  const plugin = { meta: { name: 'corpus-rules' }, rules };
  const ruleSettings = Object.fromEntries(Object.keys(rules).map((name) => [`corpus/${name}`, 'error']));

  for (const { name, parser, attempts } of parsersFor(task.file)) {
    let parsed = false;
    for (const { sourceType, parserOptions } of attempts) {
      const config = [
        {
          files: LINTED_PATTERNS,
          languageOptions: { parser, sourceType, ecmaVersion: 'latest', ...(parserOptions === undefined ? {} : { parserOptions }) },
          // The corpus's own `eslint-disable` and `/* eslint rule: ... */` comments name rules that are not loaded here.
          linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
          plugins: { corpus: plugin },
          rules: ruleSettings,
        },
      ];
      let messages;
      try {
        messages = linter.verify(text, config, { filename: task.filename });
      } catch (error) {
        // ESLint rethrows a rule's exception with the rule and the file named in the message.
        result.crashes.push({ file: task.shown, parser: name, sourceType, error: error.stack ?? String(error) });
        parsed = true;
        break;
      }
      if (messages.some((message) => message.fatal === true)) continue; // does not parse this way: try the next
      if (messages.some((message) => message.ruleId === null && message.message.startsWith('No matching configuration'))) {
        throw new Error(`the corpus config does not apply to ${task.filename} (cwd ${task.cwd}): a harness bug`);
      }
      parsed = true;
      result.lints++;
      for (const message of messages) {
        // With inline configuration off, ESLint notes each `eslint-disable` comment it ignored (no rule): not a report.
        if (message.ruleId === null) continue;
        result.reports.push({ file: task.shown, parser: name, line: message.line, ruleId: message.ruleId.replace(/^corpus\//, ''), message: message.message });
      }
      break;
    }
    result.parsers[name] = parsed;
    result.linted ||= parsed;
  }
  result.ms = performance.now() - started;
  return result;
}

/**
 * @typedef {{
 *   corpusFiles: number, files: number, tooLarge: number, lints: number, linted: number, parseSkipped: number,
 *   crashes: Crash[], reports: Report[], byParser: Record<string, { linted: number, parseSkipped: number }>,
 *   bySource: Record<string, { files: number, linted: number, reports: number }>, slowest: { file: string, ms: number }[], interrupted?: boolean
 * }} Figures
 */

/** @returns {Figures} */
function emptyFigures(all, tasks) {
  return { corpusFiles: all.length, files: tasks.length, tooLarge: 0, lints: 0, linted: 0, parseSkipped: 0, crashes: [], reports: [], byParser: {}, bySource: {}, slowest: [] };
}

/** Adds one file's result to the figures. */
function tally(figures, task, result) {
  const bySource = (figures.bySource[task.source] ??= { files: 0, linted: 0, reports: 0 });
  bySource.files++;
  figures.crashes.push(...result.crashes);
  if (result.tooLarge) {
    figures.tooLarge++;
    return;
  }
  figures.lints += result.lints;
  for (const [name, parsed] of Object.entries(result.parsers)) {
    const byParser = (figures.byParser[name] ??= { linted: 0, parseSkipped: 0 });
    if (parsed) byParser.linted++;
    else byParser.parseSkipped++;
  }
  if (result.linted) {
    figures.linted++;
    bySource.linted++;
  } else {
    figures.parseSkipped++;
  }
  figures.reports.push(...result.reports);
  bySource.reports += result.reports.length;
  figures.slowest.push({ file: task.shown, ms: result.ms });
  if (figures.slowest.length > 40) figures.slowest = figures.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
}

function finish(figures) {
  figures.slowest = figures.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
  return figures;
}

/**
 * Lints the corpus in this thread. `rules` (default: every Picco rule) can be replaced to check
 * that the run notices a crash at all. Returns the figures and every crash and report.
 * @param {{ limit?: number, match?: RegExp, rules?: Record<string, object>, sources?: Source[],
 *   onFile?: (task: Task, result: FileResult) => void }} [options]
 * @returns {Figures}
 */
export function runCorpus({ limit, match, rules = picco.rules, sources = [dependencySource()], onFile = () => {} } = {}) {
  const all = corpusTasks(sources);
  const tasks = selectTasks(all, { limit, match });
  const figures = emptyFigures(all, tasks);
  for (const task of tasks) {
    const result = lintTask(task, rules);
    tally(figures, task, result);
    onFile(task, result);
  }
  return finish(figures);
}

/**
 * Lints the corpus with `jobs` worker threads, one file at a time each. A worker that spends
 * longer than `timeoutMs` on one file, or dies, is a crash on that file; it is replaced and the
 * run goes on. `rulesModule` (default: Picco's rules) is the URL of a module whose default
 * export is the rules to run, since functions cannot be sent to a worker.
 * After `signal` aborts, no file is started; the figures are those of the files finished
 * (`figures.files` counts them, `figures.interrupted` is set).
 * @param {{ limit?: number, match?: RegExp, sources?: Source[], jobs?: number, timeoutMs?: number, rulesModule?: string,
 *   signal?: AbortSignal, onFile?: (task: Task, result: FileResult) => void }} [options]
 * @returns {Promise<Figures>}
 */
export async function runCorpusInWorkers({ limit, match, sources = [dependencySource()], jobs = 2, timeoutMs = 120_000, rulesModule, signal, onFile = () => {} } = {}) {
  const all = corpusTasks(sources);
  const tasks = selectTasks(all, { limit, match });
  const figures = emptyFigures(all, tasks);
  let next = 0;

  await new Promise((resolve, reject) => {
    const running = new Set();
    const start = () => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { corpusWorker: true, rulesModule } });
      const state = { worker, index: -1, since: 0, finished: false };
      running.add(state);
      const give = () => {
        if (next >= tasks.length || signal?.aborted === true) {
          state.finished = true;
          running.delete(state);
          void worker.terminate();
          if (running.size === 0) resolve();
          return;
        }
        state.index = next++;
        state.since = performance.now();
        worker.postMessage(tasks[state.index]);
      };
      const fail = (error) => {
        if (state.finished) return;
        state.finished = true;
        running.delete(state);
        const task = tasks[state.index];
        if (task !== undefined) {
          const result = { lints: 0, linted: false, tooLarge: false, ms: 0, crashes: [{ file: task.shown, parser: '(worker)', sourceType: '-', error }], reports: [], parsers: {} };
          tally(figures, task, result);
          onFile(task, result);
        }
        void worker.terminate();
        start();
      };
      worker.on('message', (message) => {
        if (message.error !== undefined) {
          reject(new Error(message.error)); // the harness itself failed
          return;
        }
        tally(figures, tasks[state.index], message.result);
        onFile(tasks[state.index], message.result);
        give();
      });
      worker.on('error', (error) => fail(`worker died: ${error.stack ?? error}`));
      worker.on('exit', (code) => {
        if (!state.finished) fail(`worker exited with code ${code}`);
      });
      state.fail = fail;
      give();
    };
    for (let job = 0; job < Math.min(jobs, Math.max(tasks.length, 1)); job++) start();
    const watchdog = setInterval(() => {
      for (const state of running) {
        if (performance.now() - state.since > timeoutMs) state.fail(`no answer after ${timeoutMs} ms on this file (a rule that never ends?)`);
      }
      if (running.size === 0) clearInterval(watchdog);
    }, 1000);
    watchdog.unref();
    // Interrupted: the files in flight are dropped.
    signal?.addEventListener('abort', () => {
      for (const state of running) {
        state.finished = true;
        void state.worker.terminate();
      }
      running.clear();
      resolve();
    });
  });
  if (signal?.aborted === true) {
    figures.interrupted = true;
    figures.files = Object.values(figures.bySource).reduce((sum, counts) => sum + counts.files, 0);
  }
  return finish(figures);
}

/**
 * The verdicts on reports, keyed `file:line rule`. Each says whether a person judged the report a
 * real finding (`true`) or a false positive (`false`), and why.
 * @returns {Map<string, { verdict: 'true' | 'false', why: string }>}
 */
export function loadVerdicts(file = VERDICTS) {
  const { reports } = JSON.parse(readFileSync(file, 'utf8'));
  return new Map(reports.map((entry) => [`${entry.at} ${entry.rule}`, entry]));
}

/** One line per distinct report (file, line, rule), with the parsers that raised it. */
function distinctReports(reports) {
  const byKey = new Map();
  for (const report of reports) {
    const key = `${report.file}:${report.line} ${report.ruleId}`;
    const entry = byKey.get(key) ?? { key, ...report, parsers: [] };
    entry.parsers.push(report.parser);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

async function main() {
  const { values } = parseArgs({
    options: {
      sources: { type: 'string', default: 'projects,dependencies' },
      jobs: { type: 'string', default: String(Math.min(2, availableParallelism())) },
      limit: { type: 'string' },
      match: { type: 'string' },
      projects: { type: 'string' },
      mirrors: { type: 'string' },
      into: { type: 'string' },
      'timeout-ms': { type: 'string', default: '120000' },
      'rules-module': { type: 'string' },
      json: { type: 'string' },
    },
  });
  const wanted = values.sources.split(',');
  const sources = [];
  if (wanted.includes('projects')) {
    const projects = projectSources({ mirrors: values.mirrors, into: values.into, log: (line) => console.error(line) });
    const only = values.projects === undefined ? undefined : new RegExp(values.projects);
    sources.push(...projects.filter((source) => only === undefined || only.test(source.name)));
  }
  if (wanted.includes('dependencies')) sources.push(dependencySource());
  const jobs = Number(values.jobs);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  const rulesModule = values['rules-module'] === undefined ? undefined : pathToFileURL(path.resolve(values['rules-module'])).href;
  const rules = rulesModule === undefined ? picco.rules : (await import(rulesModule)).default;

  // Crashes and reports go to stderr as they are found (with progress), the summary to stdout.
  const started = performance.now();
  let done = 0;
  let lastShown = performance.now();
  const onFile = (task, result) => {
    done++;
    for (const crash of result.crashes) console.error(`CRASH ${crash.file} (${crash.parser}, ${crash.sourceType})\n${crash.error}`);
    for (const report of result.reports) console.error(`report ${report.file}:${report.line} ${report.ruleId} (${report.parser})`);
    if (performance.now() - lastShown < 30_000) return;
    lastShown = performance.now();
    console.error(`  ${done} files (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  };
  const timeoutMs = Number(values['timeout-ms']);
  const match = values.match === undefined ? undefined : new RegExp(values.match, 'i');
  // Ctrl-C or SIGTERM: stop, and print the figures of the files done so far (with workers; one
  // thread linting synchronously cannot be interrupted, so it keeps the default: exit at once).
  const interrupt = new AbortController();
  if (jobs > 1) for (const signalName of ['SIGINT', 'SIGTERM']) process.once(signalName, () => interrupt.abort());
  const figures =
    jobs <= 1
      ? runCorpus({ limit, match, sources, rules, onFile })
      : await runCorpusInWorkers({ limit, match, sources, jobs, timeoutMs, rulesModule, signal: interrupt.signal, onFile });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  const selection = [match === undefined ? '' : `whose text matches ${match}`, limit === undefined ? '' : `at most ${limit}`].filter(Boolean).join(', ');
  const interrupted = figures.interrupted === true ? ', INTERRUPTED: figures for the files done' : '';
  console.log(`corpus: ${figures.files} of ${figures.corpusFiles} files${selection === '' ? '' : ` (${selection})`} from ${sources.length} sources, ${jobs} job(s), ${seconds} s${interrupted}`);
  console.log(`  rules (no type information): ${Object.keys(rules).join(', ')}`);
  console.log(`  linted (parsed by at least one parser): ${figures.linted}`);
  console.log(`  parse-skipped (no parser could parse):  ${figures.parseSkipped}`);
  console.log(`  skipped as > 1 MB:                      ${figures.tooLarge}`);
  for (const [name, counts] of Object.entries(figures.byParser)) console.log(`  ${name}: linted ${counts.linted}, parse-skipped ${counts.parseSkipped}`);
  console.log(`  lint runs (file × parser): ${figures.lints}`);
  console.log(`  slowest files: ${figures.slowest.map(({ file, ms }) => `${file} ${ms.toFixed(0)} ms`).join('; ')}`);
  console.log('  by source (files, linted, reports):');
  for (const [name, counts] of Object.entries(figures.bySource)) console.log(`    ${name}: ${counts.files}, ${counts.linted}, ${counts.reports}`);
  console.log(`  crashes: ${figures.crashes.length}`);
  for (const crash of figures.crashes) console.log(`\nCRASH ${crash.file} (${crash.parser}, ${crash.sourceType})\n${crash.error}`);

  const verdicts = loadVerdicts();
  const distinct = distinctReports(figures.reports);
  const counts = { true: 0, false: 0, unreviewed: 0 };
  const byRule = {};
  console.log(`  reports: ${figures.reports.length} (${distinct.length} distinct file:line rule)`);
  for (const report of distinct) {
    const verdict = verdicts.get(report.key);
    const label = verdict === undefined ? 'unreviewed' : verdict.verdict;
    counts[label]++;
    (byRule[report.ruleId] ??= { true: 0, false: 0, unreviewed: 0 })[label]++;
    console.log(`REPORT [${label === 'true' ? 'real' : label === 'false' ? 'FALSE POSITIVE' : 'UNREVIEWED'}] ${report.key} (${report.parsers.join(', ')}): ${report.message}`);
    if (verdict !== undefined) console.log(`    verdict: ${verdict.why}`);
  }
  for (const [rule, ruleCounts] of Object.entries(byRule)) {
    console.log(`  ${rule}: ${ruleCounts.true} real, ${ruleCounts.false} false, ${ruleCounts.unreviewed} unreviewed`);
  }
  console.log(`  verdicts: ${counts.true} real findings, ${counts.false} false positives, ${counts.unreviewed} unreviewed`);
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify({ seconds: Number(seconds), jobs, ...figures }, null, 2)}\n`);
  if (figures.crashes.length > 0 || figures.interrupted === true || (selection === '' && counts.unreviewed > 0)) process.exitCode = 1;
}

if (isMainThread && import.meta.url === `file://${process.argv[1]}`) {
  await main();
}

// In a worker thread (runCorpusInWorkers): lint each task sent, answer with its result.
if (!isMainThread && workerData?.corpusWorker === true) {
  const rules = workerData.rulesModule === undefined ? picco.rules : (await import(workerData.rulesModule)).default;
  parentPort.on('message', (task) => {
    try {
      parentPort.postMessage({ result: lintTask(task, rules) });
    } catch (error) {
      parentPort.postMessage({ error: error.stack ?? String(error) });
    }
  });
}
