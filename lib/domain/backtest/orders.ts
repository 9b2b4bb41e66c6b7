/**
 * What a bar's signals ask for, as bits, so the run loop decides without allocating:
 * close every long, close every short, open a long, open a short. Closes execute before opens.
 */
export const CLOSE_LONG = 1;
export const CLOSE_SHORT = 2;
export const OPEN_LONG = 4;
export const OPEN_SHORT = 8;

export interface OrderContext {
  mode: 'single' | 'hedging' | 'netting';
  maxPositions: number;
  longCount: number;
  shortCount: number;
  /** False once the account was stopped out. */
  entriesAllowed: boolean;
}

/**
 * The orders for one bar's signals, given the positions held:
 *  - an exit signal closes every position of its side; it also wins over an entry signal of that
 *    side on the same bar (no close-and-reopen churn);
 *  - single: an entry needs no position left open after the bar's exits;
 *  - netting: an opposite entry closes the position and opens the other side (a reversal); an entry
 *    on the side already held is ignored (no scaling in);
 *  - hedging: entries open while fewer than `maxPositions` positions remain, a long before a short;
 *  - single and netting ignore a bar that signals both a long and a short entry (ambiguous).
 */
export function decideOrders(context: OrderContext, entryLong: boolean, exitLong: boolean, entryShort: boolean, exitShort: boolean): number {
  const { mode, longCount, shortCount } = context;
  let closeLong = exitLong && longCount > 0;
  let closeShort = exitShort && shortCount > 0;
  let openLong = entryLong && !exitLong && context.entriesAllowed;
  let openShort = entryShort && !exitShort && context.entriesAllowed;
  if (mode !== 'hedging' && openLong && openShort) {
    openLong = false;
    openShort = false;
  }
  if (mode === 'netting') {
    if (openLong) {
      if (longCount > 0 && !closeLong) openLong = false;
      else if (shortCount > 0) closeShort = true;
    }
    if (openShort) {
      if (shortCount > 0 && !closeShort) openShort = false;
      else if (longCount > 0) closeLong = true;
    }
  } else {
    let room = context.maxPositions - (closeLong ? 0 : longCount) - (closeShort ? 0 : shortCount);
    if (openLong && room > 0) room--;
    else openLong = false;
    if (openShort && room <= 0) openShort = false;
  }
  return (closeLong ? CLOSE_LONG : 0) | (closeShort ? CLOSE_SHORT : 0) | (openLong ? OPEN_LONG : 0) | (openShort ? OPEN_SHORT : 0);
}
