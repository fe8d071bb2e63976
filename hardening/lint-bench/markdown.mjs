/** The benchmark's markdown: tables from measured passes, and the "## Lint" section of BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PICCO_RULES, TS_RULES } from '../lib/lint-configs.mjs';

const ms = (value) => `${Math.round(value)} ms`;
const perFile = (value, files) => (value / files).toFixed(2);
const percent = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;

export function piccoTotal(pass) {
  return PICCO_RULES.reduce((sum, rule) => sum + (pass.rules[rule] ?? 0), 0);
}

/** `passes`: `[{ label, pass }]` of typed runs; `syntactic`: a pass with the `recommended` config. */
export function lintTables(passes, syntactic) {
  const lines = [
    '| typed pass | wall | ms/file | parse + program | Picco rules | Picco share | no-floating-promises | await-thenable | Picco ≤ no-floating-promises |',
    '|---|--:|--:|--:|--:|--:|--:|--:|:-:|',
  ];
  for (const { label, pass } of passes) {
    const picco = piccoTotal(pass);
    const nfp = pass.rules[TS_RULES[0]] ?? 0;
    lines.push(
      `| ${label} | ${ms(pass.wallMs)} | ${perFile(pass.wallMs, pass.files)} | ${ms(pass.parseMs)} | ${ms(picco)} | ${percent(picco, pass.wallMs)} | ${ms(nfp)} | ${ms(pass.rules[TS_RULES[1]] ?? 0)} | ${picco <= nfp ? 'yes' : 'no'} |`,
    );
  }
  lines.push('', `| rule | ${passes.map(({ label }) => label).join(' | ')} |`, `|---|${passes.map(() => '--:').join('|')}|`);
  for (const rule of [...PICCO_RULES, ...TS_RULES]) {
    const cells = passes.map(({ pass }) => `${ms(pass.rules[rule] ?? 0)} (${percent(pass.rules[rule] ?? 0, pass.wallMs)}, ${perFile(pass.rules[rule] ?? 0, pass.files)} ms/file)`);
    lines.push(`| \`${rule}\` | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    '| syntactic pass (`recommended`, no type information) | wall | ms/file | parse | Picco rules | Picco ms/file |',
    '|---|--:|--:|--:|--:|--:|',
    `| ${syntactic.label} | ${ms(syntactic.pass.wallMs)} | ${perFile(syntactic.pass.wallMs, syntactic.pass.files)} | ${ms(syntactic.pass.parseMs)} | ${ms(piccoTotal(syntactic.pass))} | ${perFile(piccoTotal(syntactic.pass), syntactic.pass.files)} |`,
  );
  for (const rule of PICCO_RULES) lines.push(`| \`${rule}\` | | | | ${ms(syntactic.pass.rules[rule] ?? 0)} | ${perFile(syntactic.pass.rules[rule] ?? 0, syntactic.pass.files)} |`);
  return lines.join('\n');
}

/**
 * Replaces (or appends) the `## Lint` section of a markdown file, leaving every other section
 * as it is: another engineer writes the rest of BENCHMARKS.md, so the file is re-read right
 * before writing and only the text from `## Lint` to the next `## ` heading changes.
 */
export function writeLintSection(file, section) {
  const body = section.endsWith('\n') ? section : `${section}\n`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const lines = current.split('\n');
  const start = lines.findIndex((line) => /^## Lint\s*$/.test(line));
  let next;
  if (start === -1) {
    next = `${current.replace(/\n*$/, '\n')}\n${body}`;
  } else {
    let end = lines.findIndex((line, index) => index > start && /^## /.test(line));
    if (end === -1) end = lines.length;
    const after = lines.slice(end).join('\n');
    next = `${lines.slice(0, start).join('\n')}${start > 0 ? '\n' : ''}${body}${after === '' ? '' : `\n${after}`}`;
  }
  writeFileSync(file, next);
}
