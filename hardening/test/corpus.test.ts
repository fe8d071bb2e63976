// The quick form of `node hardening/corpus.mjs`: Picco's rules over ~300 files that the
// dependencies ship (TypeScript parser on all, espree on the JavaScript ones), zero crashes.
import picco from '@picco/eslint-plugin';
import { describe, expect, it } from 'vitest';
import { runCorpus, runCorpusInWorkers } from '../corpus.mjs';

describe('Picco rules over real code nobody here wrote (quick form)', () => {
  it('lints ~300 dependency files with both parsers without a crash or a report', { timeout: 120_000 }, () => {
    const figures = runCorpus({ limit: 300 });
    expect(figures.corpusFiles).toBeGreaterThanOrEqual(5000);
    expect(figures.crashes).toEqual([]);
    // Nearly every file parses; the JavaScript ones are linted twice (typescript-eslint and espree).
    expect(figures.linted).toBeGreaterThanOrEqual(280);
    expect(figures.byParser.espree?.linted ?? 0).toBeGreaterThan(50);
    // This code does not use Picco or pass paths to better-sqlite3: a report would be a false positive.
    expect(figures.reports).toEqual([]);
    // About 9 s of CPU (the corpus holds the ecosystem libraries' files too); far longer on a loaded machine.
  });

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
  }, 300_000);

  it('gives the same figures in worker threads as in one thread', async () => {
    const inline = runCorpus({ limit: 20 });
    const inWorkers = await runCorpusInWorkers({ limit: 20, jobs: 2 });
    expect(inWorkers.crashes).toEqual([]);
    expect({ linted: inWorkers.linted, lints: inWorkers.lints, byParser: inWorkers.byParser, reports: inWorkers.reports.length }).toEqual({
      linted: inline.linted,
      lints: inline.lints,
      byParser: inline.byParser,
      reports: inline.reports.length,
    });
  }, 300_000);

  it('counts a rule that never ends as a crash on that file and goes on with a new worker', async () => {
    const rulesModule = new URL('./fixtures/never-ending-rule.mjs', import.meta.url).href;
    const figures = await runCorpusInWorkers({ limit: 3, jobs: 2, timeoutMs: 1000, rulesModule });
    expect(figures.files).toBe(3);
    expect(figures.crashes).toHaveLength(3);
    expect(figures.crashes[0].error).toContain('no answer after 1000 ms');
  }, 300_000);

  it('stops when interrupted and gives the figures of the files done', async () => {
    const interrupt = new AbortController();
    const figures = await runCorpusInWorkers({ limit: 50, jobs: 1, signal: interrupt.signal, onFile: () => interrupt.abort() });
    expect(figures.interrupted).toBe(true);
    expect(figures.files).toBe(1);
    expect(figures.linted).toBe(1);
  }, 300_000);
});
