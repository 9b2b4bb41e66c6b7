import { describe, expect, it } from 'vitest';
import { backtest, barsFromRows, CROSSING_ROWS, testSpec, tradesOf } from '../../../tests/support/backtest-kit.js';

// One long round trip: 1,000 units (10 lots of 100) bought at 100.8, sold at 99.2; gross -1,600.
const bars = barsFromRows(CROSSING_ROWS);
const roundTrip = (costs: Record<string, unknown>, instrument: Record<string, unknown> = {}) =>
  tradesOf(backtest(testSpec({ costs, risk: { sizing: { type: 'fixedUnits', units: 1000 } }, instrument: { pipSize: 1, lotSize: 100, ...instrument } }), bars))[0]!;

describe('commission, charged on each side', () => {
  it('USD per million: 30 on 100,800 + 99,200 of notional = 6.00', () => {
    const trade = roundTrip({ commission: { type: 'usdPerMillion', value: 30 } });
    expect(trade.commission).toBeCloseTo(-6, 10);
    expect(trade.gross).toBeCloseTo(-1600, 9);
    expect(trade.net).toBeCloseTo(-1606, 9);
    expect(trade.balanceAfter).toBeCloseTo(10_000 - 1606, 9);
  });

  it('per lot: 3 per lot x 10 lots x 2 sides = 60', () => {
    expect(roundTrip({ commission: { type: 'perLot', value: 3 } }).commission).toBeCloseTo(-60, 10);
  });

  it('percent of volume: 0.1 % of 100,800 and of 99,200 = 200', () => {
    expect(roundTrip({ commission: { type: 'percentOfVolume', value: 0.1 } }).commission).toBeCloseTo(-200, 9);
  });

  it('notional includes the contract multiplier', () => {
    const trade = roundTrip({ commission: { type: 'percentOfVolume', value: 0.1 } }, { contractMultiplier: 2 });
    expect(trade.commission).toBeCloseTo(-400, 9);
    expect(trade.gross).toBeCloseTo(-3200, 9);
  });

  it('per contract: 0.5 per unit x 1,000 x 2 sides = 1,000', () => {
    expect(roundTrip({ commission: { type: 'perContract', value: 0.5 } }).commission).toBeCloseTo(-1000, 10);
  });

  it('net is gross + commission + swap and balances chain', () => {
    const result = backtest(testSpec({ costs: { commission: { type: 'perLot', value: 3 } }, instrument: { pipSize: 1, lotSize: 1 } }), bars, { closeAtEnd: true });
    const trades = tradesOf(result);
    expect(trades).toHaveLength(2);
    let balance = 10_000;
    for (const trade of trades) {
      expect(trade.net).toBeCloseTo(trade.gross! + trade.commission! + trade.swap!, 12);
      balance += trade.net;
      expect(trade.balanceAfter).toBeCloseTo(balance, 9);
    }
  });
});

describe('spread and slippage', () => {
  it('a long buys at the ask plus slippage and sells at the bid minus slippage', () => {
    const trade = roundTrip({ spreadPips: 0.2, slippagePips: 0.1 });
    expect(trade.entryPrice).toBeCloseTo(101.1, 12);
    expect(trade.exitPrice).toBeCloseTo(99.1, 12);
    expect(trade.pips).toBeCloseTo(-2, 12);
  });

  it('a short sells at the bid minus slippage and buys back at the ask plus slippage', () => {
    const spec = testSpec({
      rules: { short: { entry: { op: 'crossBelow', left: 'close', right: 100 }, exit: { op: 'crossAbove', left: 'close', right: 100 } } },
      costs: { spreadPips: 0.2, slippagePips: 0.1 },
    });
    const [trade] = tradesOf(backtest(spec, bars));
    expect(trade!.direction).toBe('sell');
    expect(trade!.entryPrice).toBeCloseTo(99.1, 12); // bar 4 open 99.2
    expect(trade!.exitPrice).toBeCloseTo(100.8, 12); // bar 6 open 100.5 + 0.2 + 0.1
    expect(trade!.gross).toBeCloseTo(-1.7, 12);
  });

  it('a target fills at its level without slippage', () => {
    const spec = testSpec({
      rules: { long: { entry: { op: 'crossAbove', left: 'close', right: 100 } } },
      risk: { takeProfit: { type: 'pips', pips: 0.5 }, sizing: { type: 'fixedUnits', units: 1 } },
      costs: { slippagePips: 0.1 },
    });
    const [trade] = tradesOf(backtest(spec, bars));
    expect(trade!.entryPrice).toBeCloseTo(100.9, 12);
    expect(trade!.exitPrice).toBeCloseTo(101.4, 12);
    expect(trade!.closeReason).toBe('take_profit');
  });

  it('equity marks an open long at the bid and already counts its entry commission', () => {
    const spec = testSpec({ costs: { spreadPips: 0.2, commission: { type: 'perContract', value: 0.25 } } });
    const result = backtest(spec, bars);
    // Bar 2: bought at 101.0 (100.8 + 0.2), marked at the close bid 101.5, entry commission 0.25.
    expect(result.curve.equity[2]).toBeCloseTo(10_000 + 0.5 - 0.25, 12);
    expect(result.curve.balance[2]).toBe(10_000);
  });
});
