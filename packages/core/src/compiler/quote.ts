/** Quotes an SQL identifier: `we"ird` becomes `"we""ird"`. Identifiers are never interpolated raw. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A literal for DDL defaults, where SQLite accepts no parameters. */
export function sqlLiteral(value: string | number | bigint | Uint8Array | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    // SQLite reads an out-of-range literal as infinity; NaN never gets here (encodeValue refuses it).
    if (value === Infinity) return '9e999';
    if (value === -Infinity) return '-9e999';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return `X'${Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('')}'`;
}
