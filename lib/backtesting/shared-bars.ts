import type { BarColumns } from '../formats/types.js';

/** The six bar columns in one buffer, in this order. */
export const BAR_FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Bars in one SharedArrayBuffer: posting it to a worker shares the memory instead of copying it, so
 * every worker reads the same 48 bytes per bar the main thread holds.
 */
export interface SharedBars {
  length: number;
  buffer: SharedArrayBuffer;
}

/** Copies bars into shared memory once (the only copy made on the way to the workers). */
export function shareBars(bars: BarColumns): SharedBars {
  const buffer = new SharedArrayBuffer(BAR_FIELDS.length * bars.length * Float64Array.BYTES_PER_ELEMENT);
  const shared = { length: bars.length, buffer };
  const views = barViews(shared);
  for (const field of BAR_FIELDS) views[field].set(bars[field].subarray(0, bars.length));
  return shared;
}

/** Column views over shared bars: no copy. Callers must not write to them. */
export function barViews(shared: SharedBars): BarColumns {
  const n = shared.length;
  const column = (k: number) => new Float64Array(shared.buffer, k * n * Float64Array.BYTES_PER_ELEMENT, n);
  return { length: n, time: column(0), open: column(1), high: column(2), low: column(3), close: column(4), volume: column(5) };
}

export function sharedBarBytes(shared: SharedBars): number {
  return shared.buffer.byteLength;
}
