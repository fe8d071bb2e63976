/**
 * The requests a worker process has received and not yet run, in the order they arrived (see
 * worker-main.ts). Batches are kept as they came, with a cursor into the first.
 */
import type { CompiledQuery } from '@picco/core';
import { decodeRequest, requestCount, type RequestBatch } from './protocol.js';

export interface Request {
  readonly id: number;
  readonly query: CompiledQuery;
}

export class RequestQueue {
  private readonly batches: RequestBatch[] = [];
  /** Requests of `batches[0]` already taken. */
  private taken = 0;
  private count = 0;
  /** The next request, decoded by `takeIf` and left in the queue. */
  private peeked: Request | undefined;

  /** Requests received and not yet taken. */
  get waiting(): number {
    return this.count;
  }

  push(batch: RequestBatch): void {
    const added = requestCount(batch);
    if (added === 0) return;
    this.batches.push(batch);
    this.count += added;
  }

  /** The next request in arrival order (the queue must not be empty). */
  take(): Request {
    const peeked = this.peeked;
    if (peeked !== undefined) {
      this.peeked = undefined;
      return this.consume(peeked);
    }
    return this.consume(decodeRequest(this.batches[0]!, this.taken));
  }

  /** The next request if `accept` takes it (it is then taken from the queue), else undefined. */
  takeIf(accept: (request: Request) => boolean): Request | undefined {
    if (this.count === 0) return undefined;
    const next = (this.peeked ??= decodeRequest(this.batches[0]!, this.taken));
    if (!accept(next)) return undefined;
    this.peeked = undefined;
    return this.consume(next);
  }

  private consume(request: Request): Request {
    const batch = this.batches[0]!;
    this.taken++;
    this.count--;
    if (this.taken === requestCount(batch)) {
      this.batches.shift();
      this.taken = 0;
    }
    return request;
  }
}
