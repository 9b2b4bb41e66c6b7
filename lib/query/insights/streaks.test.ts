import { describe, expect, it } from 'vitest';
import { expectedLongestRun } from './streaks.js';

describe('expectedLongestRun', () => {
  it('follows log(n(1-q))/log(1/q) for a long backtest', () => {
    // 1000 trades losing 40 %: log(600)/log(2.5) = 6.98
    expect(expectedLongestRun(1000, 0.4)).toBe(7);
    expect(expectedLongestRun(10_000, 0.5)).toBe(12.3);
  });

  it('never expects fewer than one in a row when the outcome happens at all', () => {
    expect(expectedLongestRun(2, 0.9)).toBe(1);
    expect(expectedLongestRun(1, 0.5)).toBe(1);
  });

  it('has no expectation without trades or with a certain or impossible outcome', () => {
    expect(expectedLongestRun(0, 0.5)).toBeNull();
    expect(expectedLongestRun(10, 0)).toBeNull();
    expect(expectedLongestRun(10, 1)).toBeNull();
  });
});
