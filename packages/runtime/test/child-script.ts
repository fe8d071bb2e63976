/**
 * Runs a small ES module program in a child Node process, the way a user's script runs: it
 * imports the built packages, does its work, and should then exit by itself. The program
 * prints `done` when its work is over; the result says how long the process took after that.
 * A program that has not exited `timeoutMs` after it started is killed (`timedOut`).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const CORE_URL = pathToFileURL(require.resolve('@picco/core')).href;
const RUNTIME_URL = pathToFileURL(require.resolve('@picco/runtime')).href;

export interface ScriptResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed because it had not exited within `timeoutMs`. */
  readonly timedOut: boolean;
  /** Milliseconds from the program printing `done` to the process exiting; undefined if it never printed it. */
  readonly exitAfterDoneMs: number | undefined;
  /** Lines the program printed as `report <json>`, parsed. */
  readonly reports: readonly unknown[];
}

export interface RunningScript {
  readonly pid: number;
  /** Resolves with the first `report` line the program prints. */
  readonly firstReport: Promise<unknown>;
  readonly result: Promise<ScriptResult>;
}

/**
 * `body` runs as the module's top level, after `import { SQLiteEngine } ...` and
 * `import { defineTable, ... } ...`, with `folder` (a scratch folder), `report(value)` and
 * `sleep(ms)` in scope. `done` is printed after the body has run.
 */
export function startScript(folder: string, body: string, timeoutMs: number): RunningScript {
  const file = join(folder, `script-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    file,
    [
      `import { SQLiteEngine } from ${JSON.stringify(RUNTIME_URL)};`,
      `import { defineTable, integer, isPiccoError, PiccoErrorCode, serial, text } from ${JSON.stringify(CORE_URL)};`,
      `const folder = ${JSON.stringify(folder)};`,
      `const report = (value) => console.log('report ' + JSON.stringify(value));`,
      `const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));`,
      body,
      `console.log('done');`,
    ].join('\n'),
  );
  const child = spawn(process.execPath, [file], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let doneAt: number | undefined;
  let timedOut = false;
  const reports: unknown[] = [];
  let onFirstReport!: (value: unknown) => void;
  const firstReport = new Promise<unknown>((resolve) => (onFirstReport = resolve));
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  let partialLine = '';
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop()!;
    for (const line of lines) {
      if (line === 'done') doneAt ??= performance.now();
      if (line.startsWith('report ')) {
        reports.push(JSON.parse(line.slice('report '.length)));
        if (reports.length === 1) onFirstReport(reports[0]);
      }
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const result = new Promise<ScriptResult>((resolve) => {
    // 'exit', not 'close': a leftover grandchild holding our pipes must not hide the exit.
    child.on('exit', (code, signal) => {
      const exitedAt = performance.now();
      clearTimeout(timer);
      // Let the last output arrive.
      setTimeout(() => resolve({ code, signal, stdout, stderr, timedOut, exitAfterDoneMs: doneAt === undefined ? undefined : exitedAt - doneAt, reports }), 50);
    });
  });
  return { pid: child.pid!, firstReport, result };
}

export function runScript(folder: string, body: string, timeoutMs = 15_000): Promise<ScriptResult> {
  return startScript(folder, body, timeoutMs).result;
}

/** True while a process with this id runs (a zombie, dead but not yet reaped, does not count). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // "pid (name) state ...": the state letter follows the last parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // No /proc: kill(pid, 0) said it exists.
  }
}
