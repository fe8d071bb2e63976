// Part 1 of the demo: the seed's program, run for real against SQLite three ways.
// Each variant is written to a file and run in its own Node process, exactly as a user would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { heading, show } from './print.mjs';

/** The seed's program: an engine, a table, an async createTable, then queries. */
export function seedProgram({ path, sync }) {
  const run = (query) => (sync ? `${query}.runSync()` : `await ${query}`);
  return `import { SQLiteEngine } from '@picco/runtime';
import { defineTable, serial, varchar, integer } from '@picco/core';

const DB = new SQLiteEngine({ path: ${JSON.stringify(path)} });
const Users = defineTable('users', { id: serial(), name: varchar({ length: 50 }), age: integer() }, { db: DB });

try {
  ${run('Users.createTable()')};
  ${run("Users.insert([{ name: 'Ada', age: 36 }, { name: 'Grace', age: 85 }])")};
  const rows = ${run('Users.select(Users.name, Users.age).where(Users.age.gt(30)).orderBy(Users.name)')};
  console.log('rows:', JSON.stringify(rows));
} catch (error) {
  console.log(\`\${error.name} [\${error.code}]: \${error.message}\`);
  process.exitCode = 1;
} finally {
  await DB.close();
}
`;
}

export function runProgram(root, name, source) {
  const folder = join(root, '.tmp', 'demo');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}.mjs`);
  writeFileSync(file, source);
  const result = spawnSync(process.execPath, [file], { cwd: folder, encoding: 'utf8' });
  return { file, status: result.status, output: (result.stdout + result.stderr).trim() };
}

/** What the folk fix does with better-sqlite3 alone: a file named ':memory:?cache=shared'. */
function folkFixProgram() {
  return `import Database from 'better-sqlite3';
import { readdirSync, rmSync } from 'node:fs';
const db = new Database(':memory:?cache=shared');
db.exec('CREATE TABLE IF NOT EXISTS users (name TEXT)');
db.close();
console.log('files in the working directory now:', JSON.stringify(readdirSync('.').filter((name) => name.includes('memory'))));
rmSync(':memory:?cache=shared');
`;
}

export function runtimeStory(root) {
  heading("0. The folk fix with better-sqlite3 alone: new Database(':memory:?cache=shared')");
  const folk = runProgram(root, 'folk-fix', folkFixProgram());
  show(`$ node ${folk.file}`, folk.output);

  heading('1. The seed: a :memory: engine and `await Users.createTable()`');
  const unsafe = runProgram(root, 'unsafe', seedProgram({ path: ':memory:', sync: false }));
  show(`$ node ${unsafe.file}`, unsafe.output);
  const refused = unsafe.status !== 0 && unsafe.output.includes('PRIVATE_MEMORY_ASYNC');

  heading("2. Same program, path ':memory:?cache=shared' (one database for every query of the engine)");
  const shared = runProgram(root, 'shared', seedProgram({ path: ':memory:?cache=shared', sync: false }));
  show(`$ node ${shared.file}`, shared.output);

  heading('3. Same program, path \':memory:\', every query with .runSync()');
  const sync = runProgram(root, 'run-sync', seedProgram({ path: ':memory:', sync: true }));
  show(`$ node ${sync.file}`, sync.output);

  const worked = [shared, sync].every((variant) => variant.status === 0 && variant.output.includes('"Ada"'));
  return refused && worked;
}
