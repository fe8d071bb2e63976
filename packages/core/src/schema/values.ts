/**
 * How JavaScript values travel to SQLite and back, by column type:
 * booleans as 0/1, timestamps as ISO-8601 text, json as text, bigint as 64-bit integers.
 * A value is stored exactly or refused with `INVALID_QUERY`: never rounded, never replaced.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { SqlValue, ValueNode } from '../operation-node/nodes.js';
import { arrayDecoder, encodeArray } from './array-values.js';
import { valueSpec, type ColumnSpec } from './column-builder.js';

export function encodeValue(spec: ColumnSpec, key: string, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  // The commonest pairs first, each exactly as its case below accepts it: a string for a text
  // column without choices, a whole number for an integer one (the switch below tests the
  // type against up to 16 names first).
  const type = spec.type;
  if (typeof value === 'string') {
    if ((type === 'text' || type === 'varchar') && spec.choices === undefined) return value;
  } else if (typeof value === 'number') {
    if ((type === 'integer' || type === 'serial') && Number.isInteger(value)) return value;
  }
  if (spec.type === 'foreignKey' && valueSpec(spec) !== spec) return encodeValue(valueSpec(spec), key, value);
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(key, 'a boolean', value);
      return value ? 1 : 0;
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw wrongType(key, 'a valid Date', value);
      return encodeTimestamp(key, value);
    case 'json':
      return encodeJson(key, value);
    case 'array':
      return encodeArray(spec, key, value);
    case 'text':
    case 'varchar':
      if (typeof value !== 'string') throw wrongType(key, 'a string', value);
      if (spec.choices !== undefined && !spec.choices.includes(value)) throw wrongType(key, `one of ${spec.choices.map((choice) => JSON.stringify(choice)).join(', ')}`, value);
      return value;
    case 'smallint':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -32768 || value > 32767) throw wrongType(key, 'a whole number from -32768 to 32767', value);
      return value;
    case 'double':
      if (typeof value !== 'number' || Number.isNaN(value)) throw wrongType(key, 'a number (not NaN)', value);
      return value;
    case 'date': {
      // A Date with a time of day would lose it: refuse rather than truncate silently.
      if (!(value instanceof Date) || Number.isNaN(value.getTime()) || value.getTime() % DAY_MS !== 0) throw wrongType(key, 'a Date at UTC midnight (new Date("2024-05-01"))', value);
      return value.toISOString().slice(0, 10);
    }
    case 'time':
      if (typeof value !== 'string' || !TIME_PATTERN.test(value)) throw wrongType(key, 'a time of day as "HH:MM", "HH:MM:SS" or "HH:MM:SS.sss"', value);
      return value;
    case 'uuid':
      if (typeof value !== 'string' || !UUID_PATTERN.test(value)) throw wrongType(key, 'a UUID string such as "0b6b5e76-1d8b-4b1e-9d6a-3a1f2c4d5e6f"', value);
      return value;
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw wrongType(key, 'a Uint8Array or Buffer', value);
      return value;
    case 'numeric':
      return encodeDecimal(spec, key, value);
    case 'bigint': {
      if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) throw wrongType(key, 'a bigint', value);
      const integer = BigInt(value);
      if (integer < INT64_MIN || integer > INT64_MAX) {
        throw new PiccoError(
          PiccoErrorCode.INVALID_QUERY,
          `Column "${key}" got ${integer}n, which does not fit in SQLite's 64-bit integers (-2^63 to 2^63 - 1); SQLite would store it as a rounded float. ` +
            `Keep the value in that range, or store it in a text() column as a string.`,
        );
      }
      return integer;
    }
    case 'serial':
    case 'integer':
    case 'foreignKey':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'bigint') {
        // These columns read back as numbers: beyond 2^53 the value would come back rounded.
        if (value < -MAX_SAFE || value > MAX_SAFE) {
          throw new PiccoError(
            PiccoErrorCode.INVALID_QUERY,
            `Column "${key}" got ${value}n, beyond Number.MAX_SAFE_INTEGER (2^53 - 1); it reads back as a JavaScript number and would come back rounded. ` +
              `Use a bigint() column for values this large.`,
          );
        }
        return value;
      }
      throw wrongType(key, 'an integer', value);
    case 'real':
      // SQLite stores NaN as NULL: refuse it rather than lose the value.
      if (typeof value !== 'number' || Number.isNaN(value)) throw wrongType(key, 'a number (not NaN)', value);
      return value;
  }
}

/**
 * A value node for `value` encoded for `spec`. A numeric value (integer units) carries its
 * scale, so that a dialect whose parameters are decimals (PostgreSQL) can write it as one.
 */
export function encodedValue(spec: ColumnSpec, key: string, value: unknown): ValueNode {
  return valueNodeOf(spec, encodeValue(spec, key, value));
}

/** The value node of a value already encoded for `spec` (or of a parameter's slot): see `encodedValue`. */
export function valueNodeOf(spec: ColumnSpec, encoded: SqlValue): ValueNode {
  const typed = valueSpec(spec);
  if (typed.type === 'numeric' && encoded !== null) return { kind: 'value', value: encoded, scale: typed.digits?.[1] ?? 0 };
  return { kind: 'value', value: encoded };
}

/**
 * A function that turns a stored value back into the column's JavaScript value, or `undefined`
 * if none is needed. It reads what either engine returns: SQLite's 0/1, text and integer units,
 * and PostgreSQL's booleans, Dates (timestamptz) and decimal text (numeric); the PostgreSQL
 * engine returns json and date columns as their text, as SQLite does.
 */
export function decoderFor(spec: ColumnSpec): ((stored: unknown) => unknown) | undefined {
  if (spec.type === 'foreignKey' && valueSpec(spec) !== spec) return decoderFor(valueSpec(spec));
  switch (spec.type) {
    case 'boolean':
      return (stored) => (stored === null ? null : stored === 1 || stored === 1n || stored === true);
    case 'timestamp':
      return decodeTimestamp;
    case 'json':
      return (stored) => (stored === null ? null : JSON.parse(stored as string));
    case 'array':
      return arrayDecoder(spec);
    case 'bigint':
      return (stored) => (stored === null || typeof stored === 'bigint' ? stored : BigInt(stored as number));
    case 'date':
      return (stored) => (stored === null ? null : new Date(`${stored as string}T00:00:00.000Z`));
    case 'numeric': {
      const scale = spec.digits?.[1] ?? 0;
      return (stored) => (stored === null ? null : typeof stored === 'string' ? roundDecimalText(stored, scale) : decodeDecimal(stored as number | bigint, scale));
    }
    case 'bytes':
      // Across threads a Buffer arrives as a plain Uint8Array: give every engine's rows the same type.
      return (stored) => (stored === null || typeof Buffer === 'undefined' || Buffer.isBuffer(stored) ? stored : Buffer.from(stored as Uint8Array));
    default:
      return undefined;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// ---- timestamps

/**
 * SQLite's date functions, and so the comparisons Picco compiles for timestamp columns (see
 * the compiler's `timestampExpression`), know only years 0000 to 9999; `toISOString` writes
 * others as `+010000-...`, text that neither sorts nor compares with the rest.
 */
function encodeTimestamp(key: string, value: Date): string {
  const year = value.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `Column "${key}" got a Date in the year ${year}; SQLite's date functions cover the years 0000 to 9999 only. Pass a Date within them.`,
    );
  }
  return value.toISOString();
}

/**
 * A stored timestamp back to a Date. Picco writes ISO-8601 in UTC (`2022-01-01T21:00:00.000Z`);
 * SQLite itself (`CURRENT_TIMESTAMP`, `datetime()`) and many tools write `2022-01-01 21:00:00`,
 * which SQLite means as UTC but JavaScript's `Date` would read as local time. Both, and the
 * other forms SQLite accepts (no seconds, a `T` or a space, an offset, a bare date), are read
 * as SQLite reads them.
 */
function decodeTimestamp(stored: unknown): Date | null {
  if (stored === null) return null;
  if (stored instanceof Date) return stored;
  if (typeof stored !== 'string') return new Date(stored as number);
  // Picco's own format, the common case: the Date parser reads it as UTC already.
  if (stored.length === 24 && stored.charCodeAt(10) === 84 /* T */ && stored.charCodeAt(23) === 90 /* Z */) return new Date(stored);
  const match = SQLITE_TIMESTAMP.exec(stored);
  if (match === null) return new Date(stored);
  const [, year, month, day, hours = '0', minutes = '0', seconds = '0', fraction = '', zone = 'Z'] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Math.round(Number(`0.${fraction || '0'}`) * 1000));
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [offsetHours, offsetMinutes] = zone.slice(1).split(':').map(Number) as [number, number];
    date.setTime(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
  }
  return date;
}

/** `YYYY-MM-DD`, optionally `[ T]HH:MM[:SS[.fff]]` and a zone (`Z`, `+HH:MM`): SQLite's time values. */
const SQLITE_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:\d{2})?$/i;

// ---- json

/**
 * JSON text for a json column. `JSON.stringify` would silently store NaN and Infinity as
 * `null`, and throws a bare TypeError for a bigint or a cycle: each is refused with a way out.
 */
function encodeJson(key: string, value: unknown): string {
  let encoded: string | undefined;
  try {
    encoded = JSON.stringify(value);
  } catch (error) {
    const circular = error instanceof TypeError && /circular/i.test(error.message);
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      circular
        ? `Column "${key}" got a value that contains itself (a circular reference), which JSON cannot represent. Store a copy without the cycle.`
        : `Column "${key}" got a value JSON cannot represent (${error instanceof Error ? error.message : String(error)}). ` +
            `Convert bigints to strings or numbers first (or give the value a toJSON method).`,
      { cause: error },
    );
  }
  if (encoded === undefined) throw wrongType(key, 'a JSON-serializable value', value);
  // Only a text containing null can hide a number that JSON turned into null, and only one
  // containing {} a Map or Set that JSON emptied: look closer then (rarely, and off the hot path).
  if (encoded.includes('null') || encoded.includes('{}')) JSON.stringify(value, refuseLossy(key));
  return encoded;
}

function refuseLossy(key: string): (this: unknown, property: string, value: unknown) => unknown {
  return function (property, value) {
    const where = property === '' ? '' : ` at ${JSON.stringify(property)}`;
    if (value instanceof Map || value instanceof Set) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `Column "${key}" got a ${value instanceof Map ? 'Map' : 'Set'}${where}; JSON would store it as {} and lose its entries. ` +
          `Convert it first, for example with Object.fromEntries(map) or [...set].`,
      );
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `Column "${key}" got ${String(value)}${where}; JSON has no ${String(value)} and would store null instead. ` +
          `Store null, a finite number or a string explicitly.`,
      );
    }
    return value;
  };
}

/** `'12.34'` in a `[5, 2]` column: the integer 1234n. Too many digits are refused, never rounded. */
function encodeDecimal(spec: ColumnSpec, key: string, value: unknown): bigint {
  const [precision, scale] = spec.digits ?? [18, 0];
  const expected = `a decimal string with at most ${precision - scale} digits before the point and ${scale} after (numeric [${precision}, ${scale}])`;
  const text = typeof value === 'string' ? value.trim() : typeof value === 'bigint' ? value.toString() : undefined;
  const match = text === undefined ? null : /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) throw wrongType(key, expected, value);
  const whole = match[2]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > scale || (whole === '0' ? 0 : whole.length) > precision - scale) throw wrongType(key, expected, value);
  const units = BigInt(whole + fraction.padEnd(scale, '0'));
  return match[1] === '-' ? -units : units;
}

/** The stored integer back to its decimal string; an average (a float) is rounded to the column's scale. */
function decodeDecimal(stored: number | bigint, scale: number): string {
  if (typeof stored === 'number' && !Number.isInteger(stored)) return (stored / 10 ** scale).toFixed(scale);
  return decimalFromUnits(BigInt(stored), scale);
}

/** `1234n` at scale 2: `'12.34'`. */
export function decimalFromUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * PostgreSQL's numeric text (`'12.30'`, or an average's `'12.3333333333333333'`) at exactly
 * `scale` digits after the point, rounded half away from zero as PostgreSQL's round() does.
 */
function roundDecimalText(text: string, scale: number): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (match === null) return text; // NaN, Infinity: nothing to round.
  const [, sign, whole, fraction = ''] = match;
  let units = BigInt(whole! + fraction.slice(0, scale).padEnd(scale, '0'));
  if ((fraction[scale] ?? '0') >= '5') units += 1n;
  return decimalFromUnits(sign === '-' ? -units : units, scale);
}

const DAY_MS = 86_400_000;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refused value as a message shows it (JSON would show NaN as `null` and a function as nothing). */
function shownValue(value: unknown): string {
  switch (typeof value) {
    case 'bigint':
      return `${value}n`;
    case 'number':
    case 'symbol':
      return String(value);
    case 'function':
      return value.name === '' ? '(anonymous)' : value.name;
    case 'object':
      return Object.prototype.toString.call(value);
    default:
      return JSON.stringify(value);
  }
}

function wrongType(key: string, expected: string, value: unknown): PiccoError {
  const shown = shownValue(value);
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `Column "${key}" expects ${expected}, got ${typeof value} ${shown}. Pass ${expected} for "${key}".`,
  );
}
