import { atr } from './atr.js';
import { bollingerBands } from './bollinger.js';
import { donchianChannel } from './donchian.js';
import { highest, lowest } from './extremes.js';
import { macd } from './macd.js';
import { ema, sma, wma } from './moving-averages.js';
import { priceSource, type PriceBars, type PriceSourceName } from './price-source.js';
import { rsi } from './rsi.js';
import { stochastic } from './stochastic.js';

export interface IndicatorParameter {
  readonly name: string;
  /** `integer` parameters are bar counts. */
  readonly type: 'integer' | 'number';
  readonly default: number;
  readonly min: number;
}

export type IndicatorParams = Readonly<Record<string, number>>;

export interface IndicatorDefinition {
  readonly name: string;
  readonly description: string;
  /**
   * `series` indicators read one price series chosen by a price source (default close);
   * `bars` indicators read high/low/close themselves.
   */
  readonly input: 'series' | 'bars';
  readonly parameters: readonly IndicatorParameter[];
  readonly outputs: readonly string[];
  /**
   * Leading bars on which at least one output is still NaN, i.e. the index of the first bar where
   * every output has a value. A run needs at least warmup + 1 bars to produce one value.
   * Missing parameters take their defaults.
   */
  warmup(params?: IndicatorParams): number;
  /** Computes every output over `bars`; missing parameters take their defaults. */
  compute(bars: PriceBars, params?: IndicatorParams, source?: PriceSourceName): Record<string, Float64Array>;
}

const period = (fallback: number): IndicatorParameter => ({ name: 'period', type: 'integer', default: fallback, min: 1 });

/**
 * Fills defaults and checks every parameter against its definition, throwing a RangeError that names
 * the indicator and parameter, including for names the indicator does not have (a typo in a strategy
 * spec must not silently fall back to a default).
 */
export function resolveIndicatorParams(
  definition: Pick<IndicatorDefinition, 'name' | 'parameters'>,
  params: IndicatorParams = {},
): Record<string, number> {
  const known = new Set(definition.parameters.map((p) => p.name));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      throw new RangeError(`${definition.name} has no parameter ${name}; it takes ${[...known].join(', ')}`);
    }
  }
  const resolved: Record<string, number> = {};
  for (const parameter of definition.parameters) {
    const value = params[parameter.name] ?? parameter.default;
    const qualifiedName = `${definition.name}.${parameter.name}`;
    const wholeEnough = parameter.type === 'number' || Number.isInteger(value);
    if (!Number.isFinite(value) || value < parameter.min || !wholeEnough) {
      const kind = parameter.type === 'integer' ? 'an integer' : 'a finite number';
      throw new RangeError(`${qualifiedName} must be ${kind} >= ${parameter.min}, got ${String(value)}`);
    }
    resolved[parameter.name] = value;
  }
  return resolved;
}

interface Spec {
  description: string;
  input: 'series' | 'bars';
  parameters: readonly IndicatorParameter[];
  outputs: readonly string[];
  warmup(p: Record<string, number>): number;
  run(bars: PriceBars, series: Float64Array, p: Record<string, number>): Record<string, Float64Array>;
}

function define(name: string, spec: Spec): IndicatorDefinition {
  const definition: IndicatorDefinition = {
    name,
    description: spec.description,
    input: spec.input,
    parameters: spec.parameters,
    outputs: spec.outputs,
    warmup: (params) => spec.warmup(resolveIndicatorParams(definition, params)),
    compute: (bars, params, source = 'close') => {
      const resolved = resolveIndicatorParams(definition, params);
      const series = spec.input === 'series' ? priceSource(bars, source) : bars.close;
      return spec.run(bars, series, resolved);
    },
  };
  return Object.freeze(definition);
}

/**
 * Every indicator a strategy spec can name, keyed by that name. The functions themselves are exported
 * too; this table is what lets the spec, the engine (warm-up, too few bars) and the docs describe
 * indicators without a second list.
 */
export const INDICATORS = Object.freeze({
  sma: define('sma', {
    description: 'Simple moving average',
    input: 'series',
    parameters: [period(14)],
    outputs: ['value'],
    warmup: (p) => p.period! - 1,
    run: (_bars, x, p) => ({ value: sma(x, p.period!) }),
  }),
  ema: define('ema', {
    description: 'Exponential moving average, alpha 2/(n+1), seeded with the SMA of the first n values',
    input: 'series',
    parameters: [period(14)],
    outputs: ['value'],
    warmup: (p) => p.period! - 1,
    run: (_bars, x, p) => ({ value: ema(x, p.period!) }),
  }),
  wma: define('wma', {
    description: 'Linearly weighted moving average',
    input: 'series',
    parameters: [period(14)],
    outputs: ['value'],
    warmup: (p) => p.period! - 1,
    run: (_bars, x, p) => ({ value: wma(x, p.period!) }),
  }),
  rsi: define('rsi', {
    description: 'Relative Strength Index, Wilder smoothing',
    input: 'series',
    parameters: [period(14)],
    outputs: ['value'],
    warmup: (p) => p.period!,
    run: (_bars, x, p) => ({ value: rsi(x, p.period!) }),
  }),
  macd: define('macd', {
    description: 'MACD: fast EMA - slow EMA, signal EMA, histogram',
    input: 'series',
    parameters: [
      { name: 'fastPeriod', type: 'integer', default: 12, min: 1 },
      { name: 'slowPeriod', type: 'integer', default: 26, min: 1 },
      { name: 'signalPeriod', type: 'integer', default: 9, min: 1 },
    ],
    outputs: ['macd', 'signal', 'histogram'],
    warmup: (p) => Math.max(p.fastPeriod!, p.slowPeriod!) + p.signalPeriod! - 2,
    run: (_bars, x, p) => ({ ...macd(x, p.fastPeriod!, p.slowPeriod!, p.signalPeriod!) }),
  }),
  bollinger: define('bollinger', {
    description: 'Bollinger Bands: SMA +/- deviations x population standard deviation',
    input: 'series',
    parameters: [period(20), { name: 'deviations', type: 'number', default: 2, min: 0 }],
    outputs: ['upper', 'middle', 'lower'],
    warmup: (p) => p.period! - 1,
    run: (_bars, x, p) => ({ ...bollingerBands(x, p.period!, p.deviations!) }),
  }),
  atr: define('atr', {
    description: 'Average True Range, Wilder smoothing',
    input: 'bars',
    parameters: [period(14)],
    outputs: ['value'],
    warmup: (p) => p.period! - 1,
    run: (bars, _x, p) => ({ value: atr(bars, p.period!) }),
  }),
  stochastic: define('stochastic', {
    description: 'Stochastic oscillator: %K slowed by an SMA, %D = SMA of %K',
    input: 'bars',
    parameters: [
      { name: 'kPeriod', type: 'integer', default: 14, min: 1 },
      { name: 'kSlowing', type: 'integer', default: 3, min: 1 },
      { name: 'dPeriod', type: 'integer', default: 3, min: 1 },
    ],
    outputs: ['k', 'd'],
    warmup: (p) => p.kPeriod! + p.kSlowing! + p.dPeriod! - 3,
    run: (bars, _x, p) => ({ ...stochastic(bars, p.kPeriod!, p.kSlowing!, p.dPeriod!) }),
  }),
  donchian: define('donchian', {
    description: 'Donchian channel: highest high, lowest low, their midpoint',
    input: 'bars',
    parameters: [period(20)],
    outputs: ['upper', 'middle', 'lower'],
    warmup: (p) => p.period! - 1,
    run: (bars, _x, p) => ({ ...donchianChannel(bars, p.period!) }),
  }),
  highest: define('highest', {
    description: 'Highest value over the last n bars',
    input: 'series',
    parameters: [period(14)],
    outputs: ['value'],
    warmup: (p) => p.period! - 1,
    run: (_bars, x, p) => ({ value: highest(x, p.period!) }),
  }),
  lowest: define('lowest', {
    description: 'Lowest value over the last n bars',
    input: 'series',
    parameters: [period(14)],
    outputs: ['value'],
    warmup: (p) => p.period! - 1,
    run: (_bars, x, p) => ({ value: lowest(x, p.period!) }),
  }),
} satisfies Record<string, IndicatorDefinition>);

export type IndicatorName = keyof typeof INDICATORS;

export function isIndicatorName(name: string): name is IndicatorName {
  return Object.hasOwn(INDICATORS, name);
}
