/**
 * Named parameters of prepared queries: `Band.id.eq(param('id'))`, `Band.insert({ name: param('name') })`,
 * `Band.update({ popularity: param('popularity') })`. A query holding parameters only runs
 * through `.prepare()`, which binds them by name on every run (see prepared-query.ts).
 *
 * Where a parameter sits in the statement is found without touching the compiler: a builder
 * that meets a `Param` puts a `ParamSlot` in the value node, where a value would be. The
 * compiler (of any dialect) treats it as one more value: it writes a placeholder and lists the
 * slot among the statement's values, in placeholder order. `prepare()` then finds the slots in
 * that list and replaces each with its encoded value on every run.
 *
 * Types: a condition carries the parameters it uses (`Condition<{ id: number }>`), and so do
 * the queries built from it, up to `prepare()`, whose `run({ ... })` wants exactly those values.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { SqlValue, ValueNode } from '../operation-node/nodes.js';
import { valueSpec, type ColumnSpec } from '../schema/column-builder.js';
import { encodeValue } from '../schema/values.js';

/** `param('id')`: a named value supplied when a prepared query runs. */
export class Param<N extends string = string> {
  constructor(readonly name: N) {}
}

/** A named parameter of a prepared query; its value's type comes from where it is used. */
export function param<const N extends string>(name: N): Param<N> {
  if (typeof name !== 'string' || name === '') {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `param() takes a non-empty name, for example param('id'); got ${JSON.stringify(name)}.`);
  }
  return new Param(name);
}

/**
 * A parameter's place among a compiled statement's values, with what encodes its value: the
 * spec of the column it is compared with or assigned to (`undefined`: a loosely typed operand).
 */
export class ParamSlot {
  constructor(
    readonly name: string,
    readonly spec: ColumnSpec | undefined,
    /** The column or expression it is used with, for messages. */
    readonly subject: string,
    /** Whether null is a meaningful value here (assigning a nullable column; never in a comparison). */
    readonly nullable: boolean,
    private readonly encodeLoosely: (value: unknown, usedIn: string) => SqlValue,
    /** A numeric column's scale: its encoded value is integer units. */
    readonly scale: number | undefined,
  ) {}

  /** This run's value of the parameter (`undefined`: none was given), encoded for its column. */
  encode(value: unknown): SqlValue {
    if (value === undefined) throw missingParam(this.name, this.subject);
    if (value === null) {
      if (this.nullable) return null;
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `Parameter "${this.name}" (${this.subject}) got null, which ${this.spec?.nullable === true ? 'a comparison never matches (= NULL is never true)' : 'this column does not accept'}. ` +
          `Pass a value${this.spec?.nullable === true ? ', or build a query with isNull() for NULL' : ''}.`,
      );
    }
    try {
      return this.spec === undefined ? this.encodeLoosely(value, `Parameter "${this.name}"`) : encodeValue(this.spec, this.subject, value);
    } catch (error) {
      if (!(error instanceof PiccoError)) throw error;
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `Parameter "${this.name}": ${error.message}`, { cause: error });
    }
  }
}

/**
 * The value node standing for a parameter (see the file comment). A numeric column's node
 * carries its scale, as a value's does (see `encodedValue`): the slot keeps it too, so that a run
 * on a dialect that sends decimals converts the encoded units as the compiler would.
 */
export function paramNode(param: Param, spec: ColumnSpec | undefined, subject: string, nullable: boolean, encodeLoosely: (value: unknown, usedIn: string) => SqlValue): ValueNode {
  const slot = paramSlot(param, spec, subject, nullable, encodeLoosely);
  const scale = (slot as unknown as ParamSlot).scale;
  return scale === undefined ? { kind: 'value', value: slot } : { kind: 'value', value: slot, scale };
}

/** The slot alone, as a statement value (an insert of one row keeps its values without nodes). */
export function paramSlot(param: Param, spec: ColumnSpec | undefined, subject: string, nullable: boolean, encodeLoosely: (value: unknown, usedIn: string) => SqlValue): SqlValue {
  const typed = spec === undefined ? undefined : valueSpec(spec);
  const scale = typed?.type === 'numeric' ? (typed.digits?.[1] ?? 0) : undefined;
  return new ParamSlot(param.name, spec, subject, nullable, encodeLoosely, scale) as unknown as SqlValue;
}

export function isParamSlot(value: unknown): value is ParamSlot {
  return value instanceof ParamSlot;
}

/** Whether a statement's values hold a parameter (then it runs only through `prepare()`). */
export function holdsParams(values: readonly unknown[]): boolean {
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (typeof value === 'object' && value instanceof ParamSlot) return true;
  }
  return false;
}

export function unpreparedParams(values: readonly unknown[], table: string | undefined): PiccoError {
  const names = [...new Set(values.filter(isParamSlot).map((slot) => slot.name))];
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `This query${table === undefined ? '' : ` on "${table}"`} has parameters (${names.map((name) => `param('${name}')`).join(', ')}), which get their values when a prepared query runs: ` +
      `const q = query.prepare(); q.runSync({ ${names.map((name) => `${name}: ...`).join(', ')} }) or await q.run({ ... }).`,
  );
}

function missingParam(name: string, subject: string): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_QUERY, `Parameter "${name}" (${subject}) got no value. Pass it to run(): run({ ${name}: ... }).`);
}

// ---- types

/** No parameters: what a query without `param()` takes (the empty object type). */
export type NoParams = Record<never, never>;

/** `Condition<P>`'s parameters for a value passed where a `TValue` goes: `{ id: number }` for `param('id')`. */
export type ParamOf<X, TValue> = X extends Param<infer N> ? { [K in N]: TValue } : NoParams;

/** `A | B` to `A & B`. */
export type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The parameters a query's run takes, as one flat object type (`NoParams` when it has none). */
export type ParamValues<P> = { [K in keyof P]: P[K] };
