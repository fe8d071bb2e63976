/**
 * Named prepared statements for hot shapes. PostgreSQL parses and plans an unnamed statement
 * every time it runs; a named one is parsed once per connection and then only bound and run
 * (node-postgres remembers, per connection, which names it has prepared). Table queries come
 * from a bounded set of shapes and each shape is always the same SQL string (core's shape
 * cache), so their text is a stable key for a name.
 *
 * Only table queries with values get a name, and only from their second use (a one-off shape
 * costs the server memory on every connection for nothing); raw SQL never does (its text may be
 * built afresh each time, so the names could grow without bound). At most MAX_NAMED_STATEMENTS
 * names per engine. A name whose plan the server can no longer use ("cached plan must not change
 * result type", SQLSTATE 0A000, after a column's type changed) is forgotten, so the next call
 * prepares the statement again under a new name.
 */
import type { CompiledQuery } from '@picco/core';

/** Named statements per engine (so per connection at most): a few hundred shapes are plenty for an application. */
export const MAX_NAMED_STATEMENTS = 1000;
/** Shapes whose uses are counted before they get a name; past it, new shapes stay unnamed. */
const MAX_COUNTED_SHAPES = 10_000;
/** A shape gets a name on this use. */
const HOT_AFTER_USES = 2;

export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly uses = new Map<string, number>();
  private created = 0;

  /** The statement's name, or `undefined` to send it unnamed. */
  nameFor(query: CompiledQuery): string | undefined {
    if (query.table === undefined || query.params.length === 0) return undefined;
    const name = this.names.get(query.sql);
    if (name !== undefined) return name;
    if (this.names.size >= MAX_NAMED_STATEMENTS) return undefined;
    const uses = (this.uses.get(query.sql) ?? 0) + 1;
    if (uses < HOT_AFTER_USES) {
      if (this.uses.size < MAX_COUNTED_SHAPES) this.uses.set(query.sql, uses);
      return undefined;
    }
    this.uses.delete(query.sql);
    const fresh = `picco_${++this.created}`;
    this.names.set(query.sql, fresh);
    return fresh;
  }

  /** Stops using the statement's current name: the next call prepares it again under a new one. */
  forget(sql: string): void {
    this.names.delete(sql);
  }

  get size(): number {
    return this.names.size;
  }
}
