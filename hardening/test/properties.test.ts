// The quick form of `node hardening/properties/run.mjs`: random Picco programs linted and
// fixed with the plugin's recommended config (and `fix: 'run-sync'`), without and with type
// information. The fixed code must parse (and type-check), keep no fixable
// no-async-private-memory report, and be a fixed point; the first pass must report exactly the
// async executions the generator wrote. A failure prints fast-check's seed and the program;
// set PICCO_PROPERTIES_SEED to replay it.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProperties } from '../properties/run.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');

describe('fix properties (quick form)', () => {
  const root = path.join(REPO, '.tmp', `properties-test-${process.pid}`);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('hold on 150 programs without types and 20 with types', async () => {
    const seed = process.env.PICCO_PROPERTIES_SEED === undefined ? undefined : Number(process.env.PICCO_PROPERTIES_SEED);
    const result = await runProperties({ runs: 150, typedRuns: 20, seed, root });
    expect(result.untyped.programs).toBe(150);
    expect(result.typed.programs).toBe(20);
    // The programs exercise the rule and its fix, not only clean code.
    expect(result.untyped.reports).toBeGreaterThan(100);
    expect(result.untyped.fixed).toBeGreaterThan(10);
    expect(result.typed.reports).toBeGreaterThan(10);
  }, 120_000);
});
