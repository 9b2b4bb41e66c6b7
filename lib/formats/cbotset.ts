import { AppError } from '../runtime/errors.js';
import { readSmallJson, type PositionedValue } from './json-stream.js';
import { utf8Chunks } from './text-input.js';
import type { ByteSource, ParameterSet, ReadOptions } from './types.js';

/**
 * cTrader's `.cbotset`: `{"Chart": {"Symbol", "Period"}, "Parameters": {name: value}}`. Values are kept
 * exactly as written: cTrader accepts enum values as integers or as strings, and numbers written as
 * strings by other tools stay strings, so a round trip writes back what was read.
 */

export const MAX_PARAMETER_FILE_BYTES = 16 * 1024 * 1024;

export async function readCbotset(source: ByteSource, opts: Pick<ReadOptions, 'file'>): Promise<ParameterSet> {
  const values = await readSmallJson(utf8Chunks(source, { file: opts.file }), {
    file: opts.file,
    paths: ['$.*', '$.*.*'],
    maxBytes: MAX_PARAMETER_FILE_BYTES,
  });
  const topLevel = values.filter((v) => v.parentPath === '$');
  if (topLevel.length === 0 || topLevel.some((v) => typeof v.key !== 'string')) {
    throw new AppError('invalid_input', `${opts.file} is not a .cbotset: expected a JSON object with Chart and Parameters`, {
      file: opts.file,
      line: values[0]?.line ?? 1,
      expected: 'an object {"Chart": {...}, "Parameters": {...}}',
      found: topLevel.length === 0 ? 'an empty or non-object document' : 'an array',
    });
  }

  const set: ParameterSet = { parameters: {} };
  const extra: Record<string, unknown> = {};
  const parametersKey = topLevel.find((v) => String(v.key).toLowerCase() === 'parameters')?.key;
  const chartKey = topLevel.find((v) => String(v.key).toLowerCase() === 'chart')?.key;
  if (parametersKey === undefined) {
    throw new AppError('invalid_input', `${opts.file} has no Parameters object`, {
      file: opts.file,
      line: 1,
      field: 'Parameters',
      expected: 'a "Parameters" object of name: value',
      found: `keys ${topLevel.map((v) => v.key).join(', ')}`,
    });
  }

  for (const v of values) {
    if (v.parentPath === '$') {
      if (v.key !== parametersKey && v.key !== chartKey) extra[String(v.key)] = v.value;
      continue;
    }
    if (v.parentPath === `$.${String(parametersKey)}`) set.parameters[String(v.key)] = parameterValue(v, opts.file, String(parametersKey));
    else if (v.parentPath === `$.${String(chartKey)}`) readChartEntry(v, set, extra);
  }
  if (Object.keys(extra).length) set.extra = extra;
  return set;
}

function parameterValue(v: PositionedValue, file: string, parent: string): string | number | boolean {
  if (typeof v.value === 'string' || typeof v.value === 'boolean' || (typeof v.value === 'number' && Number.isFinite(v.value))) return v.value;
  throw new AppError('invalid_value', `${file} line ${v.line}: parameter "${String(v.key)}" has a value cTrader cannot hold`, {
    file,
    line: v.line,
    field: `${parent}.${String(v.key)}`,
    expected: 'a number, true/false or a string',
    found: JSON.stringify(v.value) ?? String(v.value),
  });
}

function readChartEntry(v: PositionedValue, set: ParameterSet, extra: Record<string, unknown>): void {
  const key = String(v.key);
  const lower = key.toLowerCase();
  if (lower === 'symbol' && typeof v.value === 'string') set.symbol = v.value;
  else if ((lower === 'period' || lower === 'timeframe') && typeof v.value === 'string') set.timeframe = v.value;
  else extra[`Chart.${key}`] = v.value;
}
