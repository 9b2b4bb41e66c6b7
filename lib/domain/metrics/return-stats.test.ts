import { describe, expect, it } from 'vitest';
import { returnStats } from './return-stats.js';

const MONTHLY = Float64Array.from([
  0.003, 0.026, 0.011, -0.01, 0.015, 0.025, 0.016, 0.067, -0.014, 0.04, -0.005, 0.081, 0.04, -0.037, -0.061, 0.017,
  -0.049, -0.022, 0.07, 0.058, -0.065, 0.024, -0.005, -0.009,
]);

function expectWithin(actual: number | null, expected: number, tolerance = 1e-9): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance);
}

describe('returnStats', () => {
  it('reproduces the golden monthly statistics to 1e-9', () => {
    const stats = returnStats(MONTHLY, 12);
    expectWithin(stats.volatility, 0.13700015867969229);
    expectWithin(stats.cagr, 0.10367828972980941);
    expectWithin(stats.sharpe, 0.7883202548144859);
    expectWithin(stats.sortino, 1.3592165786838633);
    expectWithin(stats.maxDrawdown, -0.144672955739218);
    expectWithin(stats.calmar, 0.7166390511623746);
  });

  it('lowers Sharpe and Sortino by a risk-free rate compounded down to one period', () => {
    const withRate = returnStats(MONTHLY, 12, 0.02);
    const monthlyRate = 1.02 ** (1 / 12) - 1;
    const excess = MONTHLY.map((r) => r - monthlyRate);
    const withoutRate = returnStats(excess, 12);
    expectWithin(withRate.sharpe, withoutRate.sharpe!, 1e-12);
    expectWithin(withRate.sortino, withoutRate.sortino!, 1e-12);
    expect(withRate.cagr).toBe(returnStats(MONTHLY, 12).cagr);
  });

  it('gives Infinity Sharpe and Sortino for constant gains, null for constant zeros, -Infinity for constant losses', () => {
    const gains = returnStats(Float64Array.of(0.25, 0.25, 0.25), 12);
    expect(gains.volatility).toBe(0);
    expect(gains.sharpe).toBe(Number.POSITIVE_INFINITY);
    expect(gains.sortino).toBe(Number.POSITIVE_INFINITY);
    expect(gains.maxDrawdown).toBe(0);
    expect(gains.calmar).toBe(Number.POSITIVE_INFINITY);

    const flat = returnStats(Float64Array.of(0, 0, 0), 12);
    expect(flat).toEqual({ volatility: 0, cagr: 0, sharpe: null, sortino: null, maxDrawdown: 0, calmar: null });

    const losses = returnStats(Float64Array.of(-0.25, -0.25), 12);
    expect(losses.sharpe).toBe(Number.NEGATIVE_INFINITY);
    expect(losses.maxDrawdown).toBeCloseTo(0.75 * 0.75 - 1, 15);
  });

  it('has no volatility-based ratio for a single period and nothing at all for none', () => {
    const one = returnStats(Float64Array.of(0.5), 1);
    expect(one.volatility).toBeNull();
    expect(one.sharpe).toBeNull();
    expect(one.sortino).toBeNull();
    expect(one.cagr).toBe(0.5);
    expect(returnStats(new Float64Array(0), 252)).toEqual({
      volatility: null,
      cagr: null,
      sharpe: null,
      sortino: null,
      maxDrawdown: 0,
      calmar: null,
    });
  });

  it('reports a CAGR of -1 once the compounded equity is wiped out', () => {
    expect(returnStats(Float64Array.of(0.1, -1, 0.2), 12).cagr).toBe(-1);
  });

  it('rejects a non-positive periodsPerYear by name', () => {
    expect(() => returnStats(MONTHLY, 0)).toThrow(/^periodsPerYear /);
  });
});
