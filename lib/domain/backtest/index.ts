/**
 * The backtest engine: compile a strategy spec with parameter values, run it over bars as columns,
 * get canonical trades, the equity curve and metrics; run candidate batches with a shared indicator
 * cache. Pure: no I/O, no environment, no clock. Rules and formulas: docs/backtest.md.
 */
export { barClock, type BarClock } from './bar-clock.js';
export { requireEnoughBars, validateBars } from './bar-validation.js';
export { compileStrategy } from './compile.js';
export type {
  CompiledCondition,
  CompiledCosts,
  CompiledDistance,
  CompiledIndicator,
  CompiledInstrument,
  CompiledOperand,
  CompiledSide,
  CompiledSizing,
  CompiledStrategy,
  SeriesSource,
} from './compiled-strategy.js';
export { commissionCoefficients, commissionPerSide } from './costs.js';
export { comparisonSignal, crossSignal } from './crossing.js';
export { IndicatorCache, type IndicatorCacheStats } from './indicator-cache.js';
export { runBacktest, type BacktestResult, type RunOptions } from './run-backtest.js';
export { runBatch, type BatchOptions, type BatchResult, type CandidateResult } from './run-batch.js';
export type { AccountState, OpenPosition, OrderCounts } from './account.js';
export { CLOSE_LONG, CLOSE_SHORT, decideOrders, OPEN_LONG, OPEN_SHORT, type OrderContext } from './orders.js';
export { syntheticBars } from './synthetic-bars.js';
