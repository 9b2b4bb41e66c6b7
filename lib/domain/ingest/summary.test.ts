import { describe, expect, it } from 'vitest';
import { tradesToColumns } from '../trade-columns.js';
import type { SourcedTrade } from '../trade.js';
import { SummaryAccumulator } from './summary.js';

const t = (i: number, net: number, over: Partial<SourcedTrade> = {}): SourcedTrade => ({
  file: 'f', line: i, sourceId: String(i), symbol: 'EURUSD', direction: 'buy', quantity: 1, volume: 1,
  entryTime: Date.UTC(2025, 0, i + 1), exitTime: Date.UTC(2025, 0, i + 1, 12), entryPrice: 1, exitPrice: 1,
  gross: net + 1, commission: -1, swap: 0, net, pips: 0, balanceAfter: null, label: null, closeReason: 'unknown',
  stops: null, metadata: {}, ...over,
});

describe('ingest summary', () => {
  it('computes the headline figures from accepted rows in closing order', () => {
    const acc = new SummaryAccumulator();
    const trades = [t(0, 100), t(1, -50, { symbol: 'US30' }), t(2, -30), t(3, 80), t(4, 999)];
    // Out of order in the file: the drawdown must follow closing time.
    const shuffled = [trades[2]!, trades[0]!, trades[3]!, trades[1]!, trades[4]!];
    acc.add(tradesToColumns(shuffled, 'f'), Uint8Array.from([1, 1, 1, 1, 0]));
    const s = acc.finish({ startingBalance: 1000, accountCurrency: 'EUR', depositDigits: 2 });
    expect(s).toMatchObject({
      trades: 4,
      netProfit: 100,
      grossProfit: 180,
      grossLoss: -80,
      commissions: -4,
      swaps: 0,
      unitemisedCosts: null,
      winningTrades: 2,
      losingTrades: 2,
      winRate: 0.5,
      profitFactor: 2.25,
      startingBalance: 1000,
      endingBalance: 1100,
      maxBalanceDrawdown: { absolute: 80, percent: 7.27, percentAtMax: 7.27, peakAt: '2025-01-01T12:00:00.000Z', troughAt: '2025-01-03T12:00:00.000Z' },
      streaks: {
        wins: { length: 1, from: '2025-01-01T12:00:00.000Z', to: '2025-01-01T12:00:00.000Z', net: 100 },
        losses: { length: 2, from: '2025-01-02T12:00:00.000Z', to: '2025-01-03T12:00:00.000Z', net: -80 },
      },
      symbols: [{ symbol: 'EURUSD', trades: 3 }, { symbol: 'US30', trades: 1 }],
      period: { start: '2025-01-01T00:00:00.000Z', end: '2025-01-04T12:00:00.000Z' },
    });
  });

  it('finds the largest fall in money and the deepest in percent separately, with their times', () => {
    const acc = new SummaryAccumulator();
    // 100 -> 150 (peak) -> 90 (-60, 40 %) -> 1000 (peak) -> 900 (-100, 10 %)
    acc.add(tradesToColumns([t(0, 50), t(1, -60), t(2, 910), t(3, -100), t(4, 0)], 'f'), Uint8Array.of(1, 1, 1, 1, 1));
    const s = acc.finish({ startingBalance: 100, accountCurrency: null, depositDigits: 2 });
    expect(s.maxBalanceDrawdown).toEqual({ absolute: 100, percent: 40, percentAtMax: 10, peakAt: '2025-01-03T12:00:00.000Z', troughAt: '2025-01-04T12:00:00.000Z' });
    // The breakeven trade at the end ends the losing run without joining it.
    expect(s.streaks.losses).toMatchObject({ length: 1, from: '2025-01-02T12:00:00.000Z' });
  });

  it('dates a fall that starts from the starting balance with no peak time', () => {
    const acc = new SummaryAccumulator();
    acc.add(tradesToColumns([t(0, -30), t(1, -20)], 'f'), Uint8Array.of(1, 1));
    expect(acc.finish({ startingBalance: 1000, accountCurrency: null, depositDigits: 2 }).maxBalanceDrawdown).toEqual({
      absolute: 50, percent: 5, percentAtMax: 5, peakAt: null, troughAt: '2025-01-02T12:00:00.000Z',
    });
  });

  it('reports unitemised costs when a source gives gross and net but not the costs', () => {
    const acc = new SummaryAccumulator();
    acc.add(tradesToColumns([t(0, 9, { gross: 10, commission: null, swap: null })], 'f'), Uint8Array.of(1));
    const s = acc.finish({ startingBalance: null, accountCurrency: null, depositDigits: 2 });
    expect(s).toMatchObject({ commissions: null, swaps: null, unitemisedCosts: -1, startingBalance: null, maxBalanceDrawdown: { percent: null } });
  });

  it('says Infinity for a profit factor without losers and null figures without trades', () => {
    const acc = new SummaryAccumulator();
    acc.add(tradesToColumns([t(0, 5)], 'f'), Uint8Array.of(1));
    expect(acc.finish({ startingBalance: 100, accountCurrency: null, depositDigits: 2 }).profitFactor).toBe('Infinity');
    const empty = new SummaryAccumulator().finish({ startingBalance: 100, accountCurrency: null, depositDigits: 2 });
    expect(empty).toMatchObject({ trades: 0, period: null, winRate: null, profitFactor: null, netProfit: 0 });
  });
});
