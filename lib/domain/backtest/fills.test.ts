import { describe, expect, it } from 'vitest';
import { backtest, barAt, barsFromRows, CROSSING_ROWS, testSpec, tradesOf, type Ohlc } from '../../../tests/support/backtest-kit.js';

describe('market orders', () => {
  it('decided on a close fill at the next bar open by default', () => {
    const result = backtest(testSpec(), barsFromRows(CROSSING_ROWS));
    const [trade] = tradesOf(result);
    expect(barAt(trade!.entryTime)).toBe(2);
    expect(trade!.entryPrice).toBe(100.8);
    expect(barAt(trade!.exitTime)).toBe(4);
    expect(trade!.exitPrice).toBe(99.2);
    expect(trade!.closeReason).toBe('signal');
    expect(trade!.gross).toBeCloseTo(-1.6, 12);
  });

  it('fill at the deciding bar close with fills.market thisClose', () => {
    const result = backtest(testSpec({ fills: { market: 'thisClose' } }), barsFromRows(CROSSING_ROWS));
    const [trade] = tradesOf(result);
    expect(barAt(trade!.entryTime)).toBe(1);
    expect(trade!.entryPrice).toBe(100.5);
    expect(barAt(trade!.exitTime)).toBe(3);
    expect(trade!.exitPrice).toBe(99.5);
  });

  it('decided on the last bar never fill', () => {
    const rows = CROSSING_ROWS.slice(0, 2);
    const result = backtest(testSpec(), barsFromRows(rows));
    expect(result.trades.length).toBe(0);
    expect(result.openPositions).toEqual([]);
  });
});

describe('stops and targets inside a bar', () => {
  // Entry at bar 2's open, 100.8: stop 1 pip below (99.8), target 2 pips above (102.8).
  const withLevels = testSpec({
    rules: { long: { entry: { op: 'crossAbove', left: 'close', right: 100 } } },
    risk: { stopLoss: { type: 'pips', pips: 1 }, takeProfit: { type: 'pips', pips: 2 }, sizing: { type: 'fixedUnits', units: 1 } },
  });
  const exitOn = (bar3: Ohlc) => {
    const rows = [...CROSSING_ROWS.slice(0, 3), bar3, [100, 100.5, 99.9, 100.2] as const];
    const trades = tradesOf(backtest(withLevels, barsFromRows(rows)));
    expect(trades).toHaveLength(1);
    expect(barAt(trades[0]!.exitTime)).toBe(3);
    return trades[0]!;
  };

  it('a target inside the bar fills at the target', () => {
    const trade = exitOn([101, 103, 100.5, 102]);
    expect(trade.exitPrice).toBe(102.8);
    expect(trade.closeReason).toBe('take_profit');
  });

  it('a stop inside the bar fills at the stop', () => {
    const trade = exitOn([101, 101.5, 99.5, 100]);
    expect(trade.exitPrice).toBe(99.8);
    expect(trade.closeReason).toBe('stop_loss');
  });

  it('a bar opening below the stop fills at its open, not at the stop', () => {
    const trade = exitOn([99, 99.5, 98, 99.2]);
    expect(trade.exitPrice).toBe(99);
    expect(trade.closeReason).toBe('stop_loss');
  });

  it('a bar opening above the target fills at its open', () => {
    const trade = exitOn([103.5, 104, 103, 103.8]);
    expect(trade.exitPrice).toBe(103.5);
    expect(trade.closeReason).toBe('take_profit');
  });

  it('when stop and target are both inside one bar the stop is taken', () => {
    const trade = exitOn([101, 103, 99, 101]);
    expect(trade.exitPrice).toBe(99.8);
    expect(trade.closeReason).toBe('stop_loss');
  });

  it('records the initial stop and target on the trade', () => {
    const trade = exitOn([101, 103, 100.5, 102]);
    expect(trade.stops).toEqual([{ time: trade.entryTime, stopLoss: 99.8, takeProfit: 102.8 }]);
  });

  it('a short position tests its levels at the ask (bid + spread)', () => {
    // Short entry at bar 4's open: bid 99.2, sold at the bid; stop 1 pip above = 100.2 (ask).
    const spec = testSpec({
      rules: { short: { entry: { op: 'crossBelow', left: 'close', right: 100 } } },
      risk: { stopLoss: { type: 'pips', pips: 1 }, sizing: { type: 'fixedUnits', units: 1 } },
      costs: { spreadPips: 0.5 },
    });
    // The entry bar's ask high is 100.1, below the stop. Bar 5's bid high is 99.8: its ask high (100.3)
    // reaches the stop although the bid never does.
    const rows = [...CROSSING_ROWS.slice(0, 4), [99.2, 99.6, 98.9, 99.4] as const, [99.3, 99.8, 99.1, 99.5] as const, [99.5, 99.6, 99.4, 99.5] as const];
    const [trade] = tradesOf(backtest(spec, barsFromRows(rows)));
    expect(trade!.direction).toBe('sell');
    expect(trade!.entryPrice).toBe(99.2);
    expect(barAt(trade!.exitTime)).toBe(5);
    expect(trade!.exitPrice).toBeCloseTo(100.2, 12);
    expect(trade!.closeReason).toBe('stop_loss');
  });
});

describe('trailing stop', () => {
  const trailing = testSpec({
    rules: { long: { entry: { op: 'crossAbove', left: 'close', right: 100 } } },
    risk: { trailingStop: { type: 'pips', pips: 1 }, sizing: { type: 'fixedUnits', units: 1 } },
  });

  it('follows the high by its distance and closes as trailing_stop once it has moved', () => {
    // Entry 100.8 -> stop 99.8; bar 2's high 102 lifts it to 101; bar 3 trades down through 101.
    const rows = [...CROSSING_ROWS.slice(0, 3), [101.5, 101.8, 100.5, 101] as const];
    const [trade] = tradesOf(backtest(trailing, barsFromRows(rows)));
    expect(trade!.exitPrice).toBe(101);
    expect(trade!.closeReason).toBe('trailing_stop');
    expect(trade!.stops).toEqual([
      { time: trade!.entryTime, stopLoss: 99.8, takeProfit: null },
      { time: trade!.exitTime, stopLoss: 101, takeProfit: null },
    ]);
  });

  it('never moves the stop back down', () => {
    // Bar 3's high (101.6) is below bar 2's (102): the stop stays at 101 and bar 4 opens below it.
    const rows = [...CROSSING_ROWS.slice(0, 3), [101.2, 101.6, 101.05, 101.3] as const, [100.5, 100.6, 100, 100.2] as const];
    const [trade] = tradesOf(backtest(trailing, barsFromRows(rows)));
    expect(barAt(trade!.exitTime)).toBe(4);
    expect(trade!.exitPrice).toBe(100.5);
  });

  it('is tested before it moves within a bar, since the high may come after the low', () => {
    // Bar 2 reaches 102 (would lift the stop to 101) and 100.2 (below 101): not a hit on bar 2.
    const rows = [...CROSSING_ROWS.slice(0, 3), [101.5, 101.8, 101.2, 101.6] as const];
    const result = backtest(trailing, barsFromRows(rows));
    expect(result.trades.length).toBe(0);
    expect(result.openPositions[0]!.stopLoss).toBe(101);
  });
});
