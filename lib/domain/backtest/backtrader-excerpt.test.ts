import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBacktraderBars } from '../../../tests/support/backtrader-bars.js';
import { parseStrategySpec } from '../strategy/index.js';
import { tradeAt } from '../trade-columns.js';
import { compileStrategy } from './compile.js';
import { runBacktest } from './run-backtest.js';

// The first 80 daily bars of backtrader's 2006 sample (public), with the conformance specs. Expected
// values come from an independent step-by-step replay of backtrader's rules (SMA(15) of the close,
// CrossOver on the last non-zero difference, orders filled at the next open), not from this engine.
const FIXTURES = new URL('../../../tests/fixtures/backtest/', import.meta.url);
const bars = readBacktraderBars(new URL('backtrader-2006-day-001-first80.csv', FIXTURES));
const specFile = (name: string) => parseStrategySpec(JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')));
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

function run(file: string) {
  const result = runBacktest(bars, compileStrategy(specFile(file)), { symbol: 'bt-2006', startingBalance: 10_000 });
  const trades = Array.from({ length: result.trades.length }, (_, i) => tradeAt(result.trades, i));
  return { result, trades };
}

const EXPECTED_ROUND_TRIPS = [
  { entryTime: day('2006-01-27'), entryPrice: 3643.35, exitTime: day('2006-03-03'), exitPrice: 3763.95 },
  { entryTime: day('2006-03-13'), entryPrice: 3801.03, exitTime: day('2006-03-29'), exitPrice: 3811.85 },
  { entryTime: day('2006-03-31'), entryPrice: 3872.37, exitTime: day('2006-04-10'), exitPrice: 3822.35 },
];

describe('backtrader SMA(15) crossover on an 80-bar excerpt', () => {
  it('stock-like: pins every trade, the open position, value and cash', () => {
    const { result, trades } = run('backtrader-sma-stocklike.json');
    expect(trades.map(({ entryTime, entryPrice, exitTime, exitPrice }) => ({ entryTime, entryPrice, exitTime, exitPrice }))).toEqual(EXPECTED_ROUND_TRIPS);
    expect(trades.map((t) => t.net)).toEqual([expect.closeTo(120.6, 9), expect.closeTo(10.82, 9), expect.closeTo(-50.02, 9)]);
    expect(trades.every((t) => t.closeReason === 'signal' && t.volume === 1)).toBe(true);
    expect(result.openPositions).toHaveLength(1);
    expect(result.openPositions[0]).toMatchObject({ direction: 'buy', entryTime: day('2006-04-21'), entryPrice: 3863.57, markPrice: 3871.09 });
    expect(result.account.equity.toFixed(2)).toBe('10088.92');
    expect(result.account.cash.toFixed(2)).toBe('6217.83');
  });

  it('futures-like: 10x the moves less 2.0 per contract per side, margin held out of cash', () => {
    const { result, trades } = run('backtrader-sma-futureslike.json');
    expect(trades.map((t) => t.net)).toEqual([expect.closeTo(1202, 9), expect.closeTo(104.2, 9), expect.closeTo(-504.2, 9)]);
    expect(trades.map((t) => t.commission)).toEqual([-4, -4, -4]);
    expect(result.openPositions[0]).toMatchObject({ entryPrice: 3863.57, margin: 1000, entryCommission: -2 });
    expect(result.account.equity.toFixed(2)).toBe('10875.20');
    expect(result.account.cash.toFixed(2)).toBe('9875.20');
  });
});
