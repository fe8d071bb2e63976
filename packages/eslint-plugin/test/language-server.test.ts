/**
 * The editor, end to end: vscode-eslint's language server (`vscode-eslint-language-server` from
 * vscode-langservers-extracted), driven over stdio as VS Code drives it (pull diagnostics, code
 * actions, commands that come back as `workspace/applyEdit`), on a copy of the seed-split
 * fixture, whose report needs type information from other files.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lsp-client.js';
import { copyFixtures } from './fixture-copy.js';
import { REPO } from './rule-tester.js';

const SERVER = path.join(REPO, 'node_modules/vscode-langservers-extracted/bin/vscode-eslint-language-server');
const RULE = '@picco/no-async-private-memory';

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface Diagnostic {
  range: Range;
  code?: string | number;
  message: string;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface CodeAction {
  title: string;
  command?: { command: string; arguments?: unknown[] };
}
interface WorkspaceEdit {
  documentChanges?: { textDocument: { uri: string }; edits: TextEdit[] }[];
  changes?: Record<string, TextEdit[]>;
}

let root: string;

let copy: ReturnType<typeof copyFixtures>;

beforeAll(() => {
  copy = copyFixtures('lsp', ['seed-split']);
  root = copy.root;
});

afterAll(() => copy.remove());

/** vscode-eslint's settings object, as the extension answers `workspace/configuration`. */
function vscodeSettings(workspaceUri: string, experimentalFlatConfig: boolean): object {
  return {
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    useFlatConfig: undefined,
    experimental: { useFlatConfig: experimentalFlatConfig },
    codeAction: { disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' }, showDocumentation: { enable: true } },
    codeActionOnSave: { mode: 'all' },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workspaceFolder: { name: path.basename(root), uri: workspaceUri },
  };
}

/** A server session on the fixture copy, with the client capabilities VS Code announces for these features. */
async function startServer(experimentalFlatConfig: boolean): Promise<{ client: LspClient; edits: WorkspaceEdit[]; apply: { next: boolean } }> {
  const client = new LspClient(process.execPath, [SERVER, '--stdio'], root);
  const workspaceUri = pathToFileURL(root).href;
  const edits: WorkspaceEdit[] = [];
  const apply = { next: false };
  client.onRequest('workspace/configuration', (params) => (params as { items: unknown[] }).items.map(() => vscodeSettings(workspaceUri, experimentalFlatConfig)));
  client.onRequest('workspace/applyEdit', (params) => {
    edits.push((params as { edit: WorkspaceEdit }).edit);
    return { applied: apply.next };
  });
  client.onRequest('workspace/diagnostic/refresh', () => null);
  client.onRequest('eslint/confirmESLintExecution', () => 4);
  client.onNotification('eslint/status', () => undefined);
  await client.request('initialize', {
    processId: process.pid,
    rootUri: workspaceUri,
    workspaceFolders: [{ uri: workspaceUri, name: path.basename(root) }],
    capabilities: {
      workspace: { configuration: true, applyEdit: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        diagnostic: { dynamicRegistration: false },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll.eslint'] } } },
      },
    },
  });
  client.notify('initialized', {});
  return { client, edits, apply };
}

function openDocument(client: LspClient, file: string): { uri: string; text: string } {
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, 'utf8');
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  return { uri, text };
}

async function pullDiagnostics(client: LspClient, uri: string): Promise<Diagnostic[]> {
  const report = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  return report.items;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (position: Position) => lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

function editsOf(edit: WorkspaceEdit): TextEdit[] {
  return edit.documentChanges?.flatMap((change) => change.edits) ?? Object.values(edit.changes ?? {}).flat();
}

describe('vscode-eslint-language-server 4.10 (VS Code settings)', () => {
  it('shows the cross-file report, offers its quick fix once, and applying it clears the report', async () => {
    const { client, edits, apply } = await startServer(false);
    try {
      const { uri, text } = openDocument(client, path.join(root, 'fixtures/seed-split/src/setup.ts'));
      const before = (await pullDiagnostics(client, uri)).filter((diagnostic) => diagnostic.code === RULE);
      // Lines 5, 6, 7, 8 (twice), 13, 17, 21 of setup.ts, as the CLI finds them (e2e.ts).
      expect(before.map((diagnostic) => diagnostic.range.start.line + 1)).toEqual([5, 6, 7, 8, 8, 13, 17, 21]);
      const target = before[0]!;
      expect(target.message.length).toBeLessThan(200);

      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: target.range,
        context: { diagnostics: [target], triggerKind: 1 },
      });
      const fixes = actions.filter((action) => action.command?.command === 'eslint.applySingleFix' || action.command?.command === 'eslint.applySuggestion');
      // Run each offered fix without applying it, to compare what they would change.
      for (const action of fixes) await client.request('workspace/executeCommand', action.command);
      const offered = edits.splice(0).map((edit) => JSON.stringify(editsOf(edit)));
      expect(new Set(offered).size).toBe(offered.length);
      expect(fixes.map((action) => action.title)).toEqual([`Fix this ${RULE} problem`]);

      apply.next = true;
      await client.request('workspace/executeCommand', fixes[0]!.command);
      const fixedText = applyEdits(text, editsOf(edits.at(-1)!));
      expect(fixedText).toContain('  createTables([Manager, Band]).runSync();\n');
      client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixedText }] });
      const after = (await pullDiagnostics(client, uri)).filter((diagnostic) => diagnostic.code === RULE);
      expect(after.map((diagnostic) => diagnostic.range.start.line + 1)).toEqual([6, 7, 8, 8, 13, 17, 21]);
    } finally {
      await client.shutdown();
    }
  }, 120_000);

  it("with Neovim's default for flat config files (experimental.useFlatConfig: true), ESLint 10 is not loaded and nothing is reported", async () => {
    const { client } = await startServer(true);
    try {
      const { uri } = openDocument(client, path.join(root, 'fixtures/seed-split/src/setup.ts'));
      expect(await pullDiagnostics(client, uri)).toEqual([]);
      expect(client.log.join('\n')).toContain("doesn't export a FlatESLint class");
    } finally {
      await client.shutdown();
    }
  }, 120_000);
});
