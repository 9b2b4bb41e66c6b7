import type { BarColumns } from '../../formats/types.js';
import type { EquityCurve, Metrics } from '../metrics/index.js';
import { toAppError, type ErrorCode, type ErrorDetails } from '../../runtime/errors.js';
import type { StrategySpec } from '../strategy/spec-schema.js';
import type { TradeColumns } from '../trade-columns.js';
import { validateBars } from './bar-validation.js';
import { compileStrategy } from './compile.js';
import { IndicatorCache, type IndicatorCacheStats } from './indicator-cache.js';
import { runInto, type RunOptions } from './run-backtest.js';
import type { AccountState, OpenPosition, OrderCounts } from './account.js';
import { TradeLog } from './trade-log.js';

export interface BatchOptions extends RunOptions {
  /** Shared across batches on the same data to keep indicators between calls; a new one otherwise. */
  cache?: IndicatorCache;
  /** Also return each candidate's trades and/or curve (memory: 24 bytes per bar per curve). */
  include?: { trades?: boolean; curve?: boolean };
}

export type CandidateResult =
  | {
      index: number;
      ok: true;
      parameters: Record<string, unknown>;
      metrics: Metrics;
      account: AccountState;
      openPositions: OpenPosition[];
      orders: OrderCounts;
      stoppedOut: boolean;
      trades?: TradeColumns;
      curve?: EquityCurve;
    }
  | { index: number; ok: false; parameters: Record<string, unknown>; error: { code: ErrorCode; message: string; details?: ErrorDetails } };

export interface BatchResult {
  candidates: CandidateResult[];
  cache: IndicatorCacheStats;
}

/**
 * Backtests one spec with many parameter sets on the same bars: the bars are validated once, the
 * indicator cache is shared (an indicator used by several candidates is computed once), and the curve
 * and trade buffers are reused unless the caller asks to keep them. A candidate whose parameters are
 * invalid (or need more bars than there are) becomes an `ok: false` result with the error; invalid
 * bars throw, since no candidate could run.
 */
export function runBatch(
  bars: BarColumns,
  spec: StrategySpec,
  parameterSets: readonly Record<string, unknown>[],
  options: BatchOptions,
): BatchResult {
  if (options.validateBars !== false) validateBars(bars, options.file);
  const cache = options.cache ?? new IndicatorCache();
  const keepCurve = options.include?.curve === true;
  const keepTrades = options.include?.trades === true;
  const log = new TradeLog();
  const scratchCurve: EquityCurve = { time: bars.time, balance: new Float64Array(bars.length), equity: new Float64Array(bars.length) };
  const runOptions: RunOptions = { ...options, validateBars: false };
  const candidates = parameterSets.map((parameters, index): CandidateResult => {
    try {
      const strategy = compileStrategy(spec, parameters);
      const curve = keepCurve ? { time: bars.time, balance: new Float64Array(bars.length), equity: new Float64Array(bars.length) } : scratchCurve;
      const run = runInto(bars, strategy, runOptions, cache, log, curve);
      const result: CandidateResult = {
        index,
        ok: true,
        parameters: run.parameters,
        metrics: run.metrics,
        account: run.account,
        openPositions: run.openPositions,
        orders: run.orders,
        stoppedOut: run.stoppedOut,
      };
      if (keepCurve) result.curve = curve;
      if (keepTrades) {
        result.trades = log.toTradeColumns({
          symbol: options.symbol,
          label: options.label ?? strategy.name,
          file: options.file ?? `backtest:${strategy.name}`,
          lotSize: strategy.instrument.lotSize,
        });
      }
      return result;
    } catch (err) {
      const error = toAppError(err);
      if (error.code === 'internal') throw err;
      const details = error.details ? { details: error.details } : {};
      return { index, ok: false, parameters, error: { code: error.code, message: error.message, ...details } };
    }
  });
  return { candidates, cache: cache.stats };
}
