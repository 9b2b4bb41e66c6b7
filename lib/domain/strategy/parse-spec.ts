import type { z } from 'zod';
import { AppError } from '../../runtime/errors.js';
import { checkParameterDefinitions } from './parameter-rules.js';
import { formatJsonPath } from './spec-error.js';
import { checkSpecReferences } from './spec-references.js';
import { StrategySpec } from './spec-schema.js';

/**
 * Reads a strategy spec from parsed JSON: shape (zod), then each parameter definition, then every
 * reference between parts. Throws AppError('invalid_input') whose `details.field` is the JSON path of
 * the first problem (`indicators[1].params.period`); `details.issues` lists every shape problem found.
 */
export function parseStrategySpec(input: unknown): StrategySpec {
  const parsed = StrategySpec.safeParse(input);
  if (!parsed.success) throw shapeError(parsed.error);
  checkParameterDefinitions(parsed.data.parameters);
  checkSpecReferences(parsed.data);
  return parsed.data;
}

function shapeError(error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({ field: formatJsonPath(issue.path), message: issue.message }));
  const first = error.issues[0]!;
  const field = formatJsonPath(first.path);
  const expected = first.code === 'invalid_union' && 'options' in first && Array.isArray(first.options) ? first.options.join(', ') : undefined;
  return new AppError('invalid_input', `${field}: ${first.message}`, { field, issues, ...(expected === undefined ? {} : { expected }) });
}
