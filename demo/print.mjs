// Small helpers so the demo reads like a terminal session, in a terminal or piped to a file.
import { relative } from 'node:path';

/**
 * Whether to write ANSI styles: `FORCE_COLOR` decides when set (`0` or `false` turn colours
 * off, anything else on); otherwise only a terminal gets them, and Node's `hasColors()` honours
 * `NO_COLOR`, `NODE_DISABLE_COLORS` and `TERM=dumb` there.
 */
export function colorEnabled(stream = process.stdout, env = process.env) {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors(env);
}

const color = colorEnabled();
const style = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

/** The width long lines are wrapped to: the terminal's, else 100 columns. */
export function outputWidth(stream = process.stdout) {
  const columns = stream.isTTY === true ? stream.columns : undefined;
  return Math.max(60, Math.min(columns ?? 100, 120));
}

/**
 * Wraps `text` at spaces so that no line is longer than `width` (a word longer than that stays
 * whole). The first line keeps `text`'s own leading spaces; the next ones start with `indent`.
 */
export function wrap(text, width, indent = '') {
  const [, lead, body] = /^( *)(.*)$/s.exec(text);
  const lines = [];
  let prefix = lead;
  let line = '';
  for (const word of body.split(' ')) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      prefix = indent;
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(prefix + line);
  return lines.join('\n');
}

export function heading(text) {
  console.log(`\n${style('1', `== ${text}`)}`);
}

/**
 * A command and what it printed, indented. Long lines are wrapped (a refusal's message is
 * several hundred characters), unless `wrapLines` is false (a diff must stay as it is).
 */
export function show(command, output, { wrapLines = true } = {}) {
  console.log(style('2', command));
  const width = outputWidth();
  const indented = output.split('\n').map((line) => (wrapLines && line.length + 2 > width ? wrap(`  ${line}`, width, '    ') : `  ${line}`));
  console.log(indented.join('\n'));
}

/**
 * ESLint's results, one problem a block: where, severity and rule on one line, the message
 * wrapped beneath it (ESLint's "stylish" pads every message to the longest, and these are long).
 */
export function formatLintResults(results, cwd) {
  const width = outputWidth() - 2;
  const blocks = [];
  let errors = 0;
  let warnings = 0;
  let fixable = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    const lines = [style('4', relative(cwd, result.filePath))];
    for (const message of result.messages) {
      const severity = message.severity === 2 ? style('31', 'error') : style('33', 'warning');
      lines.push(`  ${message.line}:${message.column}  ${severity}  ${style('2', message.ruleId ?? '')}`);
      lines.push(wrap(`    ${message.message}`, width, '    '));
    }
    blocks.push(lines.join('\n'));
    errors += result.errorCount;
    warnings += result.warningCount;
    fixable += result.fixableErrorCount + result.fixableWarningCount;
  }
  const total = errors + warnings;
  const summary = `${total} ${total === 1 ? 'problem' : 'problems'} (${errors} errors, ${warnings} warnings), ${fixable} fixable with --fix`;
  return [...blocks, summary].join('\n\n');
}
