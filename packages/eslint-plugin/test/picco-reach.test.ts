/**
 * Which files can see Picco (util/picco-reach.ts): the rules ask the checker nothing elsewhere,
 * so a file wrongly left out would lose its reports. A real program over real files.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { PackageNames } from '../dist/util/packages.js';
import { PiccoReach } from '../dist/util/picco-reach.js';
import { REPO } from './rule-tester.js';

// Inside the repository, so that `@picco/*` resolves.
const ROOT = path.join(REPO, '.tmp', `test-picco-reach-${process.pid}`);
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'engine.ts': "import { SQLiteEngine } from '@picco/runtime';\nexport const DB = new SQLiteEngine({ path: ':memory:' });\n",
  'barrel.ts': "export * from './engine.js';\n",
  'user.ts': "import { DB } from './barrel.js';\nexport const q = DB.raw('SELECT 1');\n",
  'cycle-a.ts': "import { b } from './cycle-b.js';\nexport const a = () => b;\n",
  'cycle-b.ts': "import { a } from './cycle-a.js';\nimport { q } from './user.js';\nexport const b = () => [a, q];\n",
  'plain.ts': 'export const x = 1;\n',
  'uses-plain.ts': "import { x } from './plain.js';\nexport const y = x + 1;\n",
  'dynamic.ts': "export const load = () => import('./plain.js');\n",
};

function reachOf(files: Record<string, string>): Record<string, boolean> {
  rmSync(ROOT, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(ROOT, name), text);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'], strict: true, noEmit: true };
  const program = ts.createProgram({ rootNames: Object.keys(files).map((name) => path.join(ROOT, name)), options });
  const reach = new PiccoReach(program, ts, new PackageNames());
  return Object.fromEntries(Object.keys(files).map((name) => [name, reach.canSeePicco(program.getSourceFile(path.join(ROOT, name))!)]));
}

describe('PiccoReach', () => {
  it('follows imports and re-exports back from @picco/*, through cycles; import() counts as seeing', () => {
    expect(reachOf(FILES)).toEqual({
      'engine.ts': true,
      'barrel.ts': true,
      'user.ts': true,
      'cycle-a.ts': true,
      'cycle-b.ts': true,
      'plain.ts': false,
      'uses-plain.ts': false,
      'dynamic.ts': true,
    });
  });

  it('a global declared with a Picco type makes every file able to see it', () => {
    const global = "import type { SQLiteEngine } from '@picco/runtime';\ndeclare global {\n  var GlobalDB: SQLiteEngine<':memory:'>;\n}\nexport {};\n";
    expect(Object.values(reachOf({ ...FILES, 'global.ts': global })).every(Boolean)).toBe(true);
  });
});
