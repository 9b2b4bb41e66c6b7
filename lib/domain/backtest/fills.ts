/**
 * Where stops and targets fill inside a bar. Bars carry bid prices; a long position exits by selling
 * at the bid, a short one by buying at the ask (bid + spread), so a short's levels are tested against
 * the bar shifted up by the spread. Within a bar only open, high, low and close are known:
 *   - a bar that opens beyond a level fills at the open (a gap gives no better price than the open);
 *   - otherwise a level inside [low, high] fills at the level;
 *   - when the stop and the target are both inside the bar, the order in which price reached them is
 *     unknown and the stop is assumed first (conservative: a backtest should not count on luck).
 */
export const NO_EXIT = 0;
export const STOP_AT_LEVEL = 1;
export const STOP_AT_OPEN = 2;
export const TARGET_AT_LEVEL = 3;
export const TARGET_AT_OPEN = 4;
export type LevelHit = typeof NO_EXIT | typeof STOP_AT_LEVEL | typeof STOP_AT_OPEN | typeof TARGET_AT_LEVEL | typeof TARGET_AT_OPEN;

/** For a long position; a NaN level never fills. */
export function longLevelHit(open: number, high: number, low: number, stop: number, target: number): LevelHit {
  if (open <= stop) return STOP_AT_OPEN;
  if (open >= target) return TARGET_AT_OPEN;
  if (low <= stop) return STOP_AT_LEVEL;
  if (high >= target) return TARGET_AT_LEVEL;
  return NO_EXIT;
}

/** For a short position; open/high/low are ask prices. */
export function shortLevelHit(open: number, high: number, low: number, stop: number, target: number): LevelHit {
  if (open >= stop) return STOP_AT_OPEN;
  if (open <= target) return TARGET_AT_OPEN;
  if (high >= stop) return STOP_AT_LEVEL;
  if (low <= target) return TARGET_AT_LEVEL;
  return NO_EXIT;
}

/** Rounds a stop or target level to the symbol's digits, as cTrader does; null digits leave it as is. */
export function roundToDigits(price: number, digits: number | null): number {
  if (digits === null) return price;
  const scale = 10 ** digits;
  return Math.round(price * scale) / scale;
}
