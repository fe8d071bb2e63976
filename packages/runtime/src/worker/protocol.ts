/** Messages between the main thread and a database worker thread. */
import type { CompiledQuery, ExecutionResult } from '@picco/core';
import type { OpenOptions } from '../connection/connection.js';
import type { SerializedError } from '../connection/errors.js';

export interface WorkerData {
  readonly open: OpenOptions;
}

export interface WorkerRequest {
  readonly id: number;
  readonly query: CompiledQuery;
}

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly result: ExecutionResult }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError }
  /** Sent once the connection is open (id 0), or with `ok: false` if it could not be opened. */
  | { readonly id: 0; readonly ready: true };
