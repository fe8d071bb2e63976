// The quick form of `node hardening/soak.mjs`: a few seconds of mixed load and misuse patterns
// with workers killed at random; nothing acknowledged may be lost, nothing refused may appear,
// no transaction torn, nothing hung, the file intact.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak.mjs';

describe('runtime soak under load and worker faults (quick form)', () => {
  it('loses no acknowledged write, tears no transaction, hangs nowhere and keeps the file intact', async () => {
    // A number of operations rather than a time: on a loaded machine it takes longer, but it
    // still exercises every pattern under faults. A worker is killed once the pool has been up
    // for 100 ms (see soak.mjs: worker processes take a while to start).
    const result = await runSoak({ operations: 1200, seconds: 100, callers: 16, faultEveryMs: 100 });
    expect(result.otherErrors).toEqual([]);
    expect(result.faults).toBeGreaterThan(5);
    expect(result.crashedOperations).toBeGreaterThan(0);
    expect(result.acknowledgedWrites).toBeGreaterThan(300);
    for (const pattern of ['insert', 'read', 'transaction', 'update', 'returnedQuery', 'savepointWithSibling', 'leakedQuery', 'syncWrite', 'closeMidFlight']) {
      expect((result.patterns as Record<string, number>)[pattern], pattern).toBeGreaterThan(0);
    }
    expect(result.hangs).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.phantoms).toBe(0);
    expect(result.tornTransactions).toBe(0);
    expect(result.integrity).toBe('ok');
  }, 120_000);
});
