import type { ClosedTradeColumns } from './types.js';

/**
 * Fraction of [start, end] during which at least one position was open. Trade intervals
 * [entryTime, exitTime] are clipped to the span and merged, so overlapping trades count their common
 * time once; trades without an entry time cannot be placed and are left out.
 *
 * Merging needs intervals ordered by one end. The trades are already in closing order, so they are
 * swept from the last exit backwards: an interval that ends before the current merged block starts
 * cannot touch it, nor can any earlier-ending interval, so the block is complete. O(n), no sort.
 */
export function exposure(
  trades: ClosedTradeColumns,
  closingOrder: Uint32Array | null,
  start: number,
  end: number,
): number | null {
  const span = end - start;
  if (!(span > 0)) return null;
  let covered = 0;
  let blockStart = Number.NaN;
  let blockEnd = Number.NaN;
  for (let k = trades.exitTime.length - 1; k >= 0; k--) {
    const i = closingOrder === null ? k : closingOrder[k]!;
    const opened = Math.max(trades.entryTime[i]!, start);
    const closed = Math.min(trades.exitTime[i]!, end);
    if (Number.isNaN(opened) || closed <= opened) continue;
    if (Number.isNaN(blockStart)) {
      blockStart = opened;
      blockEnd = closed;
    } else if (closed >= blockStart) {
      if (opened < blockStart) blockStart = opened;
    } else {
      covered += blockEnd - blockStart;
      blockStart = opened;
      blockEnd = closed;
    }
  }
  if (!Number.isNaN(blockStart)) covered += blockEnd - blockStart;
  return covered / span;
}
