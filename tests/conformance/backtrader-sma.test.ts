import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileStrategy, runBacktest } from '../../lib/domain/backtest/index.js';
import { parseStrategySpec } from '../../lib/domain/strategy/index.js';
import { readBacktraderBars } from '../support/backtrader-bars.js';

/**
 * backtrader's published strategy test (tests/test_strategy_unoptimized.py) on its 2006 daily sample:
 * cash 10,000, stake 1, SMA(15) of the close, buy on CrossOver > 0 when flat, close on CrossOver < 0,
 * market orders at the next open. The strategy is two spec documents in our language
 * (tests/fixtures/backtest/backtrader-sma-*.json); nothing here is special-cased.
 */
const DATA = new URL('../../../shared/data/peer/backtrader-2006-day-001.txt', import.meta.url);
const FIXTURES = new URL('../fixtures/backtest/', import.meta.url);
const present = existsSync(DATA);

const run = (specFile: string) => {
  const spec = parseStrategySpec(JSON.parse(readFileSync(new URL(specFile, FIXTURES), 'utf8')));
  return runBacktest(readBacktraderBars(DATA), compileStrategy(spec), { symbol: 'backtrader-2006', startingBalance: 10_000 });
};

describe.skipIf(!present)(
  present ? 'backtrader conformance: SMA(15) crossover on 2006-day-001' : 'backtrader conformance SKIPPED: ../shared/data/peer/backtrader-2006-day-001.txt is absent',
  () => {
    it('stock-like, no commission: final value 10284.10, cash 6164.16, one position still open', () => {
      const result = run('backtrader-sma-stocklike.json');
      expect(result.account.equity.toFixed(2)).toBe('10284.10');
      expect(result.account.cash.toFixed(2)).toBe('6164.16');
      expect(result.openPositions).toHaveLength(1);
      expect(result.openPositions[0]!.volume).toBe(1);
      expect(result.trades.length).toBe(11);
    });

    it('futures-like, 2.0 per contract per side, multiplier 10, margin 1000: final value 12795.00', () => {
      const result = run('backtrader-sma-futureslike.json');
      expect(result.account.equity.toFixed(2)).toBe('12795.00');
      expect(result.account.cash.toFixed(2)).toBe('11795.00');
      expect(result.openPositions).toHaveLength(1);
      expect(result.trades.length).toBe(11);
    });
  },
);
