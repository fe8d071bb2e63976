/**
 * Lints a generated project through ESLint's Node API with `stats: true` and sums what ESLint
 * measured per file: parse time, each rule's time (listeners and `create`), and the file's
 * total. Also counts reports per rule per file and fatal messages (a parse error or a crash
 * would make ESLint throw or report fatally; both are returned, never swallowed).
 *
 * Run as a child process (`node measure.mjs <json options>`) to get a cold TypeScript project
 * service: typescript-eslint keeps one per process, and a second pass in the same process
 * reuses its program and the checker's caches (the warm pass).
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ESLint } from 'eslint';
import { piccoConfig, typedBenchConfig } from '../lib/lint-configs.mjs';

/**
 * `mode`: `typed` (the plugin's recommended-type-checked + no-floating-promises + await-thenable,
 * rules in `order`) or `syntactic` (the plugin's `recommended`, no program). `passes` > 1 lints
 * again with the same ESLint instance: the later passes are warm.
 */
/**
 * @param {{ root: string, mode?: 'typed' | 'syntactic', order?: string, passes?: number }} options
 * @returns {Promise<PassSummary[]>}
 */
export async function measure({ root, mode = 'typed', order = 'typescript-eslint-first', passes = 1 }) {
  const overrideConfig = mode === 'typed' ? typedBenchConfig(root, order) : piccoConfig(root, false);
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig, stats: true, cache: false });
  const results = [];
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    const lintResults = await eslint.lintFiles(['src/**/*.ts']);
    results.push(summarise(root, lintResults, performance.now() - started));
  }
  return results;
}

/**
 * @typedef {{
 *   wallMs: number, files: number, parseMs: number, fileTotalMs: number, rules: Record<string, number>,
 *   reports: Record<string, number>, reportsByFile: Record<string, Record<string, number>>, fatal: string[]
 * }} PassSummary
 */

/** @returns {PassSummary} */
function summarise(root, lintResults, wallMs) {
  /** @type {PassSummary} */
  const summary = { wallMs, files: lintResults.length, parseMs: 0, fileTotalMs: 0, rules: {}, reports: {}, reportsByFile: {}, fatal: [] };
  for (const result of lintResults) {
    const file = path.relative(root, result.filePath).split(path.sep).join('/');
    for (const message of result.messages) {
      if (message.fatal === true || message.ruleId === null) {
        summary.fatal.push(`${file}:${message.line}: ${message.message}`);
        continue;
      }
      summary.reports[message.ruleId] = (summary.reports[message.ruleId] ?? 0) + 1;
      const forFile = (summary.reportsByFile[file] ??= {});
      forFile[message.ruleId] = (forFile[message.ruleId] ?? 0) + 1;
    }
    for (const pass of result.stats?.times.passes ?? []) {
      summary.parseMs += pass.parse?.total ?? 0;
      summary.fileTotalMs += pass.total ?? 0;
      for (const [rule, time] of Object.entries(pass.rules ?? {})) summary.rules[rule] = (summary.rules[rule] ?? 0) + time.total;
    }
  }
  return summary;
}

// As a child process: options as JSON in argv[2], results as JSON on stdout.
if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await measure(JSON.parse(process.argv[2]));
  process.stdout.write(JSON.stringify(results));
}
