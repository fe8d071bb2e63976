/**
 * The name of a column's index, unambiguous across tables. `<table>_<column>_idx` alone is not:
 * `a_b`.`c` and `a`.`b_c` would share `a_b_c_idx`, and with `ifNotExists` the second index
 * would be skipped. So:
 * - a table name without "_" keeps `<table>_<column>_idx` (the first "_" ends the table name,
 *   so these names never collide, and databases made by earlier versions keep their indexes);
 * - a table name with "_" gets `<table>_<column>_idx_<length of the table name>`: it ends in
 *   digits, so it never equals a name of the first form, and the length says where the table
 *   name ends.
 * A database made by an earlier version with an index on a table whose name has "_" keeps
 * that index under its old name; `createTable({ ifNotExists: true })` adds the new one. An
 * index on a timestamp column made by an earlier version is on the bare column, and has the
 * same name as the new expression index, so `ifNotExists` keeps it: queries stay correct but do
 * not use it; drop it and create the table's indexes again to get the new one.
 */
export function indexName(table: string, column: string): string {
  return table.includes('_') ? `${table}_${column}_idx_${table.length}` : `${table}_${column}_idx`;
}
