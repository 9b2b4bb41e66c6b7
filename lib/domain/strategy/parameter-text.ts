import { AppError } from '../../runtime/errors.js';
import type { ParameterDefinition, ParameterValue } from './parameters-schema.js';

/** Plain decimal text; Number() alone would also accept "", "0x1F" and "Infinity". */
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * Turns a parameter value as cTrader files carry it into the spec's type. cTrader writes values as
 * strings in optimisation params and as strings or JSON values in .cbotset files; enums may be written
 * as their index ("0", 1) instead of their name; bools as "True"/"False" (C# spelling) or JSON booleans.
 */
export function parameterFromText(name: string, definition: ParameterDefinition, raw: string | number | boolean): ParameterValue {
  const fail = (expected: string): never => {
    throw new AppError('invalid_input', `parameter ${name}: cannot read ${JSON.stringify(raw)} as ${expected}`, {
      field: name,
      expected,
      found: String(raw),
    });
  };
  switch (definition.type) {
    case 'int':
    case 'float': {
      const numeric = typeof raw === 'string' && DECIMAL.test(raw);
      const value = typeof raw === 'number' ? raw : numeric ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) return fail(definition.type === 'int' ? 'an integer' : 'a number');
      if (definition.type === 'int' && !Number.isInteger(value)) return fail('an integer');
      return value;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return fail('true or false');
    }
    case 'enum': {
      const text = String(raw);
      if (definition.values.includes(text)) return text;
      const index = Number(text);
      if (Number.isInteger(index) && index >= 0 && index < definition.values.length) return definition.values[index]!;
      return fail(`one of ${definition.values.join(', ')} (or its index)`);
    }
  }
}

/** How cTrader spells a value in text: numbers in plain decimal, bools as C# does ("True"/"False"). */
export function parameterToText(value: ParameterValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}
