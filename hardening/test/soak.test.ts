// The quick form of `node hardening/soak.mjs`: a few seconds of mixed load and misuse patterns
// with workers killed at random; nothing acknowledged may be lost, nothing refused may appear,
// no transaction torn, nothing hung, the file intact.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak.mjs';

describe('runtime soak under load and worker faults (quick form)', () => {
  it('loses no acknowledged write, tears no transaction, hangs nowhere and keeps the file intact', async () => {
    const result = await runSoak({ seconds: 4, callers: 16, faultEveryMs: 60 });
    expect(result.otherErrors).toEqual([]);
    expect(result.faults).toBeGreaterThan(5);
    expect(result.crashedOperations).toBeGreaterThan(0);
    // Throughput depends on the machine's load; the point is enough of every pattern.
    expect(result.acknowledgedWrites).toBeGreaterThan(100);
    for (const pattern of ['insert', 'read', 'transaction', 'update', 'returnedQuery', 'savepointWithSibling', 'leakedQuery', 'syncWrite', 'closeMidFlight']) {
      expect(result.patterns[pattern], pattern).toBeGreaterThan(0);
    }
    expect(result.hangs).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.phantoms).toBe(0);
    expect(result.tornTransactions).toBe(0);
    expect(result.integrity).toBe('ok');
  });
});
