import { requireSameLength } from './series.js';

/** Bars as columns: one Float64Array per field, all the same length, oldest bar first. */
export interface PriceBars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

export const PRICE_SOURCES = ['open', 'high', 'low', 'close', 'median', 'typical', 'weighted'] as const;
export type PriceSourceName = (typeof PRICE_SOURCES)[number];

/**
 * The series an indicator reads. `open`/`high`/`low`/`close` return the bars' own column (no copy:
 * indicators never write to their input); the derived sources follow cTrader:
 * median = (H + L) / 2, typical = (H + L + C) / 3, weighted = (H + L + 2C) / 4.
 */
export function priceSource(bars: PriceBars, source: PriceSourceName): Float64Array {
  switch (source) {
    case 'open':
    case 'high':
    case 'low':
    case 'close':
      return bars[source];
    case 'median':
    case 'typical':
    case 'weighted':
      return derivedPrice(bars, source);
    default:
      throw new RangeError(`source must be one of ${PRICE_SOURCES.join(', ')}, got ${String(source)}`);
  }
}

function derivedPrice(bars: PriceBars, source: 'median' | 'typical' | 'weighted'): Float64Array {
  const { high, low, close } = bars;
  const length = requireSameLength({ high, low, close });
  const out = new Float64Array(length);
  if (source === 'median') {
    for (let i = 0; i < length; i++) out[i] = (high[i]! + low[i]!) / 2;
  } else if (source === 'typical') {
    for (let i = 0; i < length; i++) out[i] = (high[i]! + low[i]! + close[i]!) / 3;
  } else {
    for (let i = 0; i < length; i++) out[i] = (high[i]! + low[i]! + 2 * close[i]!) / 4;
  }
  return out;
}
