/**
 * Named shared in-memory databases (`file:NAME?mode=memory&cache=shared`): every engine in the
 * process that names NAME uses the same session, and so the same connection, which is the
 * database. The database lives until the last engine naming it closes.
 */
import { Connection } from '../connection/connection.js';
import { InlineSession } from './inline-session.js';

interface Entry {
  readonly session: InlineSession;
  references: number;
}

const byName = new Map<string, Entry>();

export function acquireNamedMemory(name: string): InlineSession {
  let entry = byName.get(name);
  if (entry === undefined) {
    const connection = new Connection({ filename: ':memory:', readonly: false, mustExist: false, busyTimeoutMs: 0, wal: false });
    entry = { session: new InlineSession(connection), references: 0 };
    byName.set(name, entry);
  }
  entry.references++;
  return entry.session;
}

export function releaseNamedMemory(name: string): void {
  const entry = byName.get(name);
  if (entry === undefined) return;
  entry.references--;
  if (entry.references === 0) {
    byName.delete(name);
    entry.session.connection.close();
  }
}
