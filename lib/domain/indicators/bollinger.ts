import { sma } from './moving-averages.js';
import { nanArray, requireFiniteAtLeast, requirePeriod } from './series.js';

export interface Bands {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * Bollinger Bands: middle = SMA(period); upper/lower = middle +/- deviations x the POPULATION standard
 * deviation of the same window (divide by period, not period - 1), as Bollinger defined them and as
 * cTrader and TradingView compute them. The deviation is summed per window around the window's mean,
 * O(n x period): a running sum of squares would cancel catastrophically on prices far from zero and
 * could even go negative on a flat series.
 */
export function bollingerBands(values: Float64Array, period = 20, deviations = 2): Bands {
  requirePeriod('period', period);
  requireFiniteAtLeast('deviations', deviations, 0);
  const middle = sma(values, period);
  const upper = nanArray(values.length);
  const lower = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const mean = middle[i]!;
    if (Number.isNaN(mean)) continue;
    let squares = 0;
    for (let j = i - period + 1; j <= i; j++) {
      const distance = values[j]! - mean;
      squares += distance * distance;
    }
    const width = deviations * Math.sqrt(squares / period);
    upper[i] = mean + width;
    lower[i] = mean - width;
  }
  return { upper, middle, lower };
}
