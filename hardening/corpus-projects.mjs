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
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

export const MANIFEST = path.join(import.meta.dirname, 'corpus-projects.json');
export const DEFAULT_CACHE = path.join(tmpdir(), 'picco-corpus');
/** The file types the corpus lints; nothing else is extracted. */
export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
/**
 * Packages whose installed version decides whether a rule reports (`@libsql/client` before 0.18,
 * MikroORM before 7). The projects are not installed; for these, a stand-in
 * `node_modules/<name>/package.json` is written beside each package.json that depends on them,
 * with the version its range asks for, so the rules see what an install would give.
 */
export const VERSIONED_PACKAGES = ['@libsql/client', '@mikro-orm/core'];
/** Written last into a project's folder: a folder without it (or from an older format) is extracted again. */
const COMPLETE_STAMP = '.picco-corpus-complete';
const FORMAT = 'format 2 (sources, package.json files, stand-in installs)';

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
    const stamp = path.join(folder, COMPLETE_STAMP);
    if (existsSync(stamp) && readFileSync(stamp, 'utf8').includes(FORMAT)) return { project, folder };
    log(`extracting ${project.repo}@${project.commit.slice(0, 12)} into ${folder}`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const gitDir = mirrors === undefined ? fetchFromGitHub(project, into) : mirrorGitDir(mirrors, project.repo);
    const { written, missing } = writeSources(gitDir, project.commit, folder);
    if (missing.length > 0) log(`  ${missing.length} of ${written + missing.length} files are not in this clone (skipped)`);
    const standIns = writeStandIns(folder);
    if (standIns.length > 0) log(`  stand-in installs: ${[...new Set(standIns.map(({ name, version }) => `${name}@${version}`))].join(', ')} (${standIns.length} folders)`);
    writeFileSync(stamp, `${project.repo} ${project.commit}\n${FORMAT}\nwritten ${written}\nmissing ${missing.length}\nstand-ins ${standIns.length}\n`);
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

/** Not linted; read to know which versions the stand-in installs take. */
const MANIFEST_NAMES = ['package.json', 'pnpm-workspace.yaml'];

/**
 * Writes the commit's source files (and its package.json and pnpm-workspace.yaml files) into `folder`, read blob by blob (`git cat-file --batch`):
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
    const kept = SOURCE_EXTENSIONS.includes(path.extname(name)) || MANIFEST_NAMES.includes(path.basename(name));
    if (!kept || name.split('/').includes('node_modules')) continue;
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

/**
 * Writes the stand-in installs of VERSIONED_PACKAGES for every package.json under `folder` that
 * depends on one with a range that names a version (`1.2.3`, `^0.15.0`, `~6.1`, `0.17.x`, or
 * `catalog:` resolved through pnpm-workspace.yaml); the lowest version of the range, which has the
 * major and minor version an install would get for the caret and tilde ranges that occur here.
 * Open ranges (`*`, `>=0.10`, `workspace:*`) are left out: nothing is installed there.
 * @returns {{ name: string, version: string, range: string, folder: string }[]}
 */
export function writeStandIns(folder) {
  const catalogs = readCatalogs(folder);
  const standIns = [];
  for (const manifest of findFiles(folder, 'package.json')) {
    let parsed;
    try {
      parsed = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue; // a template or broken fixture
    }
    const dependencies = { ...parsed.peerDependencies, ...parsed.devDependencies, ...parsed.dependencies };
    for (const name of VERSIONED_PACKAGES) {
      const range = dependencies[name];
      if (typeof range !== 'string') continue;
      const version = lowestVersion(range.startsWith('catalog:') ? catalogs.get(name) ?? '' : range);
      if (version === undefined) continue;
      const target = path.join(path.dirname(manifest), 'node_modules', name);
      mkdirSync(target, { recursive: true });
      writeFileSync(path.join(target, 'package.json'), `${JSON.stringify({ name, version, description: `corpus stand-in for "${range}"` })}\n`);
      standIns.push({ name, version, range, folder: path.relative(folder, path.dirname(manifest)) });
    }
  }
  return standIns;
}

/** The lowest version a range names, or undefined for an open or unversioned range. */
export function lowestVersion(range) {
  const match = /^\s*(?:\^|~|=)?\s*v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?(?:-[\w.]+)?\s*$/.exec(range);
  if (match === null) return undefined;
  const part = (text) => (text === undefined || text === 'x' ? 0 : Number(text));
  return `${match[1]}.${part(match[2])}.${part(match[3])}`;
}

/** pnpm's default catalog entries for VERSIONED_PACKAGES, from the pnpm-workspace.yaml at the project's root. */
function readCatalogs(folder) {
  const catalogs = new Map();
  const file = path.join(folder, 'pnpm-workspace.yaml');
  if (!existsSync(file)) return catalogs;
  const text = readFileSync(file, 'utf8');
  for (const name of VERSIONED_PACKAGES) {
    const match = new RegExp(`^\\s+['"]?${name.replace(/[/.]/g, '\\$&')}['"]?\\s*:\\s*['"]?([^'"\\s#]+)`, 'm').exec(text);
    if (match !== null) catalogs.set(name, match[1]);
  }
  return catalogs;
}

/** Every file called `name` under `folder`, outside node_modules. */
function findFiles(folder, name) {
  const found = [];
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path.join(directory, entry.name));
      else if (entry.isFile() && entry.name === name) found.push(path.join(directory, entry.name));
    }
  };
  walk(folder);
  return found;
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
