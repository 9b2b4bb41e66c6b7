import { describe, expect, it } from 'vitest';
import { DIRECTIONS, type Trade } from '../trade.js';
import type { TradeColumns } from '../trade-columns.js';
import { computeMetrics } from './compute-metrics.js';
import { metricsJsonReviver, metricsToJson } from './json.js';
import type { ClosedTradeColumns, EquityCurve } from './types.js';

// The ingest/engine columns must be usable as metrics input without conversion.
const ingestColumnsFitMetrics: (columns: TradeColumns) => ClosedTradeColumns = (columns) => columns;
void ingestColumnsFitMetrics;

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

type TradeFields = Pick<Trade, 'entryTime' | 'exitTime' | 'net' | 'gross' | 'commission' | 'direction'>;

function trade(direction: 'buy' | 'sell', entryHour: number | null, exitHour: number, net: number): TradeFields {
  return {
    direction,
    entryTime: entryHour === null ? null : T0 + entryHour * HOUR,
    exitTime: T0 + exitHour * HOUR,
    net,
    gross: net + 5,
    commission: -5,
  };
}

function tradeColumnsFromTrades(trades: TradeFields[]): ClosedTradeColumns {
  const unknownAsNaN = (value: number | null) => value ?? Number.NaN;
  return {
    entryTime: Float64Array.from(trades, (t) => unknownAsNaN(t.entryTime)),
    exitTime: Float64Array.from(trades, (t) => t.exitTime),
    net: Float64Array.from(trades, (t) => t.net),
    gross: Float64Array.from(trades, (t) => unknownAsNaN(t.gross)),
    commission: Float64Array.from(trades, (t) => unknownAsNaN(t.commission)),
    direction: Uint8Array.from(trades, (t) => DIRECTIONS.indexOf(t.direction)),
  };
}

function curve(points: [hours: number, balance: number, equity?: number][]): EquityCurve {
  return {
    time: Float64Array.from(points, ([hours]) => T0 + hours * HOUR),
    balance: Float64Array.from(points, ([, balance]) => balance),
    equity: Float64Array.from(points, ([, balance, equity]) => equity ?? balance),
  };
}

// Closing order: +100, -40, +60, +20, -30, 0, -10. Hours are entry/exit offsets from T0.
const SEVEN_TRADES = [
  trade('buy', 0, 2, 100),
  trade('sell', 1, 3, -40),
  trade('buy', 5, 6, 60),
  trade('buy', 6, 10, 20),
  trade('sell', 11, 12, -30),
  trade('buy', 12, 13, 0),
  trade('sell', 13, 15, -10),
];
const SIXTEEN_HOURS = curve([
  [0, 10_000],
  [16, 10_100],
]);

describe('computeMetrics: trade statistics', () => {
  const metrics = computeMetrics(tradeColumnsFromTrades(SEVEN_TRADES), SIXTEEN_HOURS, 10_000);

  it('sums profits, losses and costs by the sign of each trade net', () => {
    expect(metrics.netProfit).toBe(100);
    expect(metrics.grossProfit).toBe(180);
    expect(metrics.grossLoss).toBe(-80);
    expect(metrics.profitFactor).toBe(180 / 80);
    expect(metrics.commissions).toBe(-35);
    expect(metrics.pnlBeforeCosts).toBe(135);
  });

  it('counts winners, losers and breakeven trades separately', () => {
    expect(metrics.totalTrades).toBe(7);
    expect(metrics.winningTrades).toBe(3);
    expect(metrics.losingTrades).toBe(3);
    expect(metrics.breakevenTrades).toBe(1);
    expect(metrics.winRate).toBe(3 / 7);
  });

  it('averages per trade, per winner and per loser, with expectancy equal to the average trade', () => {
    expect(metrics.averageTrade).toBe(100 / 7);
    expect(metrics.averageWin).toBe(60);
    expect(metrics.averageLoss).toBe(-80 / 3);
    expect(metrics.expectancy).toBe(100 / 7);
    expect(metrics.expectancyPerAverageLoss).toBeCloseTo(100 / 7 / (80 / 3), 14);
    expect(metrics.largestWin).toBe(100);
    expect(metrics.largestLoss).toBe(-40);
  });

  it('counts streaks in closing order, a breakeven trade ending a losing run', () => {
    expect(metrics.maxConsecutiveWins).toBe(2);
    expect(metrics.maxConsecutiveLosses).toBe(1);
  });

  it('measures average and longest holding time in milliseconds', () => {
    expect(metrics.averageTradeDurationMs).toBeCloseTo((13 / 7) * HOUR, 6);
    expect(metrics.maxTradeDurationMs).toBe(4 * HOUR);
  });

  it('computes the SQN with the sample standard deviation of net', () => {
    // mean 100/7, sample variance 17700/7, so sqrt(7) x mean / stdev = 100 / sqrt(17700).
    expect(metrics.sqn).toBeCloseTo(100 / Math.sqrt(17_700), 14);
  });

  it('splits the same statistics into long and short trades', () => {
    expect(metrics.long.totalTrades).toBe(4);
    expect(metrics.long.netProfit).toBe(180);
    expect(metrics.long.profitFactor).toBe(Number.POSITIVE_INFINITY);
    expect(metrics.long.largestLoss).toBeNull();
    expect(metrics.short.netProfit).toBe(-80);
    expect(metrics.short.profitFactor).toBe(0);
    expect(metrics.short.winRate).toBe(0);
    expect(metrics.short.maxConsecutiveLosses).toBe(3);
  });

  it('gives the same answer when trades arrive out of closing order', () => {
    const shuffled = [3, 0, 6, 1, 5, 2, 4].map((i) => SEVEN_TRADES[i]!);
    const again = computeMetrics(tradeColumnsFromTrades(shuffled), SIXTEEN_HOURS, 10_000);
    expect(again.maxConsecutiveWins).toBe(2);
    expect(again.maxConsecutiveLosses).toBe(1);
    expect(again.exposure).toBe(metrics.exposure);
    expect(again.sqn).toBeCloseTo(metrics.sqn!, 14);
  });

  it('leaves commissions unknown when any trade lacks one, instead of summing the rest', () => {
    const partial = SEVEN_TRADES.map((t, i) => (i === 2 ? { ...t, commission: null } : t));
    expect(computeMetrics(tradeColumnsFromTrades(partial), SIXTEEN_HOURS, 10_000).commissions).toBeNull();
    const none = SEVEN_TRADES.map((t) => ({ ...t, commission: null, gross: null }));
    const metrics = computeMetrics(tradeColumnsFromTrades(none), SIXTEEN_HOURS, 10_000);
    expect(metrics.commissions).toBeNull();
    expect(metrics.pnlBeforeCosts).toBeNull();
  });
});

describe('computeMetrics: exposure', () => {
  it('counts overlapping and touching trades once over the curve span', () => {
    const metrics = computeMetrics(tradeColumnsFromTrades(SEVEN_TRADES), SIXTEEN_HOURS, 10_000);
    // Merged: [0,3] + [5,10] + [11,15] = 12 of 16 hours.
    expect(metrics.exposure).toBe(12 / 16);
  });

  it('merges a trade nested in another, clips trades to the curve and skips unknown entry times', () => {
    const trades = [trade('buy', 2, 3, 1), trade('sell', -5, 10, 1), trade('buy', 4, 12, 1), trade('buy', null, 19, 1), trade('buy', 18, 30, 1)];
    const metrics = computeMetrics(tradeColumnsFromTrades(trades), curve([[0, 100], [20, 105]]), 100);
    // [0,12] from the first three, [18,20] from the last, clipped at the curve end.
    expect(metrics.exposure).toBe(14 / 20);
  });
});

describe('computeMetrics: drawdowns', () => {
  it('measures balance and equity drawdowns from the running peak, starting at the starting balance', () => {
    const metrics = computeMetrics(
      tradeColumnsFromTrades([]),
      curve([
        [0, 1000, 1000],
        [1, 1100, 1100],
        [2, 1100, 990],
        [3, 1050, 1050],
        [4, 1200, 1250],
        [5, 1200, 900],
        [6, 1300, 1300],
      ]),
      1000,
    );
    expect(metrics.maxBalanceDrawdown).toBe(50);
    expect(metrics.maxBalanceDrawdownPercent).toBeCloseTo((50 / 1100) * 100, 12);
    expect(metrics.maxEquityDrawdown).toBe(350);
    expect(metrics.maxEquityDrawdownPercent).toBeCloseTo(28, 12);
  });

  it('reports the deepest fall in money and in percent independently, as cTrader does', () => {
    const metrics = computeMetrics(tradeColumnsFromTrades([]), curve([[0, 800], [1, 3000], [2, 2500]]), 1000);
    expect(metrics.maxEquityDrawdown).toBe(500);
    expect(metrics.maxEquityDrawdownPercent).toBe(20);
  });

  it('derives the recovery factor and Calmar ratio from the equity drawdown', () => {
    const trades = tradeColumnsFromTrades([trade('buy', 0, 24, 150)]);
    const metrics = computeMetrics(trades, curve([[0, 1000], [24, 900], [365.25 * 24, 1150]]), 1000);
    expect(metrics.recoveryFactor).toBe(150 / 100);
    expect(metrics.cagr).toBeCloseTo(0.15, 12);
    expect(metrics.calmar).toBeCloseTo(0.15 / 0.1, 10);
  });
});

describe('computeMetrics: daily Sharpe and Sortino', () => {
  it('uses the last equity of each UTC day and skips days without points', () => {
    const equity = curve([
      [0, 1000],
      [12, 1010],
      [24, 1020],
      [47, 1030],
      [72, 1000],
    ]);
    const metrics = computeMetrics(tradeColumnsFromTrades([]), equity, 1000, { periodsPerYear: 252 });
    const returns = [1010 / 1000 - 1, 1030 / 1010 - 1, 1000 / 1030 - 1];
    const meanReturn = returns.reduce((a, b) => a + b) / 3;
    const deviation = Math.sqrt(returns.reduce((a, r) => a + (r - meanReturn) ** 2, 0) / 2);
    const downside = Math.sqrt(returns.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / 3);
    expect(metrics.dailyReturnCount).toBe(3);
    expect(metrics.sharpe).toBeCloseTo((meanReturn / deviation) * Math.sqrt(252), 12);
    expect(metrics.sortino).toBeCloseTo((meanReturn / downside) * Math.sqrt(252), 12);
  });
});

describe('computeMetrics: edge cases have explicit values', () => {
  it('with no trades: counts are 0, ratios null, exposure 0', () => {
    const metrics = computeMetrics(tradeColumnsFromTrades([]), curve([[0, 500], [240, 500]]), 500);
    expect(metrics).toMatchObject({
      netProfit: 0,
      totalTrades: 0,
      winRate: null,
      profitFactor: null,
      averageTrade: null,
      expectancy: null,
      largestWin: null,
      largestLoss: null,
      maxConsecutiveWins: 0,
      averageTradeDurationMs: null,
      sqn: null,
      maxEquityDrawdown: 0,
      recoveryFactor: null,
      sharpe: null,
      sortino: null,
      cagr: 0,
      calmar: null,
      exposure: 0,
    });
  });

  it('with only winners: profit factor Infinity, written to JSON as "Infinity" and read back', () => {
    const trades = tradeColumnsFromTrades([trade('buy', 0, 1, 10), trade('sell', 2, 3, 20)]);
    const metrics = computeMetrics(trades, curve([[0, 100], [3, 130]]), 100);
    expect(metrics.profitFactor).toBe(Number.POSITIVE_INFINITY);
    const json = metricsToJson(metrics);
    expect(json).toContain('"profitFactor":"Infinity"');
    expect(JSON.parse(json, metricsJsonReviver).profitFactor).toBe(Number.POSITIVE_INFINITY);
  });

  it('with a one-day curve: one daily return, so no Sharpe, Sortino, CAGR or Calmar', () => {
    const trades = tradeColumnsFromTrades([trade('buy', 1, 5, 25)]);
    const metrics = computeMetrics(trades, curve([[0, 1000], [5, 1025], [8, 1025]]), 1000);
    expect(metrics.dailyReturnCount).toBe(1);
    expect(metrics.sharpe).toBeNull();
    expect(metrics.sortino).toBeNull();
    expect(metrics.cagr).toBeNull();
    expect(metrics.calmar).toBeNull();
    expect(metrics.exposure).toBe(4 / 8);
    expect(metrics.endingEquity).toBe(1025);
  });

  it('with an empty curve: ending values are the starting balance and time-based metrics are null', () => {
    const empty = { time: new Float64Array(0), balance: new Float64Array(0), equity: new Float64Array(0) };
    const metrics = computeMetrics(tradeColumnsFromTrades([]), empty, 1000);
    expect(metrics).toMatchObject({ endingBalance: 1000, endingEquity: 1000, dailyReturnCount: 0, cagr: null, exposure: null });
  });

  it('with a wiped-out account: CAGR -1 and drawdown 100 %', () => {
    const metrics = computeMetrics(tradeColumnsFromTrades([]), curve([[0, 1000], [48, 0]]), 1000);
    expect(metrics.cagr).toBe(-1);
    expect(metrics.maxEquityDrawdownPercent).toBe(100);
  });
});

describe('computeMetrics: input checks', () => {
  const good = tradeColumnsFromTrades(SEVEN_TRADES);

  it('names a trade column whose length differs', () => {
    const bad: ClosedTradeColumns = { ...good, exitTime: good.exitTime.subarray(1) };
    expect(() => computeMetrics(bad, SIXTEEN_HOURS, 10_000)).toThrow(/trades.exitTime has 6 entries/);
  });

  it('rejects a curve that goes back in time and a non-positive starting balance', () => {
    expect(() => computeMetrics(good, curve([[5, 1], [4, 1]]), 1)).toThrow(/curve.time must not decrease/);
    expect(() => computeMetrics(good, SIXTEEN_HOURS, 0)).toThrow(/^startingBalance /);
  });
});

describe('computeMetrics: speed', () => {
  it('handles a million trades and a million curve points in well under a second', () => {
    const count = 1_000_000;
    const trades: ClosedTradeColumns = {
      entryTime: new Float64Array(count),
      exitTime: new Float64Array(count),
      net: new Float64Array(count),
      gross: new Float64Array(count),
      commission: new Float64Array(count),
      direction: new Uint8Array(count),
    };
    const points: EquityCurve = { time: new Float64Array(count), balance: new Float64Array(count), equity: new Float64Array(count) };
    let balance = 100_000;
    for (let i = 0; i < count; i++) {
      const net = ((i * 7919) % 200) - 95;
      trades.entryTime[i] = T0 + i * 10 * 60_000;
      trades.exitTime[i] = trades.entryTime[i]! + 7 * 60_000;
      trades.net[i] = net;
      trades.gross[i] = net + 1;
      trades.commission[i] = -1;
      trades.direction[i] = i % 3 === 0 ? 1 : 0;
      balance += net;
      points.time[i] = trades.exitTime[i]!;
      points.balance[i] = balance;
      points.equity[i] = balance;
    }
    computeMetrics(trades, points, 100_000);
    const started = performance.now();
    const metrics = computeMetrics(trades, points, 100_000);
    const elapsed = performance.now() - started;
    expect(metrics.totalTrades).toBe(count);
    expect(elapsed).toBeLessThan(1000);
  });
});
