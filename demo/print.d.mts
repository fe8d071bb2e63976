// Types for print.mjs, for the tests that import it.
export interface OutputStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  hasColors?(env?: object): boolean;
}
export function colorEnabled(stream?: OutputStream, env?: Record<string, string | undefined>): boolean;
export function outputWidth(stream?: OutputStream): number;
export function wrap(text: string, width: number, indent?: string): string;
export function heading(text: string): void;
export function show(command: string, output: string, options?: { wrapLines?: boolean }): void;
export function formatLintResults(results: readonly import('eslint').ESLint.LintResult[], cwd: string): string;
