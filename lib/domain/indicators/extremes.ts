import { firstDefinedIndex, nanArray, requirePeriod } from './series.js';

/** Highest value over the last `period` values (inclusive of the current one). O(n) in total. */
export function highest(values: Float64Array, period: number): Float64Array {
  return slidingExtreme(values, period, true);
}

/** Lowest value over the last `period` values (inclusive of the current one). O(n) in total. */
export function lowest(values: Float64Array, period: number): Float64Array {
  return slidingExtreme(values, period, false);
}

/**
 * Monotonic deque of indices whose values only decrease (for a maximum) from front to back: a value
 * that is beaten by a newer one can never be the window's extreme again, so it is dropped for good.
 * Each index enters and leaves once, hence O(n) whatever the period. The deque lives in one Int32Array
 * sized for the whole series (its back can never pass the number of pushes), so nothing is allocated
 * per bar and no wrap-around is needed.
 */
function slidingExtreme(values: Float64Array, period: number, wantMaximum: boolean): Float64Array {
  requirePeriod('period', period);
  const out = nanArray(values.length);
  const first = firstDefinedIndex(values);
  const deque = new Int32Array(Math.max(values.length - first, 0));
  let front = 0;
  let back = 0;
  for (let i = first; i < values.length; i++) {
    const value = values[i]!;
    if (wantMaximum) {
      while (back > front && values[deque[back - 1]!]! <= value) back--;
    } else {
      while (back > front && values[deque[back - 1]!]! >= value) back--;
    }
    deque[back++] = i;
    if (deque[front]! <= i - period) front++;
    if (i >= first + period - 1) out[i] = values[deque[front]!]!;
  }
  return out;
}
