/**
 * Named shared in-memory databases (`file:NAME?mode=memory&cache=shared`): every engine in the
 * process that names NAME uses the same session, and so the same connection, which is the
 * database. An engine holds a reference from its construction to its `close()`, whether or not
 * it ran a query, so the database lives until the last engine naming it closes.
 */
import { Connection } from '../connection/connection.js';
import { InlineSession } from './inline-session.js';

interface Entry {
  /** Opened by the first query of any engine naming it. */
  session: InlineSession | undefined;
  references: number;
}

const byName = new Map<string, Entry>();

export function retainNamedMemory(name: string): void {
  let entry = byName.get(name);
  if (entry === undefined) {
    entry = { session: undefined, references: 0 };
    byName.set(name, entry);
  }
  entry.references++;
}

/** The session of a name an engine retained. */
export function namedMemorySession(name: string): InlineSession {
  const entry = byName.get(name);
  if (entry === undefined) throw new Error(`Picco internal error: shared memory "${name}" used without retainNamedMemory()`);
  entry.session ??= new InlineSession(new Connection({ filename: ':memory:', readonly: false, mustExist: false, busyTimeoutMs: 0, wal: false }));
  return entry.session;
}

export function releaseNamedMemory(name: string): void {
  const entry = byName.get(name);
  if (entry === undefined) return;
  entry.references--;
  if (entry.references === 0) {
    byName.delete(name);
    entry.session?.connection.close();
  }
}
