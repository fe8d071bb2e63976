// The project list of the corpus run and its extraction: the manifest pins real commits of
// projects on every library the rules speak about, and a project is extracted at its commit with
// only its source files, outside the repository, from a local clone.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CACHE, extractProjects, loadManifest, lowestVersion, mirrorGitDir, writeSources } from '../corpus-projects.mjs';
import { corpusTasks, runCorpus } from '../corpus.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'picco-corpus-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]) {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** A git repository at `<mirrors>/<owner>+<name>/repo` with one commit, as the mirrors are laid out. */
function makeMirror(mirrors: string, repo: string, files: Record<string, string>) {
  const work = path.join(mirrors, repo.replace('/', '+'), 'repo');
  mkdirSync(work, { recursive: true });
  git(work, 'init', '--quiet');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
    writeFileSync(path.join(work, name), text);
  }
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'files');
  return git(work, 'rev-parse', 'HEAD');
}

describe('corpus projects', () => {
  it('pins at least 40 public projects covering knex, TypeORM, Sequelize, libsql, Kysely, Drizzle and MikroORM', () => {
    const { projects } = loadManifest();
    expect(projects.length).toBeGreaterThanOrEqual(40);
    const uses = new Set(projects.flatMap((project) => project.uses));
    for (const library of ['knex', 'typeorm', 'sequelize', '@libsql/client', 'kysely', 'drizzle-orm', '@mikro-orm/core', 'better-sqlite3', 'sqlite3']) {
      expect(uses, library).toContain(library);
    }
    expect(new Set(projects.map((project) => project.repo)).size).toBe(projects.length);
  });

  it('keeps the extracted code outside the repository', () => {
    expect(path.relative(REPO, DEFAULT_CACHE).startsWith('..')).toBe(true);
  });

  it('extracts only source files, at the pinned commit, skipping node_modules', () => {
    const mirrors = path.join(scratch, 'mirrors');
    const commit = makeMirror(mirrors, 'someone/app', {
      'src/db.ts': "import knex from 'knex';\nexport const db = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' } });\n",
      'src/view.tsx': 'export const View = () => <div />;\n',
      'lib/old.cjs': 'module.exports = 1;\n',
      'README.md': '# app\n',
      'logo.png': 'not really a png',
      'node_modules/dep/index.js': 'module.exports = 2;\n',
    });
    // A later commit must not leak into the extraction of the pinned one.
    const work = path.join(mirrors, 'someone+app', 'repo');
    writeFileSync(path.join(work, 'src/later.ts'), 'export {};\n');
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'later');

    const into = path.join(scratch, 'cache');
    const manifest = { projects: [{ repo: 'someone/app', commit, committed: '2026-12-01', uses: ['knex'], why: 'test' }] };
    const [extracted] = extractProjects({ manifest, into, mirrors });
    const tasks = corpusTasks([{ name: 'someone/app', root: extracted.folder, virtualNames: false }]);
    expect(tasks.map((task) => task.shown)).toEqual(['someone/app/lib/old.cjs', 'someone/app/src/db.ts', 'someone/app/src/view.tsx']);
    expect(readFileSync(path.join(extracted.folder, 'src/db.ts'), 'utf8')).toContain("filename: ':memory:'");
    expect(existsSync(path.join(extracted.folder, 'src/later.ts'))).toBe(false);

    // Project files are linted under their real path (ESLint's cwd is the project's folder).
    const figures = runCorpus({ sources: [{ name: 'someone/app', root: extracted.folder, virtualNames: false }] });
    expect(figures.linted).toBe(3);
    expect(figures.crashes).toEqual([]);
    // --match: only the files whose text matches.
    const matching = runCorpus({ sources: [{ name: 'someone/app', root: extracted.folder, virtualNames: false }], match: /knex/ });
    expect({ corpusFiles: matching.corpusFiles, files: matching.files, linted: matching.linted }).toEqual({ corpusFiles: 3, files: 1, linted: 1 });
  });

  it('installs stand-ins of the version-sensitive packages at the version each package.json asks for', () => {
    const mirrors = path.join(scratch, 'versions');
    const commit = makeMirror(mirrors, 'someone/monorepo', {
      'package.json': JSON.stringify({ devDependencies: { '@libsql/client': 'catalog:' } }),
      'pnpm-workspace.yaml': "packages:\n  - apps/*\ncatalog:\n  '@libsql/client': ^0.17.4\n",
      'apps/old/package.json': JSON.stringify({ dependencies: { '@libsql/client': '^0.14.0', '@mikro-orm/core': '6.4.1' } }),
      'apps/open/package.json': JSON.stringify({ peerDependencies: { '@libsql/client': '>=0.10.0' } }),
      'apps/old/db.ts': 'export {};\n',
    });
    const [{ folder }] = extractProjects({ manifest: { projects: [{ repo: 'someone/monorepo', commit, committed: '', uses: [], why: '' }] }, into: path.join(scratch, 'cache'), mirrors });
    const installed = (where: string, name: string) => {
      const file = path.join(folder, where, 'node_modules', name, 'package.json');
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
    };
    expect(installed('.', '@libsql/client')).toBe('0.17.4');
    expect(installed('apps/old', '@libsql/client')).toBe('0.14.0');
    expect(installed('apps/old', '@mikro-orm/core')).toBe('6.4.1');
    expect(installed('apps/open', '@libsql/client')).toBeUndefined(); // an open range: what would be installed is unknown
    // The stand-ins are not linted.
    expect(corpusTasks([{ name: 'm', root: folder, virtualNames: false }]).map((task) => task.shown)).toEqual(['m/apps/old/db.ts']);
  });

  it('reads the lowest version a closed range names', () => {
    expect(['^0.15.9', '0.14.0', '~6.1', '0.17.x', 'v7.1.0-beta.2'].map(lowestVersion)).toEqual(['0.15.9', '0.14.0', '6.1.0', '0.17.0', '7.1.0']);
    expect(['>=0.10.0', '*', 'workspace:*', 'latest', '^1 || ^2'].map(lowestVersion)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('skips a file whose blob the clone lacks, and says so', () => {
    const mirrors = path.join(scratch, 'partial');
    const commit = makeMirror(mirrors, 'someone/partial', { 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
    const gitDir = mirrorGitDir(mirrors, 'someone/partial');
    const blob = git(path.dirname(gitDir), 'rev-parse', `${commit}:b.ts`);
    rmSync(path.join(gitDir, 'objects', blob.slice(0, 2), blob.slice(2)));
    const folder = path.join(scratch, 'partial-out');
    mkdirSync(folder);
    expect(writeSources(gitDir, commit, folder)).toEqual({ written: 1, missing: ['b.ts'] });
    expect(readFileSync(path.join(folder, 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('names the missing clone when a project is not among the mirrors', () => {
    expect(() => mirrorGitDir(path.join(scratch, 'nowhere'), 'someone/else')).toThrow(/no git clone of someone\/else/);
  });
});
