import type { Direction } from '../trade.js';

export interface OpenPosition {
  direction: Direction;
  /** Units and lots. */
  volume: number;
  quantity: number;
  entryTime: number;
  entryPrice: number;
  /** The last close it was marked at: bid for a long, ask for a short. */
  markPrice: number;
  /** (mark - entry) x units x multiplier, signed by direction. */
  floatingGross: number;
  /** Entry-side commission already charged, negative. */
  entryCommission: number;
  stopLoss: number | null;
  takeProfit: number | null;
  /** Margin held (0 without a margin model). */
  margin: number;
}

export interface AccountState {
  /** Starting balance plus the net of closed trades. */
  balance: number;
  /** Balance plus open positions' floating gross and their entry commission: the final value. */
  equity: number;
  usedMargin: number;
  /**
   * Equity not locked in positions: equity - margin with a margin model (backtrader's futures cash);
   * otherwise equity - the positions' market value (backtrader's stock cash: what is left after paying
   * for longs, plus the proceeds of shorts).
   */
  cash: number;
}

export interface OrderCounts {
  /** Entries that opened a position. */
  filled: number;
  /** Entries sized to zero units, or whose ATR distance had no value yet. */
  skipped: number;
  /** Entries refused because free equity could not cover their margin. */
  rejected: number;
}
