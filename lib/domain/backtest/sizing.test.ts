import { describe, expect, it } from 'vitest';
import { backtest, barsFromRows, CROSSING_ROWS, testSpec, tradesOf } from '../../../tests/support/backtest-kit.js';

// CROSSING_ROWS: a long enters at bar 2's open (100.8) and leaves at bar 4's open (99.2).
const bars = barsFromRows(CROSSING_ROWS);
const firstTrade = (overrides: Record<string, unknown>) => tradesOf(backtest(testSpec(overrides), bars))[0]!;

describe('position sizing', () => {
  it('fixed lots trade lots x lotSize units', () => {
    const trade = firstTrade({ risk: { sizing: { type: 'fixedLots', lots: 0.5 } }, instrument: { pipSize: 1, lotSize: 100 } });
    expect(trade.volume).toBe(50);
    expect(trade.quantity).toBe(0.5);
  });

  it('fixed units trade exactly those units', () => {
    expect(firstTrade({ risk: { sizing: { type: 'fixedUnits', units: 3 } } }).volume).toBe(3);
  });

  it('percent risk sizes so that the stop loses that percent of equity', () => {
    // 1 % of 10,000 = 100 at a 2-pip (2.0) stop: 50 units.
    const risk = { stopLoss: { type: 'pips', pips: 2 }, sizing: { type: 'riskPercent', percent: 1 } };
    expect(firstTrade({ risk }).volume).toBe(50);
    // With a contract multiplier of 10 each unit risks ten times as much.
    expect(firstTrade({ risk, instrument: { pipSize: 1, lotSize: 1, contractMultiplier: 10 } }).volume).toBe(5);
  });

  it('percent risk uses the equity left after earlier trades', () => {
    const risk = { stopLoss: { type: 'pips', pips: 2 }, sizing: { type: 'riskPercent', percent: 1 } };
    const result = backtest(testSpec({ risk }), bars);
    // First trade: 50 units lose 1.6 each = -80; the second risks 1 % of 9,920 = 99.2: 49.6 -> 49 units.
    expect(result.trades.net[0]).toBeCloseTo(-80, 9);
    expect(result.openPositions[0]!.volume).toBe(49);
  });

  it('rounds sizes down to the volume step', () => {
    const risk = { stopLoss: { type: 'pips', pips: 2 }, sizing: { type: 'riskPercent', percent: 1 } };
    expect(firstTrade({ risk, instrument: { pipSize: 1, lotSize: 1, volumeStep: 7 } }).volume).toBe(49);
  });

  it('all equity buys as many whole units as the equity pays for, commission included', () => {
    expect(firstTrade({ risk: { sizing: { type: 'allEquity' } } }).volume).toBe(99); // 10,000 / 100.8
    const withCommission = { risk: { sizing: { type: 'allEquity' } }, costs: { commission: { type: 'perContract', value: 1 } } };
    expect(firstTrade(withCommission).volume).toBe(98); // 10,000 / (100.8 + 1)
  });

  it('all equity with a margin model buys as many units as the margin allows', () => {
    const trade = firstTrade({ risk: { sizing: { type: 'allEquity' } }, instrument: { pipSize: 1, lotSize: 1, marginPerContract: 1000 } });
    expect(trade.volume).toBe(10);
  });

  it('skips an entry sized below one volume step and counts it', () => {
    const result = backtest(testSpec({ risk: { sizing: { type: 'fixedUnits', units: 0.5 } } }), bars);
    expect(result.trades.length).toBe(0);
    expect(result.orders).toEqual({ filled: 0, skipped: 2, rejected: 0 });
  });

  it('rejects an entry whose margin the free equity cannot cover', () => {
    const spec = testSpec({ risk: { sizing: { type: 'fixedUnits', units: 11 } }, instrument: { pipSize: 1, lotSize: 1, marginPerContract: 1000 } });
    const result = backtest(spec, bars);
    expect(result.trades.length).toBe(0);
    expect(result.orders.rejected).toBe(2);
  });

  it('skips an ATR-sized entry while the ATR has no value yet', () => {
    const spec = testSpec({
      indicators: [{ id: 'atr', type: 'atr', params: { period: 3 } }],
      risk: { stopLoss: { type: 'atr', indicator: 'atr', multiple: 2 }, sizing: { type: 'fixedUnits', units: 1 } },
    });
    // The bar-1 decision has ATR(3) undefined (first value on bar 2); the bar-5 one has a value.
    const result = backtest(spec, bars);
    expect(result.orders).toEqual({ filled: 1, skipped: 1, rejected: 0 });
  });
});
