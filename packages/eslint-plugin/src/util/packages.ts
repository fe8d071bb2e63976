/**
 * Which npm package a declaration file belongs to: the `name` of its nearest package.json.
 *
 * pnpm links workspace packages, so a declaration of `@picco/core` is seen at its real path
 * (`.../packages/core/dist/index.d.ts`), not under `node_modules/@picco/core`: the file name
 * alone cannot tell. One cache lives per TypeScript program (see `resolvers.ts`): it dies with
 * the program, which is replaced when a source file changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Packages whose engines have no synchronous driver: their `executeSync()` and
 * `transactionSync()` always throw `SYNC_UNSUPPORTED` (so `.runSync()` on their queries does).
 */
export const ASYNC_ONLY_ENGINE_PACKAGES: ReadonlySet<string> = new Set(['@picco/postgres']);

export class PackageNames {
  private readonly byDirectory = new Map<string, string | undefined>();
  // Asked for the same declaration files over and over (every Picco member's): no `dirname` each time.
  private readonly byFile = new Map<string, string | undefined>();

  /** The name of the package that `fileName` belongs to, if any. */
  of(fileName: string): string | undefined {
    if (this.byFile.has(fileName)) return this.byFile.get(fileName);
    const name = this.lookUp(path.dirname(fileName), 0);
    this.byFile.set(fileName, name);
    return name;
  }

  isPicco(fileName: string): boolean {
    return this.of(fileName)?.startsWith('@picco/') === true;
  }

  /** True when the file belongs to a package whose engines refuse every synchronous call (`@picco/postgres`). */
  isAsyncOnlyEngine(fileName: string): boolean {
    const name = this.of(fileName);
    return name !== undefined && ASYNC_ONLY_ENGINE_PACKAGES.has(name);
  }

  isBetterSqlite3(fileName: string): boolean {
    const name = this.of(fileName);
    return name === 'better-sqlite3' || name === '@types/better-sqlite3';
  }

  private lookUp(directory: string, depth: number): string | undefined {
    if (this.byDirectory.has(directory)) return this.byDirectory.get(directory);
    let name: string | undefined;
    const parent = path.dirname(directory);
    const manifest = readManifestName(path.join(directory, 'package.json'));
    // A package.json without a name (`{ "type": "module" }` in a dist folder) is no package root.
    if (manifest !== undefined) name = manifest;
    else if (parent !== directory && depth < 64) name = this.lookUp(parent, depth + 1);
    this.byDirectory.set(directory, name);
    return name;
  }
}

/** The `name` in a package.json, or `undefined` when there is none (or no such file). */
function readManifestName(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && 'name' in parsed && typeof parsed.name === 'string') return parsed.name;
  } catch {
    // Unreadable: look further up.
  }
  return undefined;
}
