/**
 * The version of a package as installed for a linted file: the `version` in
 * `node_modules/<name>/package.json` of the nearest folder that has one, walking up from the
 * file, as Node's resolution would find it. Some pitfalls exist only in some versions
 * (`@libsql/client` before 0.18, MikroORM before 7), so a rule asks before it reports.
 *
 * Cached per folder and package for the life of the process (a lint run, or an editor's
 * server): a linted project rarely upgrades under a running linter, and the walk would
 * otherwise read the same files for every linted file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A `major.minor.patch` version, without prerelease or build parts. */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const MAX_DEPTH = 64;
const cache = new Map<string, Version | null>();

/** The version of `packageName` that `fileName` would load, or `undefined` when none is installed (or the file is not on disk). */
export function installedVersion(fileName: string, packageName: string): Version | undefined {
  if (!path.isAbsolute(fileName)) return undefined;
  return lookUp(path.dirname(fileName), packageName, 0) ?? undefined;
}

/** `version` is older than `major.minor`. */
export function isOlderThan(version: Version, major: number, minor: number): boolean {
  return version.major < major || (version.major === major && version.minor < minor);
}

function lookUp(directory: string, packageName: string, depth: number): Version | null {
  const key = `${packageName}\0${directory}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let found = readVersion(path.join(directory, 'node_modules', packageName, 'package.json'));
  const parent = path.dirname(directory);
  if (found === null && parent !== directory && depth < MAX_DEPTH) found = lookUp(parent, packageName, depth + 1);
  cache.set(key, found);
  return found;
}

function readVersion(manifest: string): Version | null {
  let text: string;
  try {
    text = fs.readFileSync(manifest, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && 'version' in parsed && typeof parsed.version === 'string') return parseVersion(parsed.version);
  } catch {
    // Not JSON: as if not installed here.
  }
  return null;
}

function parseVersion(text: string): Version | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  if (match === null) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}
