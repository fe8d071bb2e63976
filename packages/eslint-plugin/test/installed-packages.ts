/** Folders whose `node_modules` hold a given version of a package, for rules that read it. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = mkdtempSync(path.join(tmpdir(), 'picco-installed-'));

/**
 * A file name in a folder where `packageName@version` is installed (only its package.json:
 * the rules read nothing else). Outside the repository, so nothing else is found walking up.
 */
export function fileWithInstalled(packages: Readonly<Record<string, string>>, fileName = 'file.ts'): string {
  const folder = path.join(root, Object.entries(packages).map(([name, version]) => `${name.replace(/\W/g, '_')}-${version}`).join('+') || 'none');
  for (const [name, version] of Object.entries(packages)) {
    const manifest = path.join(folder, 'node_modules', name, 'package.json');
    mkdirSync(path.dirname(manifest), { recursive: true });
    writeFileSync(manifest, JSON.stringify({ name, version }));
  }
  mkdirSync(folder, { recursive: true });
  return path.join(folder, fileName);
}
