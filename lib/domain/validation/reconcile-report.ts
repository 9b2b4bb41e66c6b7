import type { Issue } from '../issues.js';
import type { DeclaredTotals } from '../../formats/types.js';
import type { IngestSummary } from '../ingest/summary.js';

/**
 * Compares what a report says about its trades with what its history items add up to. A mismatch is
 * a warning naming the report field: the trades are kept, the trader is told which figure disagrees.
 */
export function reconcileReport(file: string, declared: DeclaredTotals, computed: IngestSummary, depositDigits: number): Issue[] {
  const unit = 10 ** -depositDigits;
  // Totals of n rounded values may drift by up to half a unit each.
  const moneyTolerance = Math.max(unit, (computed.trades * unit) / 2) + 1e-9;
  const checks: [keyof DeclaredTotals, number | null, number][] = [
    ['totalTrades', computed.trades, 0],
    ['winningTrades', computed.winningTrades, 0],
    ['losingTrades', computed.losingTrades, 0],
    ['netProfit', computed.netProfit, moneyTolerance],
    ['commissions', computed.commissions, moneyTolerance],
    ['swaps', computed.swaps, moneyTolerance],
    ['endingBalance', computed.endingBalance, moneyTolerance],
  ];
  const issues: Issue[] = [];
  for (const [field, found, tolerance] of checks) {
    const expected = declared[field];
    if (expected === undefined || found === null) continue;
    // cTrader reports costs as positive totals in some places and signed in others.
    const agrees = Math.abs(expected - found) <= tolerance || ((field === 'commissions' || field === 'swaps') && Math.abs(Math.abs(expected) - Math.abs(found)) <= tolerance);
    if (agrees) continue;
    issues.push({
      severity: 'warning',
      code: 'report_total_mismatch',
      message: `the report declares ${field} ${expected}, but its history items give ${found}`,
      file,
      field,
      expected: String(expected),
      found: String(found),
    });
  }
  return issues;
}
