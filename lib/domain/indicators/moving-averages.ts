import { CompensatedSum } from './compensated-sum.js';
import { firstDefinedIndex, nanArray, requirePeriod } from './series.js';

/**
 * Simple moving average: the mean of the last `period` values. O(n): one running window sum with
 * Neumaier compensation, so the result does not drift from a freshly summed window even after
 * millions of bars (a plain running sum does; see moving-averages.test.ts). The first value is at
 * index `period - 1` (after any leading NaNs of the input).
 */
export function sma(values: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const out = nanArray(values.length);
  const first = firstDefinedIndex(values);
  const window = new CompensatedSum();
  for (let i = first; i < values.length; i++) {
    window.add(values[i]!);
    if (i - period >= first) window.add(-values[i - period]!);
    if (i >= first + period - 1) out[i] = window.value / period;
  }
  return out;
}

/**
 * Exponential moving average with alpha = 2 / (period + 1), seeded with the simple mean of the first
 * `period` values, which is what cTrader and most platforms do (seeding with the first value instead
 * would make the early values depend on one bar). Then EMA[i] = EMA[i-1] + alpha (x[i] - EMA[i-1]).
 * The first value is at index `period - 1` (after any leading NaNs of the input).
 */
export function ema(values: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const out = nanArray(values.length);
  const first = firstDefinedIndex(values);
  const seedAt = first + period - 1;
  if (seedAt >= values.length) return out;
  let seedSum = 0;
  for (let i = first; i <= seedAt; i++) seedSum += values[i]!;
  let previous = seedSum / period;
  out[seedAt] = previous;
  const alpha = 2 / (period + 1);
  for (let i = seedAt + 1; i < values.length; i++) {
    previous += alpha * (values[i]! - previous);
    out[i] = previous;
  }
  return out;
}

/**
 * Linearly weighted moving average: weights 1..period, the newest value weighing `period`, divided by
 * period (period + 1) / 2. Summed per window, O(n x period): exact, and the periods used are small.
 */
export function wma(values: Float64Array, period: number): Float64Array {
  requirePeriod('period', period);
  const out = nanArray(values.length);
  const first = firstDefinedIndex(values);
  const weightTotal = (period * (period + 1)) / 2;
  for (let i = first + period - 1; i < values.length; i++) {
    let weighted = 0;
    const oldest = i - period + 1;
    for (let w = 1; w <= period; w++) weighted += w * values[oldest + w - 1]!;
    out[i] = weighted / weightTotal;
  }
  return out;
}
