import { describe, expect, it } from 'vitest';
import type { IngestSummary } from '../ingest/summary.js';
import { reconcileReport } from './reconcile-report.js';

const summary: IngestSummary = {
  trades: 3, period: null, symbols: [], accountCurrency: 'EUR', startingBalance: 10000, endingBalance: 10030.55,
  netProfit: 30.55, grossProfit: 94.3, grossLoss: -63.75, commissions: -6, swaps: -0.75, unitemisedCosts: null,
  winningTrades: 2, losingTrades: 1, winRate: 2 / 3, profitFactor: 1.48, maxBalanceDrawdown: { absolute: 63.75, percent: 0.64, percentAtMax: 0.64, peakAt: null, troughAt: null }, streaks: { wins: null, losses: null },
};

describe('report reconciliation', () => {
  it('accepts totals that agree with the history items, whichever sign the report gives costs', () => {
    expect(reconcileReport('r.json', { netProfit: 30.55, totalTrades: 3, winningTrades: 2, losingTrades: 1, commissions: 6, swaps: -0.75, endingBalance: 10030.55 }, summary, 2)).toEqual([]);
  });

  it('warns about each total that disagrees, naming the field with both values', () => {
    const issues = reconcileReport('r.json', { netProfit: 31.55, totalTrades: 4 }, summary, 2);
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'report_total_mismatch', file: 'r.json', field: 'totalTrades', expected: '4', found: '3' }),
      expect.objectContaining({ field: 'netProfit', expected: '31.55', found: '30.55' }),
    ]);
  });

  it('allows the rounding drift of summing many rounded values, and no more', () => {
    expect(reconcileReport('r.json', { netProfit: 30.56 }, summary, 2)).toEqual([]);
    expect(reconcileReport('r.json', { netProfit: 30.6 }, summary, 2)).toHaveLength(1);
  });
});
