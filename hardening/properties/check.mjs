/**
 * The fix properties, checked on one rendered program:
 *   1. linting does not crash, and the original parses (and, with types, type-checks);
 *   2. no-async-private-memory reports exactly the async executions the generator wrote;
 *   3. after `fix`, the code parses (and, with types, still type-checks);
 *   4. a second pass has no no-async-private-memory report that carries a fix;
 *   5. fixing the fixed code changes nothing (fixing twice equals fixing once);
 *   6. every suggestion of the first pass yields code that parses.
 * Without types through ESLint's `Linter` (in memory); with types through `ESLint.lintText`
 * on a small project on disk, whose files the project service is handed on every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint, Linter } from 'eslint';
import ts from 'typescript';
import { piccoConfig } from '../lib/lint-configs.mjs';

const RULE = '@picco/no-async-private-memory';
const TYPE_ERRORS = 'hardening/type-errors';

/** Reports TypeScript's diagnostics for the linted file, so a lint pass doubles as a type check. */
const typeErrorsPlugin = {
  meta: { name: 'hardening' },
  rules: {
    'type-errors': {
      meta: { type: 'problem', schema: [], messages: { typeError: '{{text}}' } },
      create(context) {
        return {
          'Program:exit'(node) {
            const program = context.sourceCode.parserServices?.program;
            if (program == null) return;
            const sourceFile = program.getSourceFile(context.filename);
            for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
              const start = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
              const loc = { line: start.line + 1, column: start.character };
              context.report({ node, loc, messageId: 'typeError', data: { text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') } });
            }
          },
        };
      },
    },
  },
};

/** The configs: the plugin's recommended (or with `fix: 'run-sync'`), plus the type check when typed. */
function configFor(root, typed, strategy) {
  const config = piccoConfig(root, typed);
  if (strategy === 'run-sync') config.push({ rules: { [RULE]: ['error', { fix: 'run-sync' }] } });
  if (typed) config.push({ files: ['**/*.ts'], plugins: { hardening: typeErrorsPlugin }, rules: { [TYPE_ERRORS]: 'error' } });
  return config;
}

/**
 * TypeScript's syntax errors in a text: what "the code parses" means. `parseDiagnostics` is what
 * typescript-estree itself reads to refuse a file (it is not in TypeScript's public typings).
 */
function syntaxErrors(text) {
  const sourceFile = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return sourceFile.parseDiagnostics.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

function applyFix(text, fix) {
  return `${text.slice(0, fix.range[0])}${fix.text}${text.slice(fix.range[1])}`;
}

/** The checks shared by both modes, on the messages of an unfixed pass and of two fix passes. */
function judge({ source, expected, first, fixedOnce, fixedTwice, typed, stats }) {
  const problems = [];
  const fatal = (messages) => messages.filter((message) => message.fatal === true).map((message) => message.message);
  const typeErrors = (messages) => messages.filter((message) => message.ruleId === TYPE_ERRORS).map((message) => `${message.line}: ${message.message}`);

  if (fatal(first).length > 0) problems.push(`the original does not parse: ${fatal(first).join('; ')}`);
  if (typed && typeErrors(first).length > 0) problems.push(`the original does not type-check (generator bug): ${typeErrors(first).join('; ')}`);
  const reports = first.filter((message) => message.ruleId === RULE);
  if (reports.length !== expected) problems.push(`${RULE} reported ${reports.length} async executions, the program has ${expected}: ${reports.map((m) => `${m.line}:${m.column}`).join(', ')}`);

  const once = fixedOnce.output;
  const errors = [...fatal(fixedOnce.messages), ...syntaxErrors(once)];
  if (errors.length > 0) problems.push(`the fixed code does not parse: ${errors.join('; ')}`);
  if (typed && typeErrors(fixedOnce.messages).length > 0) problems.push(`the fixed code does not type-check: ${typeErrors(fixedOnce.messages).join('; ')}\n--- fixed file.ts\n${once}`);
  const stillFixable = fixedOnce.messages.filter((message) => message.ruleId === RULE && message.fix !== undefined);
  if (stillFixable.length > 0) problems.push(`after fixing, ${stillFixable.length} ${RULE} reports still carry a fix (lines ${stillFixable.map((m) => m.line).join(', ')})`);
  if (fixedTwice.output !== once) problems.push('fixing the fixed code changed it again');

  for (const report of reports) {
    for (const suggestion of report.suggestions ?? []) {
      const suggested = applyFix(source, suggestion.fix);
      if (syntaxErrors(suggested).length > 0) problems.push(`suggestion "${suggestion.desc}" at line ${report.line} gives code that does not parse: ${syntaxErrors(suggested).join('; ')}`);
    }
  }

  stats.programs++;
  stats.reports += reports.length;
  if (once !== source) stats.fixed++;
  for (const message of fixedOnce.messages.filter((m) => m.ruleId === RULE)) {
    // What kind of site stayed unfixed (read from the reported code), and why (certain or possible).
    const site = siteKind(sourceText(once, message));
    const key = `${site}, ${message.messageId === 'mayBePrivate' ? 'may be private' : 'private'}`;
    stats.remainingWithoutFix[key] = (stats.remainingWithoutFix[key] ?? 0) + 1;
  }
  return problems;
}

const emptyStats = () => ({ programs: 0, reports: 0, fixed: 0, remainingWithoutFix: {} });

/** Checks programs without type information, in memory. */
export class UntypedChecker {
  constructor(root) {
    this.linter = new Linter({ cwd: root });
    this.filename = path.join(root, 'file.ts');
    this.root = root;
    this.stats = emptyStats();
  }

  check(rendered, strategy = 'default') {
    const config = configFor(this.root, false, strategy);
    const source = rendered.files['file.ts'];
    const options = { filename: this.filename };
    const first = this.linter.verify(source, config, options);
    const fixedOnce = this.linter.verifyAndFix(source, config, options);
    const fixedTwice = this.linter.verifyAndFix(fixedOnce.output, config, options);
    return judge({ source, expected: rendered.expected.untyped, first, fixedOnce, fixedTwice, typed: false, stats: this.stats });
  }
}

/**
 * Checks programs with type information on a project at `root` (inside the repository, so
 * `@picco/*` resolve). The same two file names are reused: each run hands the project service
 * both files' new text (engine.ts first), so nothing stale from an earlier run is seen.
 */
export class TypedChecker {
  constructor(root) {
    this.root = root;
    this.stats = emptyStats();
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'package.json'), `${JSON.stringify({ name: 'picco-fix-properties', private: true, type: 'module' })}\n`);
    const compilerOptions = { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, noEmit: true, skipLibCheck: true };
    writeFileSync(path.join(root, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['*.ts'] })}\n`);
    for (const file of ['engine.ts', 'file.ts']) writeFileSync(path.join(root, file), 'export {};\n');
    this.linters = new Map();
  }

  eslint(strategy, fix) {
    const key = `${strategy}/${fix}`;
    if (!this.linters.has(key)) this.linters.set(key, new ESLint({ cwd: this.root, overrideConfigFile: true, overrideConfig: configFor(this.root, true, strategy), fix }));
    return this.linters.get(key);
  }

  async check(rendered, strategy = 'default') {
    const lint = async (text, file, fix) => (await this.eslint(strategy, fix).lintText(text, { filePath: path.join(this.root, file) }))[0];
    // Written too, so that a fresh project service (another process) would find the same text.
    for (const [file, text] of Object.entries(rendered.files)) writeFileSync(path.join(this.root, file), text);
    const engine = await lint(rendered.files['engine.ts'], 'engine.ts', false);
    const source = rendered.files['file.ts'];
    const first = [...engine.messages.filter((message) => message.ruleId === TYPE_ERRORS || message.fatal), ...(await lint(source, 'file.ts', false)).messages];
    const once = await lint(source, 'file.ts', true);
    const fixedOnce = { output: once.output ?? source, messages: once.messages };
    const twice = await lint(fixedOnce.output, 'file.ts', true);
    const fixedTwice = { output: twice.output ?? fixedOnce.output, messages: twice.messages };
    return judge({ source, expected: rendered.expected.typed, first, fixedOnce, fixedTwice, typed: true, stats: this.stats });
  }
}

/** The text a message reports, by its 1-based lines and columns. */
function sourceText(text, message) {
  const lines = text.split('\n');
  const offset = (line, column) => lines.slice(0, line - 1).reduce((sum, part) => sum + part.length + 1, 0) + column - 1;
  return text.slice(offset(message.line, message.column), offset(message.endLine ?? message.line, message.endColumn ?? message.column));
}

function siteKind(reported) {
  if (/^await\b/.test(reported)) return '`await`';
  if (/\.then\(/.test(reported)) return '`.then()`';
  if (/\.run\(\s*\)$/.test(reported)) return '`.run()`';
  return 'returned, yielded or in a combinator';
}
