// The quick form of `node hardening/soak.mjs`: a few seconds of mixed load with workers killed
// at random; nothing acknowledged may be lost, no transaction torn, the file intact.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak.mjs';

describe('runtime soak under load and worker faults (quick form)', () => {
  it('loses no acknowledged write, tears no transaction and keeps the file intact', async () => {
    const result = await runSoak({ seconds: 3, callers: 16, faultEveryMs: 60 });
    expect(result.otherErrors).toEqual([]);
    expect(result.faults).toBeGreaterThan(5);
    expect(result.crashedOperations).toBeGreaterThan(0);
    expect(result.acknowledgedWrites).toBeGreaterThan(500);
    expect(result.lost).toBe(0);
    expect(result.tornTransactions).toBe(0);
    expect(result.integrity).toBe('ok');
  });
});
