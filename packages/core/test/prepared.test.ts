/**
 * Prepared queries in core: what a prepared query hands its engine. Parameters sit where values
 * go, in placeholder order, whatever the dialect (PostgreSQL numbers its placeholders); a run binds
 * fresh values and never changes the prepared statement; the statement text is compiled once.
 */
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
