import { compileStrategy, runBacktest, type BacktestResult, type RunOptions } from '../../lib/domain/backtest/index.js';
import { parseStrategySpec, type StrategySpec } from '../../lib/domain/strategy/index.js';
import { tradeAt } from '../../lib/domain/trade-columns.js';
import type { SourcedTrade } from '../../lib/domain/trade.js';
import type { BarColumns } from '../../lib/formats/types.js';

/** Monday 2024-01-01 00:00 UTC. */
export const MONDAY = Date.UTC(2024, 0, 1);
export const HOUR = 3_600_000;

export type Ohlc = readonly [open: number, high: number, low: number, close: number];

export function barsFromRows(rows: readonly Ohlc[], options: { start?: number; stepMs?: number } = {}): BarColumns {
  const start = options.start ?? MONDAY;
  const step = options.stepMs ?? HOUR;
  return {
    length: rows.length,
    time: Float64Array.from(rows, (_, i) => start + i * step),
    open: Float64Array.from(rows, (r) => r[0]),
    high: Float64Array.from(rows, (r) => r[1]),
    low: Float64Array.from(rows, (r) => r[2]),
    close: Float64Array.from(rows, (r) => r[3]),
    volume: new Float64Array(rows.length),
  };
}

/**
 * Close crosses above 100 at bar 1 (a long entry fills at bar 2's open, 100.8), below at bar 3 (exit
 * at bar 4's open, 99.2), above again at bar 5 (entry at bar 6's open, 100.5).
 */
export const CROSSING_ROWS: readonly Ohlc[] = [
  [99, 99.5, 98.5, 99],
  [99, 101, 98.8, 100.5],
  [100.8, 102, 100.2, 101.5],
  [101.2, 101.6, 99, 99.5],
  [99.2, 99.8, 98.9, 99.4],
  [99.4, 100.6, 99.0, 100.4],
  [100.5, 100.9, 100.1, 100.7],
];

export const LONG_CROSSING_RULES = {
  long: {
    entry: { op: 'crossAbove', left: 'close', right: 100 },
    exit: { op: 'crossBelow', left: 'close', right: 100 },
  },
};

/** A spec with 1-unit fixed sizing, pip = 1 price unit, no costs; `overrides` replace top-level keys. */
export function testSpec(overrides: Record<string, unknown> = {}): StrategySpec {
  return parseStrategySpec({
    name: 'test',
    rules: LONG_CROSSING_RULES,
    risk: { sizing: { type: 'fixedUnits', units: 1 } },
    instrument: { pipSize: 1, lotSize: 1 },
    ...overrides,
  });
}

export function backtest(spec: StrategySpec, bars: BarColumns, options: Partial<RunOptions> = {}, params: Record<string, unknown> = {}): BacktestResult {
  return runBacktest(bars, compileStrategy(spec, params), { symbol: 'TEST', startingBalance: 10_000, ...options });
}

export function tradesOf(result: BacktestResult): SourcedTrade[] {
  return Array.from({ length: result.trades.length }, (_, i) => tradeAt(result.trades, i));
}

/** The bar index a trade time points at, for readable assertions. */
export function barAt(time: number | null, start = MONDAY, step = HOUR): number | null {
  return time === null ? null : (time - start) / step;
}
