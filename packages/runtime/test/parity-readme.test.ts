/** README.md's parity count is generated from the parity suite; this keeps it from going stale. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('README.md shows the current parity count (node scripts/parity-report.mjs --check)', () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'parity-report.mjs'), '--check'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
