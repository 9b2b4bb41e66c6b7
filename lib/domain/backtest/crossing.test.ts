import { describe, expect, it } from 'vitest';
import { comparisonSignal, crossSignal } from './crossing.js';

const bars = (signal: Uint8Array) => [...signal.keys()].filter((i) => signal[i] === 1);
const d = (...values: number[]) => Float64Array.from(values);

describe('crossings (difference = left - right)', () => {
  it('a plain cross fires on the bar that ends on the other side, under both rules', () => {
    for (const rule of ['lastNonZero', 'previousBar'] as const) {
      expect(bars(crossSignal(d(-2, -1, 1, 2), 'above', rule))).toEqual([2]);
      expect(bars(crossSignal(d(2, 1, -1, -2), 'below', rule))).toEqual([2]);
    }
  });

  it('lastNonZero: touching and going through counts once, on the bar that goes through', () => {
    expect(bars(crossSignal(d(-1, 0, 0, 1, 2), 'above', 'lastNonZero'))).toEqual([3]);
  });

  it('lastNonZero: touching and returning to the same side is not a cross', () => {
    expect(bars(crossSignal(d(1, 0, 1, 0, 2), 'above', 'lastNonZero'))).toEqual([]);
    expect(bars(crossSignal(d(-1, 0, -1), 'below', 'lastNonZero'))).toEqual([]);
  });

  it('previousBar: a touch and return fires on the return', () => {
    expect(bars(crossSignal(d(1, 0, 1, 0, 2), 'above', 'previousBar'))).toEqual([2, 4]);
  });

  it('nothing crosses before both sides have values', () => {
    expect(bars(crossSignal(d(Number.NaN, Number.NaN, 1, -1, 1), 'above', 'lastNonZero'))).toEqual([4]);
    expect(bars(crossSignal(d(Number.NaN, 1, -1, 1), 'above', 'previousBar'))).toEqual([3]);
  });
});

describe('comparisons', () => {
  it('compare left with right, and a missing value is never true', () => {
    const diff = d(-1, 0, 1, Number.NaN);
    expect(bars(comparisonSignal(diff, '>'))).toEqual([2]);
    expect(bars(comparisonSignal(diff, '>='))).toEqual([1, 2]);
    expect(bars(comparisonSignal(diff, '<'))).toEqual([0]);
    expect(bars(comparisonSignal(diff, '<='))).toEqual([0, 1]);
    expect(bars(comparisonSignal(diff, '=='))).toEqual([1]);
  });
});
