/**
 * Row objects made from arrays of values. better-sqlite3 builds each row object through V8's C++
 * API, key by key; with `.raw(true)` it returns the values as an array, and an object literal of a
 * fixed shape, compiled once per column list, makes the object for less (~15-20% less per point
 * select than better-sqlite3's own object rows, measured on `:memory:`). A worker process sends
 * the arrays (cheaper to serialize than objects) and the parent makes the objects the same way.
 *
 * The objects are those better-sqlite3 would make: plain, own properties in column order, a later
 * column of the same name winning; except `__proto__`, which better-sqlite3 dropped and which
 * becomes an own property holding its value (never the object's prototype).
 */

export type RowMaker = (values: unknown[]) => Record<string, unknown>;

/** What makes a row's object from its values in `names` order. */
export function rowMakerFor(names: readonly string[]): RowMaker {
  // `__proto__` is written as a computed key: an own property, not the prototype.
  const fields = names.map((name, index) => `${name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)}: values[${index}]`);
  try {
    return new Function('values', `return { ${fields.join(', ')} };`) as RowMaker;
  } catch {
    // Code generation is off (`--disallow-code-generation-from-strings`): a loop does it.
    return (values) => {
      const row: Record<string, unknown> = {};
      for (let index = 0; index < names.length; index++) Object.defineProperty(row, names[index]!, { value: values[index], writable: true, enumerable: true, configurable: true });
      return row;
    };
  }
}

/** Row makers by column list, for rows arriving from a worker; bounded (a few hundred shapes are plenty). */
const received = new Map<string, RowMaker>();
const MAX_RECEIVED_SHAPES = 1024;

/** The objects of rows sent as arrays of values in `columns` order (made in place). */
export function rowsOf(rows: unknown[], columns: readonly string[]): Record<string, unknown>[] {
  // Column names are C strings in SQLite: NUL never occurs in one.
  const key = columns.join('\0');
  let makeRow = received.get(key);
  if (makeRow === undefined) {
    if (received.size >= MAX_RECEIVED_SHAPES) received.clear();
    makeRow = rowMakerFor(columns);
    received.set(key, makeRow);
  }
  for (let index = 0; index < rows.length; index++) rows[index] = makeRow(rows[index] as unknown[]);
  return rows as Record<string, unknown>[];
}
