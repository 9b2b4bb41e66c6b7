import { AppError, printable } from '../../runtime/errors.js';

export type JsonPath = readonly PropertyKey[];

/** `['indicators', 1, 'params', 'period']` → `indicators[1].params.period`, the form users see in errors. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** A problem in a strategy spec or in the parameter values given for a run, located by its JSON path. */
export function specError(path: JsonPath | string, message: string, expected?: string, found?: unknown): AppError {
  const field = typeof path === 'string' ? path : formatJsonPath(path);
  const details: { field: string; expected?: string; found?: string } = { field };
  if (expected !== undefined) details.expected = expected;
  if (found !== undefined) details.found = printable(found);
  return new AppError('invalid_input', `${field}: ${message}`, details);
}
