/**
 * The entry point of a database worker thread: one connection, one query at a time, in the
 * order the main thread sent them. Ordering is what makes a pinned transaction work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Connection } from '../connection/connection.js';
import { serializeError } from '../connection/errors.js';
import type { WorkerData, WorkerRequest, WorkerResponse } from './protocol.js';

const port = parentPort!;
const { open } = workerData as WorkerData;
let connection: Connection | undefined;
let openError: unknown;
try {
  connection = new Connection(open);
} catch (error) {
  openError = error;
}

port.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    if (connection === undefined) throw openError;
    response = { id: request.id, ok: true, result: connection.execute(request.query) };
  } catch (error) {
    response = { id: request.id, ok: false, error: serializeError(error) };
  }
  port.postMessage(response);
});

port.on('close', () => connection?.close());
