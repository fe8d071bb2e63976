/**
 * The requests a worker process has received and not yet run, in the order they arrived (see
 * worker-main.ts). Batches are kept as they came, with a cursor into the first.
 */
import type { CompiledQuery } from '@picco/core';
import { decodeRequest, requestCount, type RequestBatch } from './protocol.js';

export class RequestQueue {
  private readonly batches: RequestBatch[] = [];
  /** Requests of `batches[0]` already taken. */
  private taken = 0;
  private count = 0;

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
  take(): { readonly id: number; readonly query: CompiledQuery } {
    const batch = this.batches[0]!;
    const request = decodeRequest(batch, this.taken++);
    this.count--;
    if (this.taken === requestCount(batch)) {
      this.batches.shift();
      this.taken = 0;
    }
    return request;
  }
}
