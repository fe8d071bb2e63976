/**
 * An engine names the SQL dialect its table queries compile to (`Engine.dialect`). An engine
 * written before dialects names none and keeps getting SQLite's SQL; a name core does not know
 * is refused with a message that lists the ones it does.
 */
import { describe, expect, it } from 'vitest';
import { defineTable, integer, serial, text, type Engine } from '@picco/core';
import { catchPiccoError, expectMentions, FakeEngine } from './helpers.js';

class NamedDialectEngine extends FakeEngine {
  constructor(readonly dialect: Engine['dialect']) {
    super('app.db');
  }
}

function songOn(db: Engine) {
  return defineTable('song', { id: serial(), title: text(), plays: integer({ default: 0 }) }, { db });
}

describe('Engine.dialect', () => {
  it('an engine that names no dialect gets SQLite: the very text of an engine that says sqlite', () => {
    const unnamed = songOn(new FakeEngine('app.db'));
    const named = songOn(new NamedDialectEngine('sqlite'));
    const query = (Song: typeof unnamed) => Song.select(Song.title).where(Song.plays.gt(3), Song.title.ilike('a%')).limit(2);
    expect(query(unnamed).toSQL()).toEqual(query(named).toSQL());
    expect(query(named).toSQL().sql).toBe('SELECT "title" FROM "song" WHERE ("plays" > ?) AND ("title" LIKE ?) LIMIT 2');
  });

  it('a dialect core does not know is refused when a query compiles, naming the known ones', () => {
    const Song = songOn(new NamedDialectEngine('mysql' as Engine['dialect']));
    const error = catchPiccoError(() => Song.select().toSQL(), 'INVALID_QUERY');
    expectMentions(error.message, ['"mysql"', '"sqlite"', '"postgres"']);
  });
});
