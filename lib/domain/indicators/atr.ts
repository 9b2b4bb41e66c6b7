import type { PriceBars } from './price-source.js';
import { nanArray, requirePeriod, requireSameLength } from './series.js';

export type RangeBars = Pick<PriceBars, 'high' | 'low' | 'close'>;

/**
 * True range: max(H - L, |H - previous C|, |L - previous C|), so a gap counts as range. The first bar
 * has no previous close and its TR is H - L.
 */
export function trueRange(bars: RangeBars): Float64Array {
  const { high, low, close } = bars;
  const length = requireSameLength({ high, low, close });
  const out = new Float64Array(length);
  if (length > 0) out[0] = high[0]! - low[0]!;
  for (let i = 1; i < length; i++) {
    const previousClose = close[i - 1]!;
    out[i] = Math.max(high[i]! - low[i]!, Math.abs(high[i]! - previousClose), Math.abs(low[i]! - previousClose));
  }
  return out;
}

/**
 * Average True Range with Wilder smoothing: seeded with the simple mean of the first `period` true
 * ranges (bar 0 included), then ATR = (ATR(previous) (period - 1) + TR) / period. First value at
 * index `period - 1`.
 */
export function atr(bars: RangeBars, period = 14): Float64Array {
  requirePeriod('period', period);
  const ranges = trueRange(bars);
  const out = nanArray(ranges.length);
  if (ranges.length < period) return out;
  let seedSum = 0;
  for (let i = 0; i < period; i++) seedSum += ranges[i]!;
  let average = seedSum / period;
  out[period - 1] = average;
  for (let i = period; i < ranges.length; i++) {
    average = (average * (period - 1) + ranges[i]!) / period;
    out[i] = average;
  }
  return out;
}
