import { describe, expect, it } from 'vitest';
import { highest, lowest } from './extremes.js';

function scan(values: Float64Array, period: number, pick: (...xs: number[]) => number): number[] {
  return [...values].map((_, i) => (i < period - 1 ? NaN : pick(...values.subarray(i - period + 1, i + 1))));
}

describe('highest and lowest', () => {
  it('match a full window scan for every period on a series with ties and reversals', () => {
    let state = 7;
    const values = Float64Array.from({ length: 400 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 16) % 23; // small range: many equal values
    });
    for (const period of [1, 2, 3, 7, 50, 400, 401]) {
      expect([...highest(values, period)]).toEqual(scan(values, period, Math.max));
      expect([...lowest(values, period)]).toEqual(scan(values, period, Math.min));
    }
  });

  it('handle monotone series, where the deque holds one value or all of them', () => {
    const rising = Float64Array.from({ length: 10 }, (_, i) => i);
    expect([...highest(rising, 4)].slice(3)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect([...lowest(rising, 4)].slice(3)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('stay fast on a million bars whatever the period', () => {
    const values = Float64Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i / 1000) * 100 + (i % 7));
    const started = performance.now();
    highest(values, 20);
    highest(values, 100_000);
    lowest(values, 20);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
