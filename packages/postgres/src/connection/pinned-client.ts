/**
 * The connection a top-level transaction holds from BEGIN to COMMIT/ROLLBACK. It knows whether
 * it can go back to the pool: a connection that was lost, or whose transaction state is unknown
 * (a BEGIN or ROLLBACK that failed), is destroyed instead, so that no later query ever lands in a
 * half-finished transaction.
 */
import type { CompiledQuery, ExecutionResult } from '@picco/core';
import type pg from 'pg';
import { closedMidQuery, isConnectionLoss } from './errors.js';
import { executeOn } from './execute.js';
import type { StatementNames } from './statement-names.js';

export class PinnedClient {
  private lost = false;
  private stateUnknown = false;
  // The transaction's concurrent queries (a Promise.all in the callback) go out one at a time, in
  // call order: node-postgres deprecates handing a client a query while it runs another.
  private previous: Promise<unknown> = Promise.resolve();
  // While checked out, a connection has no pool listener: an 'error' event (the server ended the
  // session while the transaction sat idle) would crash the process without this one.
  private readonly onError = (): void => {
    this.lost = true;
  };

  constructor(
    private readonly client: pg.PoolClient,
    /** True once the engine's close() cut the connections still in use. */
    private readonly wasCut: () => boolean,
    /** The engine's statement names (`undefined`: every statement unnamed). */
    private readonly names: StatementNames | undefined,
  ) {
    client.on('error', this.onError);
  }

  /** False once the connection is gone (its transaction went with it: nothing to roll back). */
  get isUsable(): boolean {
    return !this.lost;
  }

  /** One query of the transaction. */
  send(query: CompiledQuery): Promise<ExecutionResult> {
    return this.inTurn(query);
  }

  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT ... */
  async control(sql: string): Promise<void> {
    try {
      await this.inTurn({ sql, params: [], mode: 'run', readOnly: false, safeIntegers: false, table: undefined });
    } catch (error) {
      // After a failed COMMIT, PostgreSQL has already rolled back: the connection is clean. After
      // a failed BEGIN or ROLLBACK, nobody knows what state it is in.
      if (sql === 'BEGIN' || sql === 'ROLLBACK') this.stateUnknown = true;
      throw error;
    }
  }

  private inTurn(query: CompiledQuery): Promise<ExecutionResult> {
    const run = async (): Promise<ExecutionResult> => {
      try {
        return await executeOn(this.client, query, this.names, true);
      } catch (error) {
        if (isConnectionLoss((error as { cause?: unknown }).cause ?? error)) this.lost = true;
        throw this.wasCut() ? closedMidQuery() : error;
      }
    };
    const result = this.previous.then(run);
    this.previous = result.catch(() => undefined);
    return result;
  }

  /** Gives the connection back to the pool, or destroys it when it cannot be trusted. */
  unpin(): void {
    this.client.off('error', this.onError);
    this.client.release(this.lost || this.stateUnknown);
  }
}
