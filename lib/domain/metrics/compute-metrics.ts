import { closingOrder } from './closing-order.js';
import { dailyReturns } from './daily-returns.js';
import { maxDrawdown } from './drawdown.js';
import { exposure } from './exposure.js';
import { returnStats } from './return-stats.js';
import { requireColumnLengths, requirePositive, rewardOverRisk } from './statistics.js';
import { tradeStatistics } from './trade-statistics.js';
import type { ClosedTradeColumns, EquityCurve, Metrics, MetricsOptions } from './types.js';

const YEAR_MS = 365.25 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * Every backtest statistic, computed once, from the closed trades and the balance/equity curve only.
 * Each field's formula, unit and edge cases are documented on `Metrics` / `TradeStatistics` and in
 * docs/metrics.md. Pure: no clock, no I/O; throws a RangeError naming the input for mismatched column
 * lengths, a decreasing curve time, a non-positive starting balance or invalid options.
 *
 * - Trade statistics are computed over all trades and again over buys (`long`) and sells (`short`).
 * - Drawdowns: running peak from the starting balance; percent relative to that peak, 0-100.
 * - Sharpe/Sortino: `returnStats` over daily equity returns (UTC days, last point per day, days
 *   without points skipped), annualised with sqrt(periodsPerYear).
 * - CAGR: (endingEquity / startingBalance) ^ (1 / years) - 1, years = (last - first curve time) /
 *   365.25 days; null under one day (annualising hours is noise), -1 once equity is at or below 0.
 * - Calmar: cagr / (maxEquityDrawdownPercent / 100). Recovery factor: netProfit / maxEquityDrawdown.
 */
export function computeMetrics(
  trades: ClosedTradeColumns,
  curve: EquityCurve,
  startingBalance: number,
  options: MetricsOptions = {},
): Metrics {
  const periodsPerYear = options.periodsPerYear ?? 252;
  const riskFreeRate = options.riskFreeRate ?? 0;
  requirePositive('startingBalance', startingBalance);
  requirePositive('periodsPerYear', periodsPerYear);
  requireColumnLengths({
    'trades.net': trades.net,
    'trades.entryTime': trades.entryTime,
    'trades.exitTime': trades.exitTime,
    'trades.direction': trades.direction,
    'trades.gross': trades.gross,
    'trades.commission': trades.commission,
  });
  const points = requireColumnLengths({ 'curve.time': curve.time, 'curve.balance': curve.balance, 'curve.equity': curve.equity });
  requireNonDecreasing(curve.time);

  const order = closingOrder(trades.exitTime);
  const all = tradeStatistics(trades, order, 'all');
  const balanceDrawdown = maxDrawdown(curve.balance, startingBalance);
  const equityDrawdown = maxDrawdown(curve.equity, startingBalance);
  const daily = dailyReturns(curve.time, curve.equity, startingBalance);
  const { sharpe, sortino } = returnStats(daily, periodsPerYear, riskFreeRate);
  const first = points > 0 ? curve.time[0]! : Number.NaN;
  const last = points > 0 ? curve.time[points - 1]! : Number.NaN;
  const endingEquity = points > 0 ? curve.equity[points - 1]! : startingBalance;
  const cagr = annualGrowth(startingBalance, endingEquity, last - first);

  return {
    ...all,
    long: tradeStatistics(trades, order, 'buy'),
    short: tradeStatistics(trades, order, 'sell'),
    startingBalance,
    endingBalance: points > 0 ? curve.balance[points - 1]! : startingBalance,
    endingEquity,
    maxBalanceDrawdown: balanceDrawdown.absolute,
    maxBalanceDrawdownPercent: balanceDrawdown.percent,
    maxEquityDrawdown: equityDrawdown.absolute,
    maxEquityDrawdownPercent: equityDrawdown.percent,
    recoveryFactor: rewardOverRisk(all.netProfit, equityDrawdown.absolute),
    dailyReturnCount: daily.length,
    sharpe,
    sortino,
    cagr,
    calmar: cagr === null ? null : rewardOverRisk(cagr, equityDrawdown.percent / 100),
    exposure: points > 0 ? exposure(trades, order, first, last) : null,
  };
}

function annualGrowth(startingBalance: number, endingEquity: number, spanMs: number): number | null {
  if (!(spanMs >= DAY_MS)) return null;
  if (endingEquity <= 0) return -1;
  return (endingEquity / startingBalance) ** (YEAR_MS / spanMs) - 1;
}

function requireNonDecreasing(time: Float64Array): void {
  for (let i = 1; i < time.length; i++) {
    if (!(time[i]! >= time[i - 1]!)) {
      throw new RangeError(`curve.time must not decrease: point ${i} (${time[i]}) is before point ${i - 1} (${time[i - 1]})`);
    }
  }
}
