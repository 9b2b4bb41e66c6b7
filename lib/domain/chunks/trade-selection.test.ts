import { describe, expect, it } from 'vitest';
import { selectTradesForChunks } from './trade-selection.js';

describe('trades chosen for chunks of their own', () => {
  it('takes every trade up to the budget', () => {
    expect(selectTradesForChunks([2, 0, 1], Float64Array.of(1, 2, 3), 3)).toEqual([2, 0, 1]);
  });

  it('past the budget keeps the largest wins and losses and an even spread, in closing order, deterministically', () => {
    const n = 1000;
    const order = Array.from({ length: n }, (_, i) => i);
    const net = Float64Array.from(order, (i) => (i === 7 ? -500 : i === 993 ? 400 : (i % 5) - 2));
    const picked = selectTradesForChunks(order, net, 100);
    expect(picked.length).toBeLessThanOrEqual(100);
    expect(picked.length).toBeGreaterThan(90);
    expect(picked).toContain(7);
    expect(picked).toContain(993);
    expect([...picked].sort((a, b) => a - b)).toEqual(picked);
    // Spread: no stretch of 200 trades goes without evidence.
    for (let from = 0; from < n; from += 200) expect(picked.some((i) => i >= from && i < from + 200)).toBe(true);
    expect(selectTradesForChunks(order, net, 100)).toEqual(picked);
  });
});
