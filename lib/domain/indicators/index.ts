/**
 * Technical indicators as plain functions over Float64Array columns. Every function returns arrays of
 * the input's length with NaN during warm-up, never allocates per bar, and throws a RangeError naming
 * the parameter for an invalid period. A series shorter than the warm-up is not an error: the output
 * is all NaN. Leading NaNs of an input count as its warm-up, so indicators chain.
 */
export { atr, trueRange, type RangeBars } from './atr.js';
export { bollingerBands, type Bands } from './bollinger.js';
export { donchianChannel } from './donchian.js';
export { highest, lowest } from './extremes.js';
export { macd, type MacdLines } from './macd.js';
export { ema, sma, wma } from './moving-averages.js';
export { PRICE_SOURCES, priceSource, type PriceBars, type PriceSourceName } from './price-source.js';
export {
  INDICATORS,
  isIndicatorName,
  resolveIndicatorParams,
  type IndicatorDefinition,
  type IndicatorName,
  type IndicatorParameter,
  type IndicatorParams,
} from './registry.js';
export { rsi } from './rsi.js';
export { stochastic, type StochasticLines } from './stochastic.js';
