import { z } from 'zod';
import { AppError } from '../../runtime/errors.js';
import type { ParameterSet } from '../../formats/types.js';
import { parameterFromText } from './parameter-text.js';
import { resolveParameterValues } from './parameter-values.js';
import type { ParameterSpace, ParameterValues } from './parameters-schema.js';

/** A cTrader .cbotset document: the chart it runs on and one value per parameter. */
export const CbotsetJson = z.looseObject({
  Chart: z.looseObject({ Symbol: z.string().optional(), Period: z.string().optional() }).optional(),
  Parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type CbotsetJson = z.infer<typeof CbotsetJson>;

export interface Chart {
  symbol?: string;
  /** cTrader period token: m1, h1, d1, ... */
  timeframe?: string;
}

/**
 * A run's parameter values as a .cbotset. Values are written as JSON numbers, booleans and enum names,
 * which cTrader reads; the chart is included when a symbol or timeframe is given.
 */
export function toCbotset(space: ParameterSpace, values: Readonly<Record<string, unknown>>, chart: Chart = {}): CbotsetJson {
  const Parameters = { ...resolveParameterValues(space, values) };
  if (chart.symbol === undefined && chart.timeframe === undefined) return { Parameters };
  const Chart: { Symbol?: string; Period?: string } = {};
  if (chart.symbol !== undefined) Chart.Symbol = chart.symbol;
  if (chart.timeframe !== undefined) Chart.Period = chart.timeframe;
  return { Chart, Parameters };
}

/** Reads a .cbotset (parsed JSON) into checked values for the spec, plus its chart. */
export function fromCbotset(space: ParameterSpace, json: unknown): { values: ParameterValues } & Chart {
  const parsed = CbotsetJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw new AppError('invalid_input', `.cbotset ${field || '(root)'}: ${issue.message}`, { field, expected: '{"Chart":{...},"Parameters":{...}}' });
  }
  const set: ParameterSet = { parameters: parsed.data.Parameters };
  if (parsed.data.Chart?.Symbol !== undefined) set.symbol = parsed.data.Chart.Symbol;
  if (parsed.data.Chart?.Period !== undefined) set.timeframe = parsed.data.Chart.Period;
  const out: { values: ParameterValues } & Chart = { values: parameterSetToValues(space, set) };
  if (set.symbol !== undefined) out.symbol = set.symbol;
  if (set.timeframe !== undefined) out.timeframe = set.timeframe;
  return out;
}

/**
 * A parameter set (as the .cbotset reader in lib/formats produces it) as checked values: text is
 * converted to each parameter's type, unknown names are refused (a typo must not silently run the
 * default), missing ones take their defaults.
 */
export function parameterSetToValues(space: ParameterSpace, set: ParameterSet): ParameterValues {
  const typed: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(set.parameters)) {
    const definition = space[name];
    typed[name] = definition ? parameterFromText(name, definition, raw) : raw;
  }
  return resolveParameterValues(space, typed);
}
