#!/usr/bin/env node
// The public projects of the corpus run (hardening/corpus.mjs): which ones, at which commit
// (hardening/corpus-projects.json), and how to get their source files onto this machine. None of
// their code is kept in this repository: each project is extracted, at its pinned commit and only
// its JavaScript and TypeScript files, into a cache folder outside it (the system's temporary
// folder by default).
//
//   node hardening/corpus-projects.mjs [--mirrors DIR] [--into DIR]     extract every project
//   node hardening/corpus-projects.mjs --pin --mirrors DIR              re-pin to the mirrors' HEAD
//
// Where the commits come from: with `--mirrors DIR` (or PICCO_CORPUS_MIRRORS), from local git
// clones named `DIR/<owner>+<name>` (bare, or with `repo/`, `repo/.git` or `.git` inside);
// otherwise each commit is fetched from GitHub (`git fetch --depth 1`, by its hash).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

export const MANIFEST = path.join(import.meta.dirname, 'corpus-projects.json');
export const DEFAULT_CACHE = path.join(tmpdir(), 'picco-corpus');
/** The file types the corpus lints; nothing else is extracted. */
export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
/** Written last into a project's folder: a folder without it is an interrupted extraction. */
const COMPLETE_STAMP = '.picco-corpus-complete';

/**
 * @typedef {{ repo: string, commit: string, committed: string, uses: string[], why: string }} Project
 * @typedef {{ projects: Project[] }} Manifest
 */

/** @returns {Manifest} */
export function loadManifest(file = MANIFEST) {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  for (const project of manifest.projects) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(project.repo)) throw new Error(`${file}: "${project.repo}" is not owner/name`);
    if (!/^[0-9a-f]{40}$/.test(project.commit)) throw new Error(`${file}: ${project.repo} has no full commit hash`);
  }
  return manifest;
}

/** The folder a project's files are extracted into: one per repository and commit. */
export function projectFolder(project, into = DEFAULT_CACHE) {
  return path.join(into, `${project.repo.replace('/', '+')}@${project.commit.slice(0, 12)}`);
}

/**
 * Extracts every project of the manifest (unless already complete) and returns where each is.
 * @param {{ manifest?: Manifest, into?: string, mirrors?: string, log?: (line: string) => void }} [options]
 * @returns {{ project: Project, folder: string }[]}
 */
export function extractProjects({ manifest = loadManifest(), into = DEFAULT_CACHE, mirrors = process.env.PICCO_CORPUS_MIRRORS, log = () => {} } = {}) {
  return manifest.projects.map((project) => {
    const folder = projectFolder(project, into);
    if (existsSync(path.join(folder, COMPLETE_STAMP))) return { project, folder };
    log(`extracting ${project.repo}@${project.commit.slice(0, 12)} into ${folder}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const gitDir = mirrors === undefined ? fetchFromGitHub(project, into) : mirrorGitDir(mirrors, project.repo);
    const { written, missing } = writeSources(gitDir, project.commit, folder);
    if (missing.length > 0) log(`  ${missing.length} of ${written + missing.length} files are not in this clone (skipped)`);
    writeFileSync(path.join(folder, COMPLETE_STAMP), `${project.repo} ${project.commit}\nwritten ${written}\nmissing ${missing.length}\n`);
    return { project, folder };
  });
}

/** The git directory of `repo` among local clones named `<owner>+<name>`. */
export function mirrorGitDir(mirrors, repo) {
  const base = path.join(mirrors, repo.replace('/', '+'));
  for (const candidate of [path.join(base, 'repo', '.git'), path.join(base, 'repo'), path.join(base, '.git'), base, `${base}.git`]) {
    if (existsSync(path.join(candidate, 'HEAD')) && existsSync(path.join(candidate, 'objects'))) return candidate;
  }
  throw new Error(`no git clone of ${repo} under ${mirrors} (looked for ${base}[/repo][/.git])`);
}

/** A shallow fetch of exactly the pinned commit, into `<into>/git/<owner>+<name>.git`. */
function fetchFromGitHub(project, into) {
  const gitDir = path.join(into, 'git', `${project.repo.replace('/', '+')}.git`);
  if (!existsSync(path.join(gitDir, 'HEAD'))) git(['init', '--quiet', '--bare', gitDir]);
  git(['--git-dir', gitDir, 'fetch', '--quiet', '--depth', '1', `https://github.com/${project.repo}.git`, project.commit]);
  return gitDir;
}

/**
 * Writes the commit's source files into `folder`, read blob by blob (`git cat-file --batch`):
 * unlike `git archive`, this works on a clone that lacks some large blobs (a partial or trimmed
 * mirror); a listed file whose blob is absent is skipped and returned in `missing`.
 * @returns {{ written: number, missing: string[] }}
 */
export function writeSources(gitDir, commit, folder) {
  const listing = git(['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 2 ** 30 });
  const wanted = [];
  for (const line of listing.split('\0')) {
    // "<mode> <type> <hash>\t<path>"; submodules are commits, symlinks have mode 120000.
    const match = /^100(?:644|755) blob ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (match === null) continue;
    const [, hash, name] = match;
    if (!SOURCE_EXTENSIONS.includes(path.extname(name)) || name.split('/').includes('node_modules')) continue;
    wanted.push({ hash, name });
  }
  const batch = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: wanted.map(({ hash }) => `${hash}\n`).join(''), maxBuffer: 2 ** 31 - 1 });
  if (batch.status !== 0) throw new Error(`git cat-file in ${gitDir} failed: ${batch.stderr}`);
  const output = batch.stdout;
  const missing = [];
  let offset = 0;
  for (const { name } of wanted) {
    const headerEnd = output.indexOf(10, offset);
    const header = output.toString('utf8', offset, headerEnd);
    offset = headerEnd + 1;
    if (header.endsWith(' missing')) {
      missing.push(name);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    const target = path.join(folder, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, output.subarray(offset, offset + size));
    offset += size + 1; // the content is followed by a newline
  }
  return { written: wanted.length - missing.length, missing };
}

function git(args, options = {}) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
}

/** Re-pins every project to the HEAD of its local clone (and its commit date). */
function pin(mirrors) {
  const manifest = loadManifest();
  for (const project of manifest.projects) {
    const gitDir = mirrorGitDir(mirrors, project.repo);
    project.commit = git(['--git-dir', gitDir, 'rev-parse', 'HEAD']);
    project.committed = git(['--git-dir', gitDir, 'log', '-1', '--format=%cs', 'HEAD']);
  }
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`pinned ${manifest.projects.length} projects in ${path.relative(process.cwd(), MANIFEST)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { mirrors: { type: 'string' }, into: { type: 'string' }, pin: { type: 'boolean' } } });
  const mirrors = values.mirrors ?? process.env.PICCO_CORPUS_MIRRORS;
  if (values.pin) {
    if (mirrors === undefined) throw new Error('--pin needs --mirrors DIR (local clones named <owner>+<name>)');
    pin(mirrors);
  } else {
    const extracted = extractProjects({ into: values.into, mirrors, log: console.log });
    console.log(`${extracted.length} projects ready under ${values.into ?? DEFAULT_CACHE}`);
  }
}
