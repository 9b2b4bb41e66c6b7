import type { Bands } from './bollinger.js';
import { highest, lowest } from './extremes.js';
import type { PriceBars } from './price-source.js';
import { requirePeriod, requireSameLength } from './series.js';

/** Donchian channel: upper = highest high, lower = lowest low over `period` bars, middle = their mean. */
export function donchianChannel(bars: Pick<PriceBars, 'high' | 'low'>, period = 20): Bands {
  requirePeriod('period', period);
  const { high, low } = bars;
  const length = requireSameLength({ high, low });
  const upper = highest(high, period);
  const lower = lowest(low, period);
  const middle = new Float64Array(length);
  for (let i = 0; i < length; i++) middle[i] = (upper[i]! + lower[i]!) / 2;
  return { upper, middle, lower };
}
