import { firstDefinedIndex, nanArray, requirePeriod } from './series.js';

/**
 * Relative Strength Index with Wilder smoothing. The average gain and loss are seeded with the simple
 * mean of the first `period` changes, then avg = (avg (period - 1) + change) / period, and
 * RSI = 100 - 100 / (1 + avgGain / avgLoss).
 * When the average loss is 0 the RSI is 100; when the average gain is 0 as well (a flat stretch) it is
 * 50, neutral, instead of the NaN that 0 / 0 gives. The first value is at index `period`: it takes
 * `period` changes, so `period + 1` values.
 */
export function rsi(values: Float64Array, period = 14): Float64Array {
  requirePeriod('period', period);
  const out = nanArray(values.length);
  const first = firstDefinedIndex(values);
  const seedAt = first + period;
  if (seedAt >= values.length) return out;
  let averageGain = 0;
  let averageLoss = 0;
  for (let i = first + 1; i <= seedAt; i++) {
    const change = values[i]! - values[i - 1]!;
    if (change > 0) averageGain += change;
    else averageLoss -= change;
  }
  averageGain /= period;
  averageLoss /= period;
  out[seedAt] = rsiOf(averageGain, averageLoss);
  for (let i = seedAt + 1; i < values.length; i++) {
    const change = values[i]! - values[i - 1]!;
    averageGain = (averageGain * (period - 1) + (change > 0 ? change : 0)) / period;
    averageLoss = (averageLoss * (period - 1) + (change < 0 ? -change : 0)) / period;
    out[i] = rsiOf(averageGain, averageLoss);
  }
  return out;
}

function rsiOf(averageGain: number, averageLoss: number): number {
  if (averageLoss === 0) return averageGain === 0 ? 50 : 100;
  return 100 - 100 / (1 + averageGain / averageLoss);
}
