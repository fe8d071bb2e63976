/**
 * The names PostgreSQL gives the constraints it names itself: `<table>_<column>_key`, `_fkey`,
 * `_check`, `<table>_pkey`. A name has at most 63 bytes (NAMEDATALEN - 1), and when the parts do
 * not fit PostgreSQL shortens the table and column parts, the longer one first, and keeps the
 * label whole (`makeObjectName` in its `indexcmds.c`), cutting only between characters. A plain
 * cut of the whole name (what PostgreSQL does to an identifier written in SQL) would lose the
 * label instead, and name a constraint that does not exist.
 */

/** The most bytes in a PostgreSQL identifier. */
const MAX_NAME_BYTES = 63;

/** PostgreSQL's own name for a constraint of `table` (on `column`, if any) with this label (`key`, `fkey`, `check`, `pkey`...). */
export function defaultConstraintName(table: string, column: string | undefined, label: string): string {
  let tableBytes = utf8Length(table);
  let columnBytes = column === undefined ? 0 : utf8Length(column);
  const available = MAX_NAME_BYTES - (utf8Length(label) + 1 + (column === undefined ? 0 : 1));
  while (tableBytes + columnBytes > available) {
    if (tableBytes > columnBytes) tableBytes--;
    else columnBytes--;
  }
  const parts = [clipped(table, tableBytes)];
  if (column !== undefined) parts.push(clipped(column, columnBytes));
  return [...parts, label].join('_');
}

/** The longest start of `text` of at most `bytes` UTF-8 bytes that ends between characters. */
function clipped(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const character of text) {
    const size = utf8Length(character);
    if (used + size > bytes) break;
    used += size;
    end += character.length;
  }
  return text.slice(0, end);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
