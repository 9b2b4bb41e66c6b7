import { AppError } from '../../runtime/errors.js';
import type { ParameterDefinition, ParameterSpace, ParameterValue, ParameterValues } from './parameters-schema.js';

/**
 * The values of a run: every parameter's given value, checked against its definition, or its
 * default. Throws AppError('invalid_input') naming the parameter (`details.field`) for an unknown
 * name, a wrong type, a value outside min/max or an enum value not in the list. Values must already
 * be typed (numbers, booleans, strings); text from files is converted by the .cbotset and
 * optimisation-params converters.
 */
export function resolveParameterValues(parameters: ParameterSpace, given: Readonly<Record<string, unknown>> = {}): ParameterValues {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(parameters, name)) {
      const names = Object.keys(parameters);
      throw new AppError('invalid_input', `unknown parameter "${name}"; the strategy defines ${names.length > 0 ? names.join(', ') : 'none'}`, {
        field: name,
        expected: names.join(', '),
        found: name,
      });
    }
  }
  const values: ParameterValues = {};
  for (const [name, definition] of Object.entries(parameters)) {
    const value = Object.hasOwn(given, name) ? given[name] : definition.default;
    const problem = checkParameterValue(definition, value);
    if (problem !== null) {
      throw new AppError('invalid_input', `parameter ${name} must be ${problem}, got ${JSON.stringify(value) ?? String(value)}`, {
        field: name,
        expected: problem,
        found: JSON.stringify(value) ?? String(value),
      });
    }
    values[name] = value as ParameterValue;
  }
  return values;
}

/** null when `value` is acceptable, otherwise what was expected, as a phrase. */
export function checkParameterValue(definition: ParameterDefinition, value: unknown): string | null {
  switch (definition.type) {
    case 'int':
    case 'float': {
      const whole = definition.type === 'int';
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!whole || Number.isInteger(value)) &&
        (definition.min === undefined || value >= definition.min) &&
        (definition.max === undefined || value <= definition.max);
      return ok ? null : describeRange(whole ? 'an integer' : 'a number', definition.min, definition.max);
    }
    case 'bool':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'enum':
      return typeof value === 'string' && definition.values.includes(value) ? null : `one of ${definition.values.join(', ')}`;
  }
}

function describeRange(kind: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${kind} between ${min} and ${max}`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}
