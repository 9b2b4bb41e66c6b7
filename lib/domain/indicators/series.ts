/**
 * Shared plumbing for the indicator functions: argument checks, NaN-filled outputs and the leading
 * warm-up of an input series. Every indicator treats the NaNs at the start of its input as that
 * input's own warm-up and starts counting from the first number, which is what lets indicators be
 * chained (an SMA of an RSI, the MACD signal line, the slowed stochastic).
 */

/** Throws a RangeError naming `name` unless `value` is a whole number of bars, at least 1. */
export function requirePeriod(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${String(value)}`);
  }
}

/** Throws a RangeError naming `name` unless `value` is a finite number >= `min`. */
export function requireFiniteAtLeast(name: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a finite number >= ${min}, got ${String(value)}`);
  }
}

export { requireColumnLengths as requireSameLength } from '../column-lengths.js';

export function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/** Index of the first non-NaN value; `values.length` when there is none. */
export function firstDefinedIndex(values: Float64Array): number {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i]!)) i++;
  return i;
}
