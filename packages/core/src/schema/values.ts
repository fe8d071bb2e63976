/**
 * How JavaScript values travel to SQLite and back, by column type:
 * booleans as 0/1, timestamps as ISO-8601 text, json as text, bigint as 64-bit integers.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { SqlValue } from '../operation-node/nodes.js';
import { valueSpec, type ColumnSpec } from './column-builder.js';

export function encodeValue(spec: ColumnSpec, key: string, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (spec.type === 'foreignKey' && valueSpec(spec) !== spec) return encodeValue(valueSpec(spec), key, value);
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(key, 'a boolean', value);
      return value ? 1 : 0;
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw wrongType(key, 'a valid Date', value);
      return value.toISOString();
    case 'json': {
      const encoded = JSON.stringify(value);
      if (encoded === undefined) throw wrongType(key, 'a JSON-serializable value', value);
      return encoded;
    }
    case 'text':
    case 'varchar':
      if (typeof value !== 'string') throw wrongType(key, 'a string', value);
      return value;
    case 'bigint':
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      throw wrongType(key, 'a bigint', value);
    case 'serial':
    case 'integer':
    case 'foreignKey':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'bigint') return value;
      throw wrongType(key, 'an integer', value);
    case 'real':
      // SQLite stores NaN as NULL: refuse it rather than lose the value.
      if (typeof value !== 'number' || Number.isNaN(value)) throw wrongType(key, 'a number (not NaN)', value);
      return value;
  }
}

/** A function that turns a stored value back into the column's JavaScript value, or `undefined` if none is needed. */
export function decoderFor(spec: ColumnSpec): ((stored: unknown) => unknown) | undefined {
  if (spec.type === 'foreignKey' && valueSpec(spec) !== spec) return decoderFor(valueSpec(spec));
  switch (spec.type) {
    case 'boolean':
      return (stored) => (stored === null ? null : stored === 1 || stored === 1n);
    case 'timestamp':
      return (stored) => (stored === null ? null : new Date(stored as string));
    case 'json':
      return (stored) => (stored === null ? null : JSON.parse(stored as string));
    case 'bigint':
      return (stored) => (stored === null || typeof stored === 'bigint' ? stored : BigInt(stored as number));
    default:
      return undefined;
  }
}

function wrongType(key: string, expected: string, value: unknown): PiccoError {
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'object' ? Object.prototype.toString.call(value) : JSON.stringify(value);
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `Column "${key}" expects ${expected}, got ${typeof value} ${shown}. Pass ${expected} for "${key}".`,
  );
}
