// Runs a fixture project for real: transpiles its TypeScript (types already checked by the
// tests) into a folder inside the repository, so that `@picco/*` resolve, then calls the
// exported functions of one module in a fresh Node process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export function transpileProject(sourceFolder, outputFolder) {
  rmSync(outputFolder, { recursive: true, force: true });
  for (const entry of readdirSync(sourceFolder, { recursive: true })) {
    const name = String(entry);
    if (!name.endsWith('.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(sourceFolder, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: name,
    });
    const target = join(outputFolder, name.replace(/\.ts$/, '.js'));
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(outputFolder, 'package.json'), JSON.stringify({ type: 'module' }));
}

/**
 * Calls each named export of `module` in order, printing what it returns, in a new process
 * (each run gets fresh engines). Returns the exit status and the output.
 */
export function callExports(outputFolder, module, names) {
  const runner = join(outputFolder, '__run.mjs');
  writeFileSync(
    runner,
    `import * as program from './${module}';
for (const name of ${JSON.stringify(names)}) {
  try {
    console.log(name + '():', JSON.stringify(await program[name]()));
  } catch (error) {
    console.log(name + '(): ' + error.name + ' [' + error.code + ']: ' + error.message.split('. ')[0] + '.');
    process.exitCode = 1;
  }
}
process.exit();
`,
  );
  const result = spawnSync(process.execPath, [runner], { cwd: outputFolder, encoding: 'utf8' });
  return { command: `node ${relative(process.cwd(), runner)}`, status: result.status, output: (result.stdout + result.stderr).trim() };
}
