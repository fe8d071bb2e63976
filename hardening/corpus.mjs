#!/usr/bin/env node
// Corpus run: every Picco rule over real code that nobody here wrote, the .ts/.d.ts/.js/.cjs/.mjs
// files that the workspace's dependencies ship under node_modules/.pnpm. With the TypeScript
// parser (no type information) on every file, and with espree on the JavaScript ones.
//
//   node hardening/corpus.mjs [--limit N]
//
// A rule that throws is a crash (the run fails); a file the parser at hand cannot parse is
// skipped and counted; a file over 1 MB is skipped and counted. Reports are printed one by one:
// this code does not use Picco, so each must be examined (a raw better-sqlite3 path can be a
// true positive of no-misleading-sqlite-path).
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Linter } from 'eslint';
import { loadEspree, picco, tseslint } from './lib/lint-configs.mjs';

const REPO = path.resolve(import.meta.dirname, '..');
export const CORPUS_ROOT = path.join(REPO, 'node_modules/.pnpm');
const MAX_BYTES = 1024 * 1024;
const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];
const JAVASCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs'];
const LINTED_PATTERNS = [...TYPESCRIPT_EXTENSIONS, ...JAVASCRIPT_EXTENSIONS].map((extension) => `**/*${extension}`);

/**
 * Every source file under `root`, sorted. pnpm's store links packages to each other with
 * symlinks; only real directories are walked, so each file is seen once.
 */
export function corpusFiles(root = CORPUS_ROOT) {
  const files = [];
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && [...TYPESCRIPT_EXTENSIONS, ...JAVASCRIPT_EXTENSIONS].includes(path.extname(entry.name))) files.push(full);
    }
  };
  walk(root);
  return files.sort();
}

/** `limit` files spread evenly over the sorted list (so over many packages), or all of them. */
function spread(files, limit) {
  if (limit === undefined || limit >= files.length) return files;
  return Array.from({ length: limit }, (_, index) => files[Math.floor((index * files.length) / limit)]);
}

/** The parsers a file is linted with, each with the source types to try in order. */
function parsersFor(file) {
  const extension = path.extname(file);
  const sourceTypes = extension === '.mjs' || extension === '.mts' ? ['module'] : extension === '.cjs' || extension === '.cts' ? ['commonjs'] : ['module', 'commonjs'];
  const parsers = [{ name: 'typescript-eslint', parser: tseslint.parser, sourceTypes }];
  if (JAVASCRIPT_EXTENSIONS.includes(extension)) parsers.push({ name: 'espree', parser: loadEspree(), sourceTypes });
  return parsers;
}

/**
 * @typedef {{ file: string, parser: string, sourceType: string, error: string }} Crash
 * @typedef {{ file: string, parser: string, line: number, ruleId: string, message: string }} Report
 * @typedef {{
 *   corpusFiles: number, files: number, tooLarge: number, lints: number, linted: number, parseSkipped: number,
 *   crashes: Crash[], reports: Report[], byParser: Record<string, { linted: number, parseSkipped: number }>
 * }} Figures
 */

/**
 * Lints the corpus. `rules` (default: every Picco rule) can be replaced to check that the run
 * notices a crash at all. Returns the figures and every crash and report.
 * @param {{ limit?: number, rules?: Record<string, object>, root?: string }} [options]
 * @returns {Figures}
 */
export function runCorpus({ limit, rules = picco.rules, root = CORPUS_ROOT } = {}) {
  const linter = new Linter({ cwd: REPO });
  const plugin = { meta: { name: 'corpus-rules' }, rules };
  const ruleIds = Object.keys(rules).map((name) => `corpus/${name}`);
  const all = corpusFiles(root);
  const files = spread(all, limit);
  /** @type {Figures} */
  const figures = { corpusFiles: all.length, files: files.length, tooLarge: 0, lints: 0, linted: 0, parseSkipped: 0, crashes: [], reports: [], byParser: {} };

  files.forEach((file, index) => {
    if (lstatSync(file).size > MAX_BYTES) {
      figures.tooLarge++;
      return;
    }
    const text = readFileSync(file, 'utf8');
    // A short name inside the repository: ESLint ignores node_modules, and `.d.ts` must keep its suffix.
    const filename = path.join(REPO, '.tmp/corpus', `${index}-${path.basename(file)}`);
    let lintedByAny = false;
    for (const { name, parser, sourceTypes } of parsersFor(file)) {
      const byParser = (figures.byParser[name] ??= { linted: 0, parseSkipped: 0 });
      let parsed = false;
      for (const sourceType of sourceTypes) {
        const config = [
          {
            files: LINTED_PATTERNS,
            languageOptions: { parser, sourceType, ecmaVersion: 'latest' },
            // The corpus's own `eslint-disable` and `/* eslint rule: ... */` comments name rules that are not loaded here.
            linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
            plugins: { corpus: plugin },
            rules: Object.fromEntries(ruleIds.map((id) => [id, 'error'])),
          },
        ];
        let messages;
        try {
          messages = linter.verify(text, config, { filename });
        } catch (error) {
          // ESLint rethrows a rule's exception with the rule and the file named in the message.
          figures.crashes.push({ file: path.relative(root, file), parser: name, sourceType, error: error.stack ?? String(error) });
          parsed = true;
          break;
        }
        const fatal = messages.find((message) => message.fatal === true);
        if (fatal !== undefined) continue; // does not parse this way: try the next source type
        parsed = true;
        figures.lints++;
        for (const message of messages) {
          // With inline configuration off, ESLint notes each `eslint-disable` comment it ignored (no rule): not a report.
          if (message.ruleId === null) continue;
          figures.reports.push({ file: path.relative(root, file), parser: name, line: message.line, ruleId: message.ruleId, message: message.message });
        }
        break;
      }
      if (parsed) {
        byParser.linted++;
        lintedByAny = true;
      } else {
        byParser.parseSkipped++;
      }
    }
    if (lintedByAny) figures.linted++;
    else figures.parseSkipped++;
  });
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { limit: { type: 'string' } } });
  const started = performance.now();
  const figures = runCorpus({ limit: values.limit === undefined ? undefined : Number(values.limit) });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`corpus: ${figures.files} of ${figures.corpusFiles} files under ${path.relative(REPO, CORPUS_ROOT)} (${seconds} s)`);
  console.log(`  linted (parsed by at least one parser): ${figures.linted}`);
  console.log(`  parse-skipped (no parser could parse):  ${figures.parseSkipped}`);
  console.log(`  skipped as > 1 MB:                      ${figures.tooLarge}`);
  for (const [name, counts] of Object.entries(figures.byParser)) console.log(`  ${name}: linted ${counts.linted}, parse-skipped ${counts.parseSkipped}`);
  console.log(`  lint runs (file × parser): ${figures.lints}`);
  console.log(`  crashes: ${figures.crashes.length}`);
  console.log(`  reports: ${figures.reports.length}`);
  for (const crash of figures.crashes) console.log(`\nCRASH ${crash.file} (${crash.parser}, ${crash.sourceType})\n${crash.error}`);
  for (const report of figures.reports) console.log(`REPORT ${report.file}:${report.line} (${report.parser}) ${report.ruleId}: ${report.message}`);
  if (figures.crashes.length > 0) process.exitCode = 1;
}
