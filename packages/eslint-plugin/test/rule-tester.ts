/** RuleTester wired to vitest, and the three ways the rules are tested: typed, untyped, espree. */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester, type RunTests } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.describeSkip = describe.skip;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.itSkip = it.skip;

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../../..');
export const FIXTURES = path.join(REPO, 'fixtures');
/** A real project whose `file.ts` the typed cases replace with their code. */
export const TYPED_PROJECT = path.join(FIXTURES, 'rule-tester');

/**
 * A case without a `name` is listed under its code; multi-line code would break the test
 * listing (and the summary after it) across lines. Such cases get a one-line name: their lines
 * joined with ` ⏎ `, shortened, and numbered when two would read the same.
 */
class NamedRuleTester extends RuleTester {
  override run<MessageIds extends string, Options extends readonly unknown[]>(
    ruleName: string,
    rule: TSESLint.RuleModule<MessageIds, Options>,
    tests: RunTests<NoInfer<MessageIds>, NoInfer<Options>>,
  ): void {
    super.run(ruleName, rule, { valid: withNames(tests.valid), invalid: withNames(tests.invalid) });
  }
}

const NAME_LENGTH = 120;

function withNames<T extends string | { readonly code: string; readonly name?: string }>(tests: readonly T[]): T[] {
  const seen = new Map<string, number>();
  return tests.map((test) => {
    if (typeof test === 'string' || test.name !== undefined || !test.code.includes('\n')) return test;
    const lines = test.code.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    let name = lines.join(' ⏎ ');
    if (name.length > NAME_LENGTH) name = `${name.slice(0, NAME_LENGTH - 1)}…`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return { ...(test as Extract<T, object>), name: count === 1 ? name : `${name} (${count})` } as T;
  });
}

/** With type information from `fixtures/rule-tester/tsconfig.json`: cases see its other files. */
export function typedRuleTester(): RuleTester {
  return new NamedRuleTester({
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: TYPED_PROJECT } },
  });
}

/** `@typescript-eslint/parser` without a program: the rules fall back to scope analysis. */
export function untypedRuleTester(): RuleTester {
  return new NamedRuleTester();
}

/** ESLint's own JavaScript parser (espree), as plain JS projects use. */
export function espreeRuleTester(): RuleTester {
  const requireFromEslint = createRequire(createRequire(import.meta.url).resolve('eslint'));
  const espree = requireFromEslint('espree') as object;
  return new NamedRuleTester({ languageOptions: { parser: espree as never, ecmaVersion: 'latest', sourceType: 'module' } });
}

/** A case linted as `fixtures/rule-tester/file.ts` (file names are relative to that project). */
export function typed<T extends object>(test: T): T & { filename: string } {
  return { filename: 'file.ts', ...test };
}

/** Source text without the common indentation, so cases can be written indented. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '').replace(/\n\s*$/, '\n');
  const indent = Math.min(...text.split('\n').filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
  return text
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n');
}

/** Syntax every rule must survive, with and without types: none of it is a finding. */
export const ODD_SYNTAX: readonly { code: string; filename?: string }[] = [
  { code: 'function* numbers() { yield 1; yield* [2, 3]; }\nasync function* stream() { yield await Promise.resolve(1); }\nexport { numbers, stream };' },
  {
    code: code`
      function logged(_target: unknown, _key: string, descriptor: PropertyDescriptor) { return descriptor; }
      class Service {
        @logged
        async run() { return this.then?.(); }
        then?: () => void;
      }
      export default Service;
    `,
  },
  { code: "declare module 'somewhere' {\n  export function run(): Promise<void>;\n}\ndeclare const x: { run(): Promise<void> };\nexport {};" },
  { code: "import * as React from 'react';\nexport const App = async () => <div onClick={async () => { await null; }}>{'hi'}</div>;", filename: 'react.tsx' },
  { code: 'export declare function f(): Promise<void>;\nexport declare class Q { run(): Promise<void>; then(): void; }', filename: 'ambient.d.ts' },
  { code: "label: for (const x of [1]) { if (x) break label; }\nexport const big = 10n ** 2n;\nexport const re = /a/v;\n" },
  { code: 'using res = { [Symbol.dispose]() {} };\nexport {};' },
  { code: "class C { static { void 0; } #p = 1; get p() { return this.#p; } }\nnew C();\nawait Promise.all([]);\nexport {};" },
];
