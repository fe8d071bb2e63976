/**
 * How `array(element)` columns travel: SQLite has no arrays, so a list is stored as JSON text,
 * each element in a JSON form of its own type that reads back exactly (Piccolo stores SQLite
 * arrays as JSON too): numbers and booleans as themselves, timestamps as ISO-8601 text, dates
 * as `YYYY-MM-DD`, bigints and decimals as their digits in a string, nested arrays as arrays.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import { valueSpec, type ColumnSpec, type ColumnType } from './column-builder.js';
import { decoderFor, encodeValue } from './values.js';

/** The element types an array can hold: each has a JSON form that reads back exactly. */
export const ARRAY_ELEMENT_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>([
  'integer',
  'smallint',
  'bigint',
  'real',
  'double',
  'text',
  'varchar',
  'boolean',
  'timestamp',
  'date',
  'time',
  'uuid',
  'numeric',
  'array',
]);

/** The JSON text of a list, every element checked as its element column would check it. */
export function encodeArray(spec: ColumnSpec, key: string, value: unknown): string {
  return JSON.stringify(jsonList(spec, key, value));
}

function jsonList(spec: ColumnSpec, key: string, value: unknown): unknown[] {
  const element = spec.element!;
  if (!Array.isArray(value)) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `Column "${key}" expects an array, got ${value === null ? 'null' : typeof value}. Pass an array, for example [1, 2, 3].`);
  }
  return value.map((item: unknown, index) => {
    const at = `${key}[${index}]`;
    if (item === null || item === undefined) {
      if (!element.nullable) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `Column "${key}" got ${String(item)} at index ${index}; its elements are not nullable. Make the element nullable(): array(integer().nullable()).`);
      return null;
    }
    return jsonElement(element, at, item);
  });
}

function jsonElement(element: ColumnSpec, at: string, item: unknown): unknown {
  switch (element.type) {
    case 'array':
      return jsonList(element, at, item);
    case 'boolean':
      if (typeof item !== 'boolean') encodeValue(element, at, item);
      return item;
    case 'real':
    case 'double':
      // JSON would write Infinity as null.
      if (typeof item !== 'number' || !Number.isFinite(item)) {
        throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `Column "${at}" expects a finite number, got ${String(item)}. JSON (how arrays are stored) has no Infinity or NaN.`);
      }
      return item;
    case 'bigint':
      return String(encodeValue(element, at, item));
    case 'numeric':
      // The canonical decimal string (`'50.0'` with digits [5, 2] is `'50.00'`).
      return decoderFor(element)!(encodeValue(element, at, item));
    default:
      return encodeValue(element, at, item);
  }
}

/** Reads the JSON text back, element by element. */
export function arrayDecoder(spec: ColumnSpec): (stored: unknown) => unknown {
  const decodeList = listDecoder(spec.element!);
  return (stored) => (stored === null ? null : decodeList(JSON.parse(stored as string)));
}

function listDecoder(element: ColumnSpec): (list: unknown[]) => unknown[] {
  const decode = elementDecoder(element);
  return decode === undefined ? (list) => list : (list) => list.map((item) => (item === null ? null : decode(item)));
}

function elementDecoder(element: ColumnSpec): ((item: unknown) => unknown) | undefined {
  switch (valueSpec(element).type) {
    case 'array':
      return listDecoder(element.element!) as (item: unknown) => unknown;
    case 'bigint':
      return (item) => BigInt(item as string);
    case 'numeric':
    case 'boolean':
      // Stored as the decimal string and as a JSON boolean: already the JavaScript value.
      return undefined;
    default:
      return decoderFor(element);
  }
}
