import { ema } from './moving-averages.js';
import { requirePeriod } from './series.js';

export interface MacdLines {
  /** Fast EMA - slow EMA. */
  macd: Float64Array;
  /** EMA of the MACD line, seeded once the MACD line is defined. */
  signal: Float64Array;
  /** MACD - signal. */
  histogram: Float64Array;
}

/**
 * Moving Average Convergence/Divergence. The MACD line starts at index max(fast, slow) - 1; the signal
 * EMA counts its own warm-up from there (its seed is the mean of the first `signalPeriod` MACD values),
 * so the signal and histogram start at max(fast, slow) + signalPeriod - 2. Fast > slow is allowed and
 * simply flips the sign.
 */
export function macd(values: Float64Array, fastPeriod = 12, slowPeriod = 26, signalPeriod = 9): MacdLines {
  requirePeriod('fastPeriod', fastPeriod);
  requirePeriod('slowPeriod', slowPeriod);
  requirePeriod('signalPeriod', signalPeriod);
  const fast = ema(values, fastPeriod);
  const slow = ema(values, slowPeriod);
  const line = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) line[i] = fast[i]! - slow[i]!;
  const signal = ema(line, signalPeriod);
  const histogram = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) histogram[i] = line[i]! - signal[i]!;
  return { macd: line, signal, histogram };
}
