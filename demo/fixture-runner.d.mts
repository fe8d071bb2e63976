// Types for the test suite, which imports the demo's runner.
export function transpileProject(sourceFolder: string, outputFolder: string): void;
export function callExports(outputFolder: string, module: string, names: readonly string[]): { command: string; status: number | null; output: string };
