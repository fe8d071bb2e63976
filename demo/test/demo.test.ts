import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorEnabled, wrap, type OutputStream } from '../print.mjs';

const ROOT = join(import.meta.dirname, '../..');
const terminal: OutputStream = { isTTY: true, columns: 80, hasColors: (env?: object) => !('NO_COLOR' in (env ?? {})) };
const pipe: OutputStream = { isTTY: false };

describe('colorEnabled', () => {
  it.each([
    ['a terminal', terminal, {}, true],
    ['a pipe', pipe, {}, false],
    ['a terminal with NO_COLOR', terminal, { NO_COLOR: '1' }, false],
    ['a pipe with FORCE_COLOR=1', pipe, { FORCE_COLOR: '1' }, true],
    ['a pipe with FORCE_COLOR empty', pipe, { FORCE_COLOR: '' }, true],
    ['a terminal with FORCE_COLOR=0', terminal, { FORCE_COLOR: '0' }, false],
    ['a terminal with FORCE_COLOR=false', terminal, { FORCE_COLOR: 'false' }, false],
    ['FORCE_COLOR=1 over NO_COLOR', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ] as const)('%s', (_name, stream, env, expected) => {
    expect(colorEnabled(stream, env)).toBe(expected);
  });
});

describe('wrap', () => {
  const text = `    ${'word '.repeat(60)}and https://example.com/${'a'.repeat(120)} end`;

  it('keeps every line within the width except a single word longer than it, and every word', () => {
    const lines = wrap(text, 50, '      ').split('\n');
    for (const line of lines) expect(line.length <= 50 || !line.trim().includes(' ')).toBe(true);
    expect(lines.join(' ').split(/ +/).filter(Boolean)).toEqual(text.split(/ +/).filter(Boolean));
  });

  it("keeps the text's own indent on the first line and indents the rest", () => {
    const lines = wrap(text, 50, '      ').split('\n');
    expect(lines[0]).toMatch(/^ {4}word/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {6}\S/);
  });
});

describe('pnpm demo, piped', () => {
  it('writes no ANSI codes, and wraps the long messages (no padding to the longest)', () => {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    const demo = spawnSync(process.execPath, ['demo/index.mjs'], { cwd: ROOT, encoding: 'utf8', env });
    expect(demo.status, demo.stdout + demo.stderr).toBe(0);
    expect(demo.stdout).not.toContain('\x1b[');
    const lintSection = demo.stdout.slice(demo.stdout.indexOf('== 4.'), demo.stdout.indexOf('== 5.'));
    expect(lintSection).toContain('@picco/no-async-private-memory');
    const long = demo.stdout.split('\n').filter((line) => line.length > 100 && !line.startsWith('== ') && !/^\s*\S+$/.test(line));
    expect(long).toEqual([]);
  }, 120_000);
});
