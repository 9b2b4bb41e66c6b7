import { describe, expect, it } from 'vitest';
import { testSpec } from '../../../tests/support/backtest-kit.js';
import { compileStrategy } from './compile.js';
import { IndicatorCache } from './indicator-cache.js';
import { runBacktest } from './run-backtest.js';
import { runBatch } from './run-batch.js';
import { syntheticBars } from './synthetic-bars.js';

const crossSpec = testSpec({
  parameters: {
    fastPeriod: { type: 'int', default: 5, min: 2, max: 50 },
    slowPeriod: { type: 'int', default: 20, min: 5, max: 200 },
  },
  indicators: [
    { id: 'fast', type: 'sma', params: { period: { param: 'fastPeriod' } } },
    { id: 'slow', type: 'sma', params: { period: { param: 'slowPeriod' } } },
  ],
  rules: {
    long: { entry: { op: 'crossAbove', left: 'fast', right: 'slow' }, exit: { op: 'crossBelow', left: 'fast', right: 'slow' } },
  },
  instrument: { pipSize: 0.0001, lotSize: 100_000 },
});
const bars = syntheticBars(2_000, { seed: 3 });
const options = { symbol: 'EURUSD', startingBalance: 10_000, dataKey: 'sha256:abc' };
const grid = [
  { fastPeriod: 5, slowPeriod: 20 },
  { fastPeriod: 5, slowPeriod: 30 },
  { fastPeriod: 10, slowPeriod: 20 },
  { fastPeriod: 10, slowPeriod: 30 },
];

describe('indicator cache', () => {
  it('computes each distinct indicator once across the candidates of a batch', () => {
    const cache = new IndicatorCache();
    const batch = runBatch(bars, crossSpec, grid, { ...options, cache });
    expect(batch.candidates.every((c) => c.ok)).toBe(true);
    // SMA 5, 10, 20, 30: four computations; every other lookup (8 - 4) is a hit.
    expect(batch.cache).toMatchObject({ computations: 4, hits: 4 });
  });

  it('keeps them for the next batch on the same data key', () => {
    const cache = new IndicatorCache();
    runBatch(bars, crossSpec, grid, { ...options, cache });
    runBatch(bars, crossSpec, grid, { ...options, cache });
    expect(cache.stats.computations).toBe(4);
  });

  it('does not reuse them for other data', () => {
    const cache = new IndicatorCache();
    runBatch(bars, crossSpec, grid, { ...options, cache });
    runBatch(syntheticBars(2_000, { seed: 4 }), crossSpec, grid, { ...options, dataKey: 'sha256:def', cache });
    expect(cache.stats.computations).toBe(8);
  });

  it('identifies bars by object when no data key is given', () => {
    const cache = new IndicatorCache();
    const strategy = compileStrategy(crossSpec);
    runBacktest(bars, strategy, { symbol: 'X', startingBalance: 10_000 }, cache);
    runBacktest(bars, strategy, { symbol: 'X', startingBalance: 10_000 }, cache);
    runBacktest(syntheticBars(2_000, { seed: 3 }), strategy, { symbol: 'X', startingBalance: 10_000 }, cache);
    expect(cache.stats.computations).toBe(4);
  });

  it('shares one computation between indicators that differ only by id', () => {
    const twin = testSpec({
      indicators: [
        { id: 'a', type: 'ema', params: { period: 8 } },
        { id: 'b', type: 'ema', source: 'close', params: { period: 8 } },
      ],
      rules: { long: { entry: { op: '>', left: 'a', right: 'b' } } },
    });
    const cache = new IndicatorCache();
    runBacktest(bars, compileStrategy(twin), { symbol: 'X', startingBalance: 10_000 }, cache);
    expect(cache.stats.computations).toBe(1);
  });

  it('drops least recently used entries beyond its byte limit', () => {
    const cache = new IndicatorCache({ maxBytes: 3 * bars.length * 8 });
    runBatch(bars, crossSpec, grid, { ...options, cache });
    expect(cache.stats.entries).toBe(3);
    expect(cache.stats.evictions).toBeGreaterThan(0);
    expect(cache.stats.bytes).toBeLessThanOrEqual(3 * bars.length * 8);
  });
});
