/**
 * Prepared queries in core: what a prepared query hands its engine. Parameters sit where values
 * go, in placeholder order, whatever the dialect (PostgreSQL numbers its placeholders); a run binds
 * fresh values and never changes the prepared statement; the statement text is compiled once.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineTable, integer, numeric, param, serial, text, timestamp, type Engine } from '@picco/core';
import { FakeEngine, RecordingEngine } from './helpers.js';

class PostgresDialectEngine extends RecordingEngine {
  readonly dialect: Engine['dialect'] = 'postgres';
}

function songOn(db: Engine) {
  return defineTable('song', { id: serial(), title: text(), plays: integer({ default: 0 }), released: timestamp().nullable(), price: numeric({ digits: [5, 2], default: '0' }) }, { db });
}

describe('prepared queries', () => {
  it('binds values where the parameters are, leaving constants in place', () => {
    const engine = new RecordingEngine();
    const Song = songOn(engine);
    const query = Song.select(Song.title).where(Song.plays.between(3, param('max')), Song.title.ne(param('title'))).prepare();
    query.runSync({ max: 10, title: 'x' });
    query.runSync({ max: 20, title: 'y' });
    expect(engine.executed.map((executed) => executed.params)).toEqual([
      [3, 10, 'x'],
      [3, 20, 'y'],
    ]);
    expect(engine.executed[0]!.sql).toBe('SELECT "title" FROM "song" WHERE ("plays" BETWEEN ? AND ?) AND ("title" <> ?)');
    // One statement text for every run: the very same string.
    expect(engine.executed[0]!.sql).toBe(engine.executed[1]!.sql);
  });

  it('encodes each value by its column (a Date as the text timestamps are stored as)', () => {
    const engine = new RecordingEngine();
    const Song = songOn(engine);
    const when = new Date('2024-01-02T03:04:05.006Z');
    Song.update({ released: param('when') }).where(Song.id.eq(param('id'))).prepare().runSync({ when, id: 7 });
    expect(engine.executed[0]!.params).toEqual(['2024-01-02T03:04:05.006Z', 7]);
  });

  it('compiles through the engine dialect: the same text as the query with values in place', () => {
    const Song = songOn(new PostgresDialectEngine());
    // Whatever the dialect writes (PostgreSQL numbers its placeholders: $1, $2), or refuses.
    const attempt = (build: () => { sql: string; params: readonly unknown[] }) => {
      try {
        const { sql, params } = build();
        return { sql, params };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    expect(attempt(() => Song.insert({ title: param('title'), plays: param('plays') }).prepare().toSQL({ title: 'a', plays: 1 }))).toEqual(
      attempt(() => Song.insert({ title: 'a', plays: 1 }).toSQL()),
    );
    expect(attempt(() => Song.select(Song.id).where(Song.plays.gt(param('plays')), Song.title.eq(param('title'))).prepare().toSQL({ plays: 2, title: 'b' }))).toEqual(
      attempt(() => Song.select(Song.id).where(Song.plays.gt(2), Song.title.eq('b')).toSQL()),
    );
    // A numeric value goes as the dialect sends numerics (PostgreSQL: a decimal, not integer units).
    expect(attempt(() => Song.update({ price: param('price') }).where(Song.price.lt(param('below'))).prepare().toSQL({ price: '12.34', below: '1.5' }))).toEqual(
      attempt(() => Song.update({ price: '12.34' }).where(Song.price.lt('1.5')).toSQL()),
    );
    expect(Song.update({ price: param('price') }).where(Song.id.eq(1)).prepare().toSQL({ price: '12.34' }).params).toEqual(['12.34', 1]);
  });

  it('toSQL() of an unprepared query with parameters shows them; running it is refused', () => {
    const Song = songOn(new FakeEngine('app.db'));
    const query = Song.select().where(Song.id.eq(param('id')));
    expect(query.toSQL().params).toEqual([expect.objectContaining({ name: 'id' })]);
    expect(() => query.runSync()).toThrow(/param\('id'\)/);
  });
});

/**
 * A run binds each parameter the value of its name and refuses missing, unknown and mistyped
 * values: over key orders, repeated names, nulls, inherited values, constants between parameters
 * and many parameters (an insert of parameters only binds into a fresh array, not a copy).
 */
describe('binding a run: each parameter gets the value of its name', () => {
  const engine = new RecordingEngine();
  const Song = songOn(engine);
  const bind = (query: { toSQL(values: Record<string, unknown>): { params: readonly unknown[] } }, values: Record<string, unknown>) => query.toSQL(values as never).params;

  it('whatever the order of the keys, with a name used twice and constants between', () => {
    const query = Song.select(Song.id).where(Song.plays.gt(param('n')), Song.title.eq('fixed'), Song.id.ne(param('n')), Song.title.ne(param('t'))).prepare();
    expect(bind(query, { n: 1, t: 'a' })).toEqual([1, 'fixed', 1, 'a']);
    expect(bind(query, { t: 'b', n: 2 })).toEqual([2, 'fixed', 2, 'b']);
    expect(bind(query, { t: 'c', n: 3, other: undefined })).toEqual([3, 'fixed', 3, 'c']);
  });

  it('an insert of parameters only: each value in its column, nulls where nullable, a changed object between runs', () => {
    const query = Song.insert({ title: param('title'), released: param('at'), plays: param('plays') }).prepare();
    const values: Record<string, unknown> = { plays: 1, at: null, title: 'a' };
    expect(bind(query, values)).toEqual(['a', null, 1]);
    values.title = 'b';
    values.at = new Date('2024-01-02T03:04:05.000Z');
    expect(bind(query, values)).toEqual(['b', '2024-01-02T03:04:05.000Z', 1]);
  });

  it('values inherited from a prototype count as given, as a read by name sees them', () => {
    const query = Song.insert({ title: param('title'), plays: param('plays') }).prepare();
    const values = Object.assign(Object.create({ plays: 7 }) as Record<string, unknown>, { title: 'a' });
    expect(bind(query, values)).toEqual(['a', 7]);
  });

  it('a value only a read by name finds (a getter on a class) is bound, then refused as before for the count', () => {
    const query = Song.insert({ title: param('title') }).prepare();
    class Values {
      get title(): string {
        return 'from a getter';
      }
    }
    // The getter is not enumerable: the run sees no given key, so the name counts as unknown.
    expect(() => bind(query, new Values() as never)).toThrow(/unknown parameter|its parameters are/);
  });

  it('refuses a missing value, an unknown name and a wrong type with the messages of a read by name', () => {
    const query = Song.insert({ title: param('title'), plays: param('plays') }).prepare();
    expect(() => bind(query, { title: 'a' })).toThrow(/Parameter "plays" \(plays\) got no value/);
    expect(() => bind(query, { title: 'a', plays: undefined })).toThrow(/Parameter "plays" \(plays\) got no value/);
    expect(() => bind(query, { title: 'a', plays: 1, extra: 2 })).toThrow(/unknown parameter "extra"/);
    expect(() => bind(query, { title: 1, plays: 1 })).toThrow(/Parameter "title": Column "title" expects a string/);
    expect(() => bind(query, { title: null, plays: 1 })).toThrow(/Parameter "title" \(title\) got null/);
  });

  it('twenty parameters: each gets its own value', () => {
    const names = Array.from({ length: 20 }, (_, index) => `p${index}`);
    const query = Song.select(Song.id).where(...names.map((name) => Song.plays.ne(param(name)))).prepare();
    const values = Object.fromEntries(names.map((name, index) => [name, index * 10]).reverse());
    expect(bind(query, values)).toEqual(names.map((_, index) => index * 10));
    expect(() => bind(query, { ...values, p3: undefined })).toThrow(/Parameter "p3" \(plays\) got no value/);
  });
});

/**
 * A binder is compiled per prepared query (binder.ts); with code generation off
 * (`--disallow-code-generation-from-strings`, some hardened hosts) a loop does the binding. The
 * same cases, run in a process of each kind, must bind the same values and throw the same errors.
 */
describe('binding without code generation', () => {
  const script = fileURLToPath(new URL('./fixtures/binding-outcomes.mjs', import.meta.url));
  const outcomes = (flags: string[]) => JSON.parse(execFileSync(process.execPath, [...flags, script], { encoding: 'utf8' })) as { codeGeneration: boolean; outcomes: { label: string; params?: unknown[]; error?: string }[] };

  it('binds every case as the compiled binder does, and refuses the same ones with the same messages', () => {
    const compiled = outcomes([]);
    const looped = outcomes(['--disallow-code-generation-from-strings']);
    expect(compiled.codeGeneration).toBe(true);
    expect(looped.codeGeneration).toBe(false);
    expect(looped.outcomes).toEqual(compiled.outcomes);
    // And the cases say what they should (two identical wrong lists would pass the line above).
    const byLabel = new Map(compiled.outcomes.map((outcome) => [outcome.label, outcome]));
    expect(byLabel.get('sqlite select, keys reordered')?.params).toEqual([2, 'fixed', 2, 'b']);
    expect(byLabel.get('postgres insert')?.params).toEqual(['a', null, 1, '12.34']);
    expect(byLabel.get('sqlite insert')?.params).toEqual(['a', null, 1, '1234n']);
    expect(byLabel.get('sqlite select, unknown name')?.error).toMatch(/unknown parameter "other"/);
    expect(byLabel.get('sqlite insert, null where not nullable')?.error).toMatch(/got null/);
    expect(byLabel.get('sqlite plain values')?.params).toEqual([2, 'calm', 'n', 3]);
    expect(byLabel.get('postgres null where nullable')?.params).toEqual([2, 'loud', null, -4]);
    expect(byLabel.get('sqlite a fraction for an integer')?.error).toMatch(/"times": .*expects an integer, got number 3\.5/);
    expect(byLabel.get('sqlite a fraction for a foreign key')?.error).toMatch(/"song": .*got number 2\.5/);
    expect(byLabel.get('sqlite a string outside the choices')?.error).toMatch(/"mood": .*got string "sad"/);
    expect(byLabel.get('sqlite NaN for an integer')?.error).toMatch(/got number NaN/);
    expect(compiled.outcomes.filter((outcome) => outcome.error !== undefined)).toHaveLength(2 * 13);
  });
});
