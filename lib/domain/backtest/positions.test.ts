import { describe, expect, it } from 'vitest';
import { backtest, barAt, barsFromRows, testSpec, tradesOf, type Ohlc } from '../../../tests/support/backtest-kit.js';

// Hourly flat bars from Monday 00:00; signals come from hour windows: long on bars 1 and 3, short on bar 2.
const flat: Ohlc = [100, 100.5, 99.5, 100];
const bars = barsFromRows([flat, flat, flat, flat, flat, flat]);
const hour = (h: number) => ({ op: 'hours', from: `0${h}:00`, to: `0${h + 1}:00` });
const rules = {
  long: { entry: { op: 'or', any: [hour(1), hour(3)] } },
  short: { entry: hour(2) },
};
const run = (positions: Record<string, unknown>) => backtest(testSpec({ rules, positions }), bars);
const summary = (positions: Record<string, unknown>) => {
  const result = run(positions);
  return {
    closed: tradesOf(result).map((t) => `${t.direction} ${barAt(t.entryTime)}-${barAt(t.exitTime)} ${t.closeReason}`),
    open: result.openPositions.map((p) => `${p.direction} ${barAt(p.entryTime)}`),
  };
};

describe('position modes', () => {
  it('single: entries are ignored while a position is open, whatever their side', () => {
    expect(summary({ mode: 'single' })).toEqual({ closed: [], open: ['buy 2'] });
  });

  it('netting: an opposite entry closes the position and opens the other side', () => {
    expect(summary({ mode: 'netting' })).toEqual({
      closed: ['buy 2-3 signal', 'sell 3-4 signal'],
      open: ['buy 4'],
    });
  });

  it('hedging: longs and shorts are held together up to the maximum', () => {
    expect(summary({ mode: 'hedging', max: 2 })).toEqual({ closed: [], open: ['buy 2', 'sell 3'] });
    expect(summary({ mode: 'hedging', max: 3 })).toEqual({ closed: [], open: ['buy 2', 'sell 3', 'buy 4'] });
  });

  it('hedging: an exit signal closes every position of its side, oldest first', () => {
    const withExit = { ...rules, long: { ...rules.long, exit: { op: 'hours', from: '04:00', to: '05:00' } } };
    const result = backtest(testSpec({ rules: withExit, positions: { mode: 'hedging', max: 3 } }), bars);
    expect(tradesOf(result).map((t) => `${t.direction} ${barAt(t.entryTime)}-${barAt(t.exitTime)}`)).toEqual(['buy 2-5', 'buy 4-5']);
    expect(result.openPositions.map((p) => p.direction)).toEqual(['sell']);
  });

  it('single and netting ignore a bar that signals both a long and a short entry', () => {
    const both = { long: { entry: hour(1) }, short: { entry: hour(1) } };
    expect(backtest(testSpec({ rules: both }), bars).openPositions).toEqual([]);
    expect(backtest(testSpec({ rules: both, positions: { mode: 'netting' } }), bars).openPositions).toEqual([]);
    expect(backtest(testSpec({ rules: both, positions: { mode: 'hedging', max: 2 } }), bars).openPositions).toHaveLength(2);
  });

  it('an exit signal wins over an entry of the same side on the same bar', () => {
    const conflicting = { long: { entry: hour(1), exit: { op: 'or', any: [hour(1), hour(4)] } } };
    const result = backtest(testSpec({ rules: conflicting }), bars);
    expect(result.trades.length + result.openPositions.length).toBe(0);
  });
});

describe('end of data', () => {
  it('leaves open positions open by default, marked to market at the last close', () => {
    const result = run({ mode: 'single' });
    expect(result.openPositions).toHaveLength(1);
    expect(result.openPositions[0]).toMatchObject({ direction: 'buy', entryPrice: 100, markPrice: 100, floatingGross: 0 });
    expect(result.account.equity).toBe(10_000);
  });

  it('closes them at the last close with closeReason end_of_data when asked', () => {
    const result = backtest(testSpec({ rules, positions: { mode: 'single' } }), bars, { closeAtEnd: true });
    expect(result.openPositions).toEqual([]);
    expect(tradesOf(result).map((t) => t.closeReason)).toEqual(['end_of_data']);
    expect(barAt(result.trades.exitTime[0]!)).toBe(5);
    expect(result.curve.balance[5]).toBe(result.account.balance);
  });

  it('closes everything with stop_out when equity reaches zero, and trades no more', () => {
    const crash = barsFromRows([flat, flat, flat, [100, 100, 40, 45], flat.map((p) => p - 55) as unknown as Ohlc, [45, 46, 44, 45]]);
    const result = backtest(testSpec({ rules: { long: { entry: { op: 'or', any: [hour(1), hour(4)] } } }, risk: { sizing: { type: 'fixedUnits', units: 200 } } }), crash);
    const trades = tradesOf(result);
    expect(trades.map((t) => `${t.closeReason} ${barAt(t.exitTime)}`)).toEqual(['stop_out 3']);
    expect(result.stoppedOut).toBe(true);
    expect(result.openPositions).toEqual([]);
    expect(result.account.balance).toBeCloseTo(10_000 + (45 - 100) * 200, 9);
  });
});
