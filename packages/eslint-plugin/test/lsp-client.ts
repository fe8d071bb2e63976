/**
 * A small Language Server Protocol client over stdio, enough to drive vscode-eslint's language
 * server the way VS Code does: requests, notifications, and answers to the server's own requests
 * (`workspace/configuration`, `workspace/applyEdit`, ...).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

type Handler = (params: unknown) => unknown;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Handler>();
  /** Everything the server logged (`window/logMessage`), for assertions and for failures. */
  readonly log: string[] = [];

  constructor(command: string, args: readonly string[], cwd: string) {
    this.child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    this.child.on('exit', (code) => {
      for (const pending of this.pending.values()) pending.reject(new Error(`the language server exited (${String(code)}); log:\n${this.log.join('\n')}`));
      this.pending.clear();
    });
    this.onRequest('window/workDoneProgress/create', () => null);
    this.onRequest('client/registerCapability', () => null);
    this.onNotification('window/logMessage', (params) => this.log.push((params as { message: string }).message));
  }

  /** Answers the server's requests (and notifications) of this method. */
  onRequest(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  onNotification(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  request<T>(method: string, params: unknown, timeoutMs = 60_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms; log:\n${this.log.join('\n')}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  async shutdown(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    try {
      await this.request('shutdown', null, 5000);
      this.notify('exit', null);
    } catch {
      // Killed below.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (length === null) throw new Error(`a message without Content-Length: ${this.buffer.subarray(0, headerEnd).toString()}`);
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString('utf8')) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } }): void {
    if (message.method === undefined) {
      const pending = message.id === undefined ? undefined : this.pending.get(message.id);
      if (pending === undefined) return;
      this.pending.delete(message.id!);
      if (message.error !== undefined) pending.reject(new Error(message.error.message));
      else pending.resolve(message.result);
      return;
    }
    const handler = this.handlers.get(message.method);
    if (message.id === undefined) {
      handler?.(message.params);
      return;
    }
    Promise.resolve()
      .then(() => (handler === undefined ? null : handler(message.params)))
      .then(
        (result) => this.send({ jsonrpc: '2.0', id: message.id, result: result ?? null }),
        (error: Error) => this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: error.message } }),
      );
  }
}
