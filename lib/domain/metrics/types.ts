/**
 * Inputs and outputs of the metrics. Inputs are columns (one typed array per field, one entry per trade
 * or curve point) because metrics run inside the optimizer over up to millions of trades.
 */

/**
 * The closed-trade columns the metrics read, one entry per trade. A structural subset of
 * `TradeColumns` in lib/domain/trade-columns.ts, so ingested or engine columns pass as they are.
 */
export interface ClosedTradeColumns {
  /** UTC milliseconds; NaN where the source does not say when the trade was opened. */
  entryTime: Float64Array;
  /** UTC milliseconds. */
  exitTime: Float64Array;
  /** Profit in the deposit currency after commissions and swaps. */
  net: Float64Array;
  /** Profit before commissions and swaps; NaN where the source does not carry it. */
  gross: Float64Array;
  /** Commission as the source signs it (cTrader: negative); NaN where the source does not carry it. */
  commission: Float64Array;
  /** Index into DIRECTIONS of lib/domain/trade.ts: 0 = buy (long), 1 = sell (short). */
  direction: Uint8Array;
}

/** The account over time, oldest point first. All columns have one entry per point. */
export interface EquityCurve {
  /** UTC milliseconds, never decreasing. */
  time: Float64Array;
  /** Closed-trade balance. */
  balance: Float64Array;
  /** Balance plus the open positions' floating profit. */
  equity: Float64Array;
}

export interface MetricsOptions {
  /** Periods per year used to annualise the daily Sharpe and Sortino ratios: 252 trading days by default. */
  periodsPerYear?: number;
  /** Annual risk-free rate as a fraction (0.03 = 3 %), 0 by default. */
  riskFreeRate?: number;
}

/**
 * Ratios follow one rule when their denominator is 0: +Infinity if the numerator is positive (like a
 * profit factor with no losing trade), -Infinity if it is negative, null if it is 0 too. `null` always
 * means "not defined for this input" (no trades, too few points), never a made-up 0.
 */
export interface TradeStatistics {
  /** Sum of net over all trades. */
  netProfit: number;
  /** Sum of net over winning trades (net > 0); >= 0. */
  grossProfit: number;
  /** Sum of net over losing trades (net < 0); <= 0, signed as cTrader and MetaTrader show it. */
  grossLoss: number;
  /** Sum of gross (before commissions and swaps); null when any trade lacks it. */
  pnlBeforeCosts: number | null;
  /** Sum of commissions, signed as the source signs them; null when any trade lacks one. */
  commissions: number | null;
  totalTrades: number;
  winningTrades: number;
  losingTrades: number;
  /** Trades with net exactly 0: counted in totalTrades, neither winners nor losers. */
  breakevenTrades: number;
  /** winningTrades / totalTrades as a fraction 0-1; null with no trades. */
  winRate: number | null;
  /** grossProfit / |grossLoss|; Infinity with profits and no losses; null with neither. */
  profitFactor: number | null;
  /** netProfit / totalTrades; null with no trades. */
  averageTrade: number | null;
  /** grossProfit / winningTrades; null with no winners. */
  averageWin: number | null;
  /** grossLoss / losingTrades (negative); null with no losers. */
  averageLoss: number | null;
  /**
   * winRate x averageWin + lossRate x averageLoss, which is the mean net per trade (breakeven trades
   * add 0), so it equals averageTrade; kept under its own name because traders look for both.
   */
  expectancy: number | null;
  /** expectancy / |averageLoss|: expectancy in units of the average loss ("R"); null with no losers. */
  expectancyPerAverageLoss: number | null;
  /** Largest net of a winning trade; null with no winners. */
  largestWin: number | null;
  /** Most negative net of a losing trade; null with no losers. */
  largestLoss: number | null;
  /** Longest run of winners in closing order; a breakeven trade ends a run. */
  maxConsecutiveWins: number;
  /** Longest run of losers in closing order; a breakeven trade ends a run. */
  maxConsecutiveLosses: number;
  /** Mean of exit - entry in ms over trades with a known entry time; null when none has one. */
  averageTradeDurationMs: number | null;
  maxTradeDurationMs: number | null;
  /** System Quality Number: sqrt(n) x mean(net) / sample stdev(net); null with fewer than 2 trades. */
  sqn: number | null;
}

export interface Metrics extends TradeStatistics {
  /** The same trade statistics over buys only and over sells only. */
  long: TradeStatistics;
  short: TradeStatistics;
  startingBalance: number;
  /** Last curve point; the starting balance when the curve is empty. */
  endingBalance: number;
  endingEquity: number;
  /** Largest fall of the balance from its running peak (the peak starts at the starting balance). */
  maxBalanceDrawdown: number;
  /** Largest fall of the balance relative to its running peak, in percent 0-100 as cTrader reports it. */
  maxBalanceDrawdownPercent: number;
  maxEquityDrawdown: number;
  maxEquityDrawdownPercent: number;
  /** netProfit / maxEquityDrawdown. */
  recoveryFactor: number | null;
  /** Number of daily returns the Sharpe and Sortino ratios were computed from. */
  dailyReturnCount: number;
  /** Annualised Sharpe ratio of daily equity returns; null with fewer than 2 daily returns. */
  sharpe: number | null;
  /** Annualised Sortino ratio of daily equity returns; null with fewer than 2 daily returns. */
  sortino: number | null;
  /** Compound annual growth of equity from the first to the last curve time; null under one day. */
  cagr: number | null;
  /** cagr / (maxEquityDrawdownPercent / 100). */
  calmar: number | null;
  /** Fraction 0-1 of the curve's time span with at least one position open; null for a zero span. */
  exposure: number | null;
}
