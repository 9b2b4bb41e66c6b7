/**
 * Backtest metrics: a pure function of the closed trades and the balance/equity curve. Formulas,
 * units and edge cases: docs/metrics.md.
 */
export { computeMetrics } from './compute-metrics.js';
export { dailyReturns } from './daily-returns.js';
export { maxDrawdown, type Drawdown } from './drawdown.js';
export { metricsJsonReplacer, metricsJsonReviver, metricsToJson } from './json.js';
export { returnStats, type ReturnStats } from './return-stats.js';
export { rewardOverRisk } from './statistics.js';
export type { ClosedTradeColumns, EquityCurve, Metrics, MetricsOptions, TradeStatistics } from './types.js';
