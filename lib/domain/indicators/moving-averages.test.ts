import { describe, expect, it } from 'vitest';
import { ema, sma, wma } from './moving-averages.js';

const series = (...values: number[]) => Float64Array.from(values);

/**
 * Deterministic random walk of a BTC-like quote (prices ~20k-170k, two decimals), held as whole cents
 * so that a window's exact sum is an integer sum, free of rounding.
 */
function randomWalkInCents(length: number, start: number, seed: number): Float64Array {
  const cents = new Float64Array(length);
  let state = seed >>> 0;
  let price = start;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    price *= 1 + (state / 2 ** 32 - 0.5) * 0.004;
    cents[i] = Math.round(price * 100);
  }
  return cents;
}

function plainRunningSma(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= period) sum -= values[i - period]!;
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

describe('sma', () => {
  it('averages the last period values and is NaN before', () => {
    expect([...sma(series(1, 2, 3, 4, 5), 3)]).toEqual([NaN, NaN, 2, 3, 4]);
  });

  it('keeps 1e-9 agreement with a freshly summed window over 1,000,000 bars of BTC-sized prices', () => {
    const period = 20;
    const cents = randomWalkInCents(1_000_000, 100_000, 42);
    const prices = cents.map((c) => c / 100);
    const averages = sma(prices, period);
    const plain = plainRunningSma(prices, period);
    let exactWindowCents = 0;
    let worst = 0;
    let worstPlain = 0;
    for (let i = 0; i < prices.length; i++) {
      exactWindowCents += cents[i]! - (i >= period ? cents[i - period]! : 0);
      if (i < period - 1) continue;
      const exact = exactWindowCents / (100 * period);
      worst = Math.max(worst, Math.abs(averages[i]! - exact));
      worstPlain = Math.max(worstPlain, Math.abs(plain[i]! - exact));
    }
    expect(worst).toBeLessThanOrEqual(1e-10);
    // The data must be demanding enough that an uncompensated running sum fails the same bound.
    expect(worstPlain).toBeGreaterThan(1e-9);

    const end = prices.length - 1;
    let fresh = 0;
    for (let j = end - period + 1; j <= end; j++) fresh += prices[j]!;
    expect(Math.abs(averages[end]! - fresh / period)).toBeLessThanOrEqual(1e-9);
  });

  it('treats leading NaNs as the input warm-up, so an SMA of an SMA starts where both are filled', () => {
    const twice = sma(sma(series(1, 2, 3, 4, 5, 6), 2), 3);
    expect([...twice]).toEqual([NaN, NaN, NaN, 2.5, 3.5, 4.5]);
  });
});

describe('ema', () => {
  it('seeds with the simple mean of the first period values, then uses alpha = 2/(period+1)', () => {
    const out = ema(series(2, 4, 6, 8, 10), 3);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(4);
    expect(out[3]).toBe(4 + 0.5 * (8 - 4));
    expect(out[4]).toBe(6 + 0.5 * (10 - 6));
  });

  it('with period 1 reproduces the input', () => {
    expect([...ema(series(3, 1, 4, 1, 5), 1)]).toEqual([3, 1, 4, 1, 5]);
  });
});

describe('wma', () => {
  it('weights the newest value by period and the oldest by 1', () => {
    expect(wma(series(1, 2, 3, 10), 3)[3]).toBeCloseTo((1 * 2 + 2 * 3 + 3 * 10) / 6, 12);
  });
});
