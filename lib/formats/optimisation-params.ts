import { AppError } from '../runtime/errors.js';
import { MAX_PARAMETER_FILE_BYTES } from './cbotset.js';
import { parseCtraderNumber } from './ctrader-number.js';
import { readSmallJson, type PositionedValue } from './json-stream.js';
import { utf8Chunks } from './text-input.js';
import type { ByteSource, OptimisationParameter, OptimisationParams, ReadOptions } from './types.js';

/**
 * cTrader CLI `optimize --params` JSON: `{"parameters": [{"Name", "Optimize", "Min", "Max", "Step"} |
 * {"Name", "Optimize", "Values"} | {"Name", "Optimize": false, "Value"}]}`. Min/Max/Step are written as
 * strings and read as numbers; Values and Value are kept as written. A range that cannot be walked
 * (Min > Max, Step ≤ 0) is an error naming the parameter, since an optimiser cannot run on it.
 */

const ENTRY_KEYS = new Set(['name', 'optimize', 'min', 'max', 'step', 'values', 'value']);

export async function readOptimisationParams(source: ByteSource, opts: Pick<ReadOptions, 'file'>): Promise<OptimisationParams> {
  const file = opts.file;
  const values = await readSmallJson(utf8Chunks(source, { file }), { file, paths: ['$.*', '$.*.*'], maxBytes: MAX_PARAMETER_FILE_BYTES });
  const topLevel = values.filter((v) => v.parentPath === '$' && typeof v.key === 'string');
  const list = topLevel.find((v) => String(v.key).toLowerCase() === 'parameters');
  if (!list || !Array.isArray(list.value)) {
    throw new AppError('invalid_input', `${file} is not a cTrader optimisation parameter file: it has no "parameters" array`, {
      file,
      line: list?.line ?? 1,
      field: 'parameters',
      expected: 'an object {"parameters": [{"Name": ..., "Optimize": ...}]}',
      found: list ? typeof list.value : 'no "parameters" key',
    });
  }

  const result: OptimisationParams = { parameters: [] };
  const extra: Record<string, unknown> = {};
  for (const v of topLevel) {
    const key = String(v.key);
    const lower = key.toLowerCase();
    if (v === list) continue;
    if (lower === 'criteria') result.criteria = v.value;
    else if ((lower === 'method' || lower === 'optimizationmethod') && typeof v.value === 'string') result.method = v.value;
    else extra[key] = v.value;
  }
  for (const entry of values) if (entry.parentPath === `$.${String(list.key)}`) result.parameters.push(toParameter(entry, file, String(list.key)));
  if (Object.keys(extra).length) result.extra = extra;
  return result;
}

function toParameter(entry: PositionedValue, file: string, listKey: string): OptimisationParameter {
  const where = `${listKey}[${String(entry.key)}]`;
  const fail = (field: string, expected: string, found: unknown, name?: string): AppError =>
    new AppError('invalid_value', `${file} line ${entry.line}: ${name ? `parameter "${name}": ` : ''}${field} must be ${expected}`, {
      file,
      line: entry.line,
      field: `${where}.${field}`,
      expected,
      found: JSON.stringify(found) ?? String(found),
      parameter: name,
    });
  if (typeof entry.value !== 'object' || entry.value === null || Array.isArray(entry.value)) {
    throw fail('entry', 'an object with Name and Optimize', entry.value);
  }
  const raw = entry.value as Record<string, unknown>;
  const get = (key: string): unknown => raw[Object.keys(raw).find((k) => k.toLowerCase() === key) ?? key];
  const name = get('name');
  if (typeof name !== 'string' || name.trim() === '') throw fail('Name', 'the parameter name', name);

  const parameter: OptimisationParameter = { name, optimize: false };
  const optimize = get('optimize');
  const hasRange = get('min') !== undefined || get('max') !== undefined || get('step') !== undefined;
  const listed = get('values');
  if (optimize === undefined) parameter.optimize = hasRange || listed !== undefined;
  else if (typeof optimize === 'boolean') parameter.optimize = optimize;
  else if (optimize === 'true' || optimize === 'false') parameter.optimize = optimize === 'true';
  else throw fail('Optimize', 'true or false', optimize, name);

  const value = get('value');
  if (value !== undefined) {
    if (!isScalar(value)) throw fail('Value', 'a number, true/false or a string', value, name);
    parameter.value = value;
  }

  if (hasRange) {
    const number = (key: 'min' | 'max' | 'step', label: string): number => {
      const text = get(key);
      const parsed = typeof text === 'number' ? text : typeof text === 'string' ? parseCtraderNumber(text) : undefined;
      if (typeof parsed !== 'number' || !Number.isFinite(parsed)) throw fail(label, 'a number (e.g. "5")', text, name);
      return parsed;
    };
    parameter.min = number('min', 'Min');
    parameter.max = number('max', 'Max');
    parameter.step = number('step', 'Step');
    if (parameter.min > parameter.max) throw fail('Min', `at most Max (${parameter.max})`, get('min'), name);
    if (parameter.step <= 0) throw fail('Step', 'greater than 0', get('step'), name);
  }

  if (listed !== undefined) {
    if (!Array.isArray(listed) || !listed.every(isScalar)) throw fail('Values', 'a list of numbers, true/false or strings', listed, name);
    if (parameter.optimize && listed.length === 0) throw fail('Values', 'a non-empty list when Optimize is true', listed, name);
    parameter.values = listed;
  }
  if (parameter.optimize && !hasRange && listed === undefined) throw fail('Optimize', 'false unless Min/Max/Step or Values are given', optimize, name);

  const extra: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(raw)) if (!ENTRY_KEYS.has(key.toLowerCase())) extra[key] = v;
  if (Object.keys(extra).length) parameter.extra = extra;
  return parameter;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
