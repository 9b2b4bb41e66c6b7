import type { RangeBars } from './atr.js';
import { highest, lowest } from './extremes.js';
import { sma } from './moving-averages.js';
import { nanArray, requirePeriod, requireSameLength } from './series.js';

export interface StochasticLines {
  /** %K, slowed by an SMA of `kSlowing` bars (1 = raw %K). */
  k: Float64Array;
  /** SMA of %K over `dPeriod` bars. */
  d: Float64Array;
}

/**
 * Stochastic oscillator. Raw %K = 100 (C - lowest low) / (highest high - lowest low) over `kPeriod`
 * bars; when that range is 0 (no movement at all) it is 50, the middle, rather than 0 / 0.
 * %K = SMA(raw %K, kSlowing), %D = SMA(%K, dPeriod). %K starts at kPeriod + kSlowing - 2 and %D
 * at kPeriod + kSlowing + dPeriod - 3.
 */
export function stochastic(bars: RangeBars, kPeriod = 14, kSlowing = 3, dPeriod = 3): StochasticLines {
  requirePeriod('kPeriod', kPeriod);
  requirePeriod('kSlowing', kSlowing);
  requirePeriod('dPeriod', dPeriod);
  const { high, low, close } = bars;
  const length = requireSameLength({ high, low, close });
  const highestHigh = highest(high, kPeriod);
  const lowestLow = lowest(low, kPeriod);
  const rawK = nanArray(length);
  for (let i = kPeriod - 1; i < length; i++) {
    const range = highestHigh[i]! - lowestLow[i]!;
    rawK[i] = range === 0 ? 50 : (100 * (close[i]! - lowestLow[i]!)) / range;
  }
  const k = kSlowing === 1 ? rawK : sma(rawK, kSlowing);
  return { k, d: sma(k, dPeriod) };
}
