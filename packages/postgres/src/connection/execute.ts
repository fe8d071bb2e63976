/**
 * The one function that runs a compiled query on a node-postgres connection and shapes what
 * comes back into core's `ExecutionResult`, so that a query behaves the same on a pooled
 * connection and inside a transaction.
 */
import type { CompiledQuery, ExecutionResult } from '@picco/core';
import pg from 'pg';
import { queryError } from './errors.js';
import type { StatementNames } from './statement-names.js';

/** The part of a node-postgres client this file uses. */
export interface Queryable {
  query(config: pg.QueryConfig): Promise<pg.QueryResult | pg.QueryResult[]>;
}

const EMPTY_RESULT: ExecutionResult = Object.freeze({ rows: Object.freeze([]) as readonly Record<string, unknown>[], changes: 0, lastInsertRowid: 0 });
const INT8_OID = 20;
/**
 * Read as their text in table queries, as SQLite returns them, for core's decoders: json and
 * jsonb (node-postgres would parse them, and a JSON string value would then be parsed twice), and
 * date (node-postgres makes a Date at local midnight; Picco's dates are UTC midnight). Raw SQL
 * gets node-postgres's own values.
 */
const TEXT_OIDS = new Set([114 /* json */, 3802 /* jsonb */, 1082 /* date */]);
const asText = (text: string): string => text;
/** The statements whose row count is a number of changed rows (for the rest, `changes` is 0, as on SQLite). */
const WRITING_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * `bigint` columns (int8, and `count(*)`): node-postgres reads them as strings. Picco reads them
 * as numbers, or as `bigint` when the query asks for safe integers or a value is too large to be
 * a number without losing digits: a value is never silently rounded.
 */
const toNumber = (text: string): number | bigint => {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
};
const RAW_TYPES = typeParsers(toNumber, false);
const NUMBER_TYPES = typeParsers(toNumber, true);
const BIGINT_TYPES = typeParsers((text) => BigInt(text), true);

/** What a plan made before a column's type changed reports when run again (see statement-names.ts). */
const STALE_PLAN_STATE = '0A000';

/**
 * Runs `query`, as a named prepared statement when `names` gives it one. `inTransaction`: a
 * failed statement has aborted the transaction, so a stale plan cannot be retried there (the
 * error goes to the caller, and the next call prepares anew); outside one, it is retried once,
 * unnamed (the server refused it before running anything).
 */
export async function executeOn(connection: Queryable, query: CompiledQuery, names: StatementNames | undefined, inTransaction: boolean): Promise<ExecutionResult> {
  let outcome: pg.QueryResult | pg.QueryResult[];
  const name = names?.nameFor(query);
  const config = {
    text: query.sql,
    // Without parameters, node-postgres uses the simple protocol, which takes several statements (`exec` mode).
    values: query.params.length === 0 ? undefined : (query.params as unknown[]),
    types: query.table === undefined ? RAW_TYPES : query.safeIntegers ? BIGINT_TYPES : NUMBER_TYPES,
  };
  try {
    try {
      outcome = await connection.query(name === undefined ? config : { ...config, name });
    } catch (error) {
      if (name === undefined || (error as { code?: unknown }).code !== STALE_PLAN_STATE) throw error;
      names!.forget(query.sql);
      if (inTransaction) throw error;
      outcome = await connection.query(config);
    }
  } catch (error) {
    throw queryError(error, query);
  }
  // Several statements answer with one result each: the last one is the statement's result.
  const results = Array.isArray(outcome) ? outcome : [outcome];
  const last = results.at(-1);
  if (query.mode === 'exec' || last === undefined) return EMPTY_RESULT;
  let changes = 0;
  for (const result of results) if (WRITING_COMMANDS.has(result.command)) changes += result.rowCount ?? 0;
  const rows = query.mode === 'first' ? last.rows.slice(0, 1) : last.rows;
  // PostgreSQL has no "last insert rowid": `RETURNING id` says which row was inserted.
  return { rows, changes, lastInsertRowid: 0 };
}

function typeParsers(parseInt8: (text: string) => number | bigint, textForDecoders: boolean): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      format === 'binary'
        ? pg.types.getTypeParser(oid, format)
        : oid === INT8_OID
          ? parseInt8
          : textForDecoders && TEXT_OIDS.has(oid)
            ? asText
            : pg.types.getTypeParser(oid, 'text')) as pg.CustomTypesConfig['getTypeParser'],
  };
}
