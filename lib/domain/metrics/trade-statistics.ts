import { DIRECTIONS, type Direction } from '../trade.js';
import type { ClosedTradeColumns, TradeStatistics } from './types.js';
import { rewardOverRisk } from './statistics.js';

/** Which trades to count: every trade, or one direction only. */
export type DirectionFilter = 'all' | Direction;

const ALL = -1;

/**
 * The per-trade statistics over the trades that pass `filter`, visited in `closingOrder` (trade
 * indices sorted by exit time) so that streaks follow the order trades were closed. One pass for the
 * sums, counts, extremes and streaks, a second for the SQN's deviation around the mean.
 */
export function tradeStatistics(
  trades: ClosedTradeColumns,
  closingOrder: Uint32Array | null,
  filter: DirectionFilter,
): TradeStatistics {
  const { net, entryTime, exitTime, gross, commission } = trades;
  const direction = filter === 'all' ? ALL : DIRECTIONS.indexOf(filter);
  const length = net.length;
  let count = 0;
  let netProfit = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let winners = 0;
  let losers = 0;
  let largestWin = Number.NEGATIVE_INFINITY;
  let largestLoss = Number.POSITIVE_INFINITY;
  let winStreak = 0;
  let lossStreak = 0;
  let longestWinStreak = 0;
  let longestLossStreak = 0;
  let pnlBeforeCosts: number | null = 0;
  let commissions: number | null = 0;
  let timedTrades = 0;
  let totalDuration = 0;
  let longestDuration = 0;

  for (let k = 0; k < length; k++) {
    const i = closingOrder === null ? k : closingOrder[k]!;
    if (direction !== ALL && trades.direction[i] !== direction) continue;
    const value = net[i]!;
    count++;
    netProfit += value;
    if (value > 0) {
      winners++;
      grossProfit += value;
      if (value > largestWin) largestWin = value;
      lossStreak = 0;
      if (++winStreak > longestWinStreak) longestWinStreak = winStreak;
    } else if (value < 0) {
      losers++;
      grossLoss += value;
      if (value < largestLoss) largestLoss = value;
      winStreak = 0;
      if (++lossStreak > longestLossStreak) longestLossStreak = lossStreak;
    } else {
      winStreak = 0;
      lossStreak = 0;
    }
    // NaN marks an unknown value; one unknown makes the total unknown rather than quietly too small.
    if (pnlBeforeCosts !== null) pnlBeforeCosts = Number.isNaN(gross[i]!) ? null : pnlBeforeCosts + gross[i]!;
    if (commissions !== null) commissions = Number.isNaN(commission[i]!) ? null : commissions + commission[i]!;
    const opened = entryTime[i]!;
    if (!Number.isNaN(opened)) {
      const duration = exitTime[i]! - opened;
      timedTrades++;
      totalDuration += duration;
      if (duration > longestDuration) longestDuration = duration;
    }
  }

  const averageTrade = count === 0 ? null : netProfit / count;
  const averageLoss = losers === 0 ? null : grossLoss / losers;
  return {
    netProfit,
    grossProfit,
    grossLoss,
    pnlBeforeCosts,
    commissions,
    totalTrades: count,
    winningTrades: winners,
    losingTrades: losers,
    breakevenTrades: count - winners - losers,
    winRate: count === 0 ? null : winners / count,
    profitFactor: rewardOverRisk(grossProfit, -grossLoss),
    averageTrade,
    averageWin: winners === 0 ? null : grossProfit / winners,
    averageLoss,
    expectancy: averageTrade,
    expectancyPerAverageLoss: averageTrade === null || averageLoss === null ? null : averageTrade / -averageLoss,
    largestWin: winners === 0 ? null : largestWin,
    largestLoss: losers === 0 ? null : largestLoss,
    maxConsecutiveWins: longestWinStreak,
    maxConsecutiveLosses: longestLossStreak,
    averageTradeDurationMs: timedTrades === 0 ? null : totalDuration / timedTrades,
    maxTradeDurationMs: timedTrades === 0 ? null : longestDuration,
    sqn: systemQualityNumber(trades, direction, count, averageTrade),
  };
}

/** sqrt(n) x mean(net) / s, with s the sample standard deviation of net (n - 1). */
function systemQualityNumber(
  trades: ClosedTradeColumns,
  direction: number,
  count: number,
  averageTrade: number | null,
): number | null {
  if (count < 2 || averageTrade === null) return null;
  let squares = 0;
  for (let i = 0; i < trades.net.length; i++) {
    if (direction !== ALL && trades.direction[i] !== direction) continue;
    const distance = trades.net[i]! - averageTrade;
    squares += distance * distance;
  }
  const ratio = rewardOverRisk(averageTrade, Math.sqrt(squares / (count - 1)));
  return ratio === null ? null : Math.sqrt(count) * ratio;
}
