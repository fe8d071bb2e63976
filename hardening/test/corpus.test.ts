// The quick form of `node hardening/corpus.mjs`: Picco's rules over ~300 files that the
// dependencies ship (TypeScript parser on all, espree on the JavaScript ones), zero crashes.
import picco from '@picco/eslint-plugin';
import { describe, expect, it } from 'vitest';
import { runCorpus } from '../corpus.mjs';

describe('Picco rules over real code nobody here wrote (quick form)', () => {
  it('lints ~300 dependency files with both parsers without a crash or a report', () => {
    const figures = runCorpus({ limit: 300 });
    expect(figures.corpusFiles).toBeGreaterThanOrEqual(5000);
    expect(figures.crashes).toEqual([]);
    // Nearly every file parses; the JavaScript ones are linted twice (typescript-eslint and espree).
    expect(figures.linted).toBeGreaterThanOrEqual(280);
    expect(figures.byParser.espree?.linted ?? 0).toBeGreaterThan(50);
    // This code does not use Picco or pass paths to better-sqlite3: a report would be a false positive.
    expect(figures.reports).toEqual([]);
  }, 120_000); // ~300 files, twice for JavaScript: slow on a loaded machine

  it('counts a rule that throws as a crash (the run can see one)', () => {
    const throwing = {
      ...picco.rules,
      'throws-on-await': {
        meta: { type: 'problem' as const, schema: [], messages: {} },
        create: () => ({
          AwaitExpression() {
            throw new Error('boom');
          },
        }),
      },
    };
    const figures = runCorpus({ limit: 60, rules: throwing });
    expect(figures.crashes.length).toBeGreaterThan(0);
    expect(figures.crashes[0].error).toContain('boom');
  });
});
