import type { BarColumns } from '../../formats/types.js';
import { computeMetrics, type EquityCurve, type Metrics, type MetricsOptions } from '../metrics/index.js';
import type { ParameterValues } from '../strategy/parameters-schema.js';
import type { TradeColumns } from '../trade-columns.js';
import { requireEnoughBars, validateBars } from './bar-validation.js';
import type { CompiledStrategy } from './compiled-strategy.js';
import { IndicatorCache } from './indicator-cache.js';
import { runSignals } from './run-inputs.js';
import type { AccountState, OpenPosition, OrderCounts } from './account.js';
import { simulate } from './simulate.js';
import { TradeLog } from './trade-log.js';

export interface RunOptions {
  /** Symbol written on every trade. */
  symbol: string;
  startingBalance: number;
  /** Content hash of the bars: lets an IndicatorCache reuse indicators across runs on the same data. */
  dataKey?: string;
  /**
   * Close positions still open after the last bar at its close (closeReason end_of_data). Default
   * false: they are reported in `openPositions`, marked to market, as cTrader and backtrader leave them.
   */
  closeAtEnd?: boolean;
  /** Trade label; the strategy name by default. */
  label?: string;
  /** Name for the trades' `file` and for bar errors; `backtest:<strategy>` by default. */
  file?: string;
  metrics?: MetricsOptions;
  /** Check the bars first (validateBars). Default true; a batch checks once and turns it off. */
  validateBars?: boolean;
}

export interface BacktestResult {
  parameters: ParameterValues;
  /** Closed trades, canonical columns (closeReason set, net = gross + commission + swap). */
  trades: TradeColumns;
  /** One point per bar, after everything that happened on it. `time` is the bars' own column. */
  curve: EquityCurve;
  metrics: Metrics;
  /** Positions still open after the last bar (empty with closeAtEnd). */
  openPositions: OpenPosition[];
  /** The account after the last bar; `equity` is the final value. */
  account: AccountState;
  orders: OrderCounts;
  stoppedOut: boolean;
}

/**
 * Backtests a compiled strategy on bars: pure and deterministic (same input, same output), one pass
 * over the bars after the signals are computed as columns. Throws AppError for invalid bars
 * (validateBars) and too few bars for the slowest indicator (requireEnoughBars).
 */
export function runBacktest(
  bars: BarColumns,
  strategy: CompiledStrategy,
  options: RunOptions,
  indicatorCache: IndicatorCache = new IndicatorCache(),
): BacktestResult {
  const log = new TradeLog();
  const curve: EquityCurve = { time: bars.time, balance: new Float64Array(bars.length), equity: new Float64Array(bars.length) };
  const run = runInto(bars, strategy, options, indicatorCache, log, curve);
  return {
    ...run,
    trades: log.toTradeColumns({
      symbol: options.symbol,
      label: options.label ?? strategy.name,
      file: options.file ?? `backtest:${strategy.name}`,
      lotSize: strategy.instrument.lotSize,
    }),
    curve,
  };
}

/** The run with caller-owned trade log and curve buffers, so a batch can reuse them between candidates. */
export function runInto(
  bars: BarColumns,
  strategy: CompiledStrategy,
  options: RunOptions,
  cache: IndicatorCache,
  log: TradeLog,
  curve: EquityCurve,
): Omit<BacktestResult, 'trades' | 'curve'> {
  if (options.validateBars !== false) validateBars(bars, options.file);
  requireEnoughBars(bars.length, strategy, options.file);
  const signals = runSignals(bars, strategy, cache, cache.dataKeyFor(bars, options.dataKey));
  log.reset();
  const outcome = simulate({
    bars,
    ...signals,
    strategy,
    startingBalance: options.startingBalance,
    closeAtEnd: options.closeAtEnd ?? false,
    balance: curve.balance,
    equity: curve.equity,
    log,
  });
  const metrics = computeMetrics(log.closedColumns(), curve, options.startingBalance, options.metrics);
  return {
    parameters: strategy.parameters,
    metrics,
    openPositions: outcome.openPositions,
    account: outcome.account,
    orders: outcome.orders,
    stoppedOut: outcome.stoppedOut,
  };
}
