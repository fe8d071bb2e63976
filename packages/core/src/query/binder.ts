/**
 * What binds one run of a prepared query: each parameter's value read by its name, encoded for
 * its column, and put at its place among the statement's values; then a check that no other name
 * was given (an extra name is a mistake the run must not silently ignore).
 *
 * Compiled once per prepared query (`new Function`), so that each parameter is read by a
 * constant name (`values["id"]`): a property load V8 caches for the one shape of object that
 * call site sees. A loop reading `values[slot.name]` shares one call site among every prepared
 * query and every name, and goes through V8's megamorphic cache on each read. When code
 * generation is off (`--disallow-code-generation-from-strings`), that loop does the same work.
 */
import type { PiccoError } from '../errors.js';
import type { SqlValue } from '../operation-node/nodes.js';
import { valueSpec } from '../schema/column-builder.js';
import type { ParamSlot } from './param.js';

/** A run's values (an object already checked to be one) to the statement's values: a new list. */
export type Binder = (values: Readonly<Record<string, unknown>>) => SqlValue[];

export interface BinderParts {
  /** The statement's values as compiled: constants, and a `ParamSlot` where each parameter goes. */
  readonly template: readonly SqlValue[];
  readonly slots: readonly ParamSlot[];
  /** Each slot's position in `template`. */
  readonly slotIndexes: readonly number[];
  /** How many distinct names the parameters have. */
  readonly nameCount: number;
  /** How the engine's dialect sends a numeric value (integer units), if not as the units themselves. */
  readonly toDecimal: ((units: bigint, scale: number) => SqlValue) | undefined;
  /** The error for a run given names the query does not have. */
  readonly unknownNames: (values: Readonly<Record<string, unknown>>) => PiccoError;
}

export function binderFor(parts: BinderParts): Binder {
  try {
    return compiledBinder(parts);
  } catch {
    return loopBinder(parts);
  }
}

function compiledBinder({ template, slots, slotIndexes, nameCount, toDecimal, unknownNames }: BinderParts): Binder {
  // Every value a parameter (an insert's): nothing to copy (a slice costs ~10 ns more, measured).
  const fresh = slots.length === template.length ? `new Array(${template.length})` : 'template.slice()';
  const assignments = slots.map((slot, index) => {
    const encoded = `slot${index}.encode(value)`;
    const fast = passesAsIs(slot);
    // The commonest values go as they are, exactly as `encode` would pass them (a string for a
    // text column without choices, a whole number for an integer one), without its call.
    const checked = fast === 'string' ? `typeof value === 'string' ? value : ${encoded}` : fast === 'integer' ? `Number.isInteger(value) ? value : ${encoded}` : encoded;
    const placed = converts(slot, toDecimal) ? `asDecimal(${checked}, ${slot.scale})` : checked;
    return `value = values[${JSON.stringify(slot.name)}];\n      bound[${slotIndexes[index]}] = ${placed};`;
  });
  const source = `
    ${slots.map((_, index) => `const slot${index} = slots[${index}];`).join('\n')}
    return function bind(values) {
      const bound = ${fresh};
      let value;
      ${assignments.join('\n      ')}
      let given = 0;
      for (const key in values) if (values[key] !== undefined) given++;
      if (given !== ${nameCount}) throw unknownNames(values);
      return bound;
    };`;
  const asDecimal = (value: SqlValue, scale: number): SqlValue => decimalOf(value, scale, toDecimal!);
  return new Function('template', 'slots', 'unknownNames', 'asDecimal', source)(template, slots, unknownNames, asDecimal) as Binder;
}

function loopBinder({ template, slots, slotIndexes, nameCount, toDecimal, unknownNames }: BinderParts): Binder {
  return (values) => {
    const bound = slots.length === template.length ? new Array<SqlValue>(template.length) : template.slice();
    for (let index = 0; index < slots.length; index++) {
      const slot = slots[index]!;
      const value = slot.encode(values[slot.name]);
      bound[slotIndexes[index]!] = converts(slot, toDecimal) ? decimalOf(value, slot.scale!, toDecimal!) : value;
    }
    // Every name was found (or encode threw): a different count of keys means an unknown one.
    let given = 0;
    for (const key in values) if (values[key] !== undefined) given++;
    if (given !== nameCount) throw unknownNames(values);
    return bound;
  };
}

/** Which values a slot's `encode` returns unchanged, known from its column alone. */
function passesAsIs(slot: ParamSlot): 'string' | 'integer' | undefined {
  if (slot.spec === undefined) return undefined;
  const spec = valueSpec(slot.spec);
  if ((spec.type === 'text' || spec.type === 'varchar') && spec.choices === undefined) return 'string';
  if (spec.type === 'integer' || spec.type === 'serial') return 'integer';
  return undefined;
}

/** A numeric column's value is integer units; a dialect that sends decimals gets it as the compiler would send it. */
function converts(slot: ParamSlot, toDecimal: BinderParts['toDecimal']): boolean {
  return slot.scale !== undefined && toDecimal !== undefined;
}

function decimalOf(value: SqlValue, scale: number, toDecimal: (units: bigint, scale: number) => SqlValue): SqlValue {
  return typeof value === 'bigint' || typeof value === 'number' ? toDecimal(BigInt(value), scale) : value;
}
