import type { ParameterDefinition, ParameterSpace } from './parameters-schema.js';
import { specError } from './spec-error.js';

/**
 * Checks each definition makes sense on its own: ranges in order, default inside them, optimised
 * numeric parameters with a full range, enum defaults among the values. Throws an AppError naming the
 * JSON path (`parameters.fastPeriod.default`).
 */
export function checkParameterDefinitions(parameters: ParameterSpace): void {
  for (const [name, definition] of Object.entries(parameters)) checkDefinition(name, definition);
}

function checkDefinition(name: string, definition: ParameterDefinition): void {
  const path = (field: string): (string | number)[] => ['parameters', name, field];
  if (definition.type === 'int' || definition.type === 'float') {
    const { min, max, step } = definition;
    if (min !== undefined && max !== undefined && min > max) {
      throw specError(path('min'), `min ${min} is above max ${max}`, `min <= ${max}`, min);
    }
    if (min !== undefined && definition.default < min) {
      throw specError(path('default'), `default ${definition.default} is below min ${min}`, `>= ${min}`, definition.default);
    }
    if (max !== undefined && definition.default > max) {
      throw specError(path('default'), `default ${definition.default} is above max ${max}`, `<= ${max}`, definition.default);
    }
    if (definition.optimize === true && (min === undefined || max === undefined || step === undefined)) {
      const missing = (['min', 'max', 'step'] as const).filter((key) => definition[key] === undefined);
      const message = `an optimised ${definition.type} parameter needs min, max and step; ${missing.join(', ')} missing`;
      throw specError(path(missing[0]!), message, 'a number');
    }
  } else if (definition.type === 'enum') {
    const duplicate = definition.values.find((value, i) => definition.values.indexOf(value) !== i);
    if (duplicate !== undefined) throw specError(path('values'), `"${duplicate}" is listed twice`, 'distinct values', duplicate);
    if (!definition.values.includes(definition.default)) {
      throw specError(path('default'), `default "${definition.default}" is not one of the values`, definition.values.join(', '), definition.default);
    }
  }
}
