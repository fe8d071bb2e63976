import type { CompiledQuery, ExecutionResult } from '../compiler/compiled-query.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { SqlValue } from '../operation-node/nodes.js';
import { Query } from './query.js';

/**
 * Hand-written SQL with the engine's parameters: `?` on SQLite, `$1, $2, ...` on PostgreSQL. Resolves to the rows for statements that return rows
 * (SELECT, RETURNING, some PRAGMAs) and to `[]` for the rest.
 */
export class RawQuery<TRow = Record<string, unknown>, E extends Engine = Engine> extends Query<TRow[], E> {
  private readonly compiled: CompiledQuery;

  constructor(engine: E, sql: string, params: readonly SqlValue[] = []) {
    super(engine);
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, 'raw() needs a non-empty SQL string, for example DB.raw("SELECT 1").');
    }
    if (!Array.isArray(params)) {
      const placeholder = engine?.dialect === 'postgres' ? '$1' : '?';
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `raw() takes its parameters as an array: DB.raw("... WHERE id = ${placeholder}", [id]).`);
    }
    const readOnly = /^\s*(SELECT|WITH|EXPLAIN|VALUES)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);
    this.compiled = { sql, params: [...params], mode: 'auto', readOnly, safeIntegers: false, table: undefined };
  }

  toSQL(): CompiledQuery {
    return this.compiled;
  }

  protected decode(result: ExecutionResult): TRow[] {
    return result.rows as TRow[];
  }
}
