import type { BarColumns } from '../../formats/types.js';
import { priceSource } from '../indicators/index.js';
import { barClock, type BarClock } from './bar-clock.js';
import { orInto } from './byte-columns.js';
import type { CompiledCondition, CompiledDistance, CompiledStrategy, SeriesSource } from './compiled-strategy.js';
import type { IndicatorCache } from './indicator-cache.js';
import { SignalEvaluator, type ConditionInputs } from './signals.js';
import type { DistanceColumn } from './simulate.js';

export interface RunSignals {
  entryLong: Uint8Array | null;
  exitLong: Uint8Array | null;
  entryShort: Uint8Array | null;
  exitShort: Uint8Array | null;
  stopLoss: DistanceColumn | null;
  takeProfit: DistanceColumn | null;
  trailingStop: DistanceColumn | null;
  /** 1 on bars where any of the four signals is 1: the run loop skips deciding on every other bar. */
  anySignal: Uint8Array;
}

/**
 * Everything the run loop reads besides the bars, as columns: the four signals and the stop/target
 * distances. Indicators, derived prices and the bar clock come from the cache, so candidates sharing
 * an indicator on the same data share its computation.
 */
export function runSignals(bars: BarColumns, strategy: CompiledStrategy, cache: IndicatorCache, dataKey: string): RunSignals {
  const inputs = conditionInputs(bars, strategy, cache, dataKey);
  const evaluator = new SignalEvaluator(inputs);
  const signal = (condition: CompiledCondition | null | undefined) => (condition ? evaluator.signal(condition) : null);
  const distance = (d: CompiledDistance | null): DistanceColumn | null => {
    if (d === null) return null;
    if (d.kind === 'price') return { series: null, value: d.distance };
    return { series: inputs.series({ kind: 'indicator', index: d.indicator, output: 'value' }), value: d.multiple };
  };
  const entryLong = signal(strategy.long?.entry);
  const exitLong = signal(strategy.long?.exit);
  const entryShort = signal(strategy.short?.entry);
  const exitShort = signal(strategy.short?.exit);
  const anySignal = new Uint8Array(bars.length);
  for (const column of [entryLong, exitLong, entryShort, exitShort]) if (column) orInto(anySignal, column);
  return {
    entryLong,
    exitLong,
    entryShort,
    exitShort,
    anySignal,
    stopLoss: distance(strategy.stopLoss),
    takeProfit: distance(strategy.takeProfit),
    trailingStop: distance(strategy.trailingStop),
  };
}

function conditionInputs(bars: BarColumns, strategy: CompiledStrategy, cache: IndicatorCache, dataKey: string): ConditionInputs {
  return {
    length: bars.length,
    series(source: SeriesSource): Float64Array {
      if (source.kind === 'indicator') {
        const output = cache.indicator(dataKey, bars, strategy.indicators[source.index]!)[source.output];
        if (!output) throw new Error(`indicator ${strategy.indicators[source.index]!.id} has no output ${source.output}`);
        return output;
      }
      const field = source.field;
      if (field === 'open' || field === 'high' || field === 'low' || field === 'close') return bars[field];
      return cache.getOrCompute(`${dataKey}|price|${field}`, () => ({ value: priceSource(bars, field) })).value as Float64Array;
    },
    clock(): BarClock {
      return cache.getOrCompute(`${dataKey}|clock`, () => ({ ...barClock(bars.time) })) as unknown as BarClock;
    },
  };
}
