import { describe, expect, it } from 'vitest';
import { loadLibrarySpec } from '../strategy/index.js';
import { compileStrategy } from './compile.js';
import { runBacktest } from './run-backtest.js';
import { runBatch } from './run-batch.js';
import { syntheticBars } from './synthetic-bars.js';

const spec = loadLibrarySpec('ema-cross');
const bars = syntheticBars(5_000, { seed: 9 });
const options = { symbol: 'EURUSD', startingBalance: 10_000, dataKey: 'k' };

describe('runBatch', () => {
  it('gives each candidate the metrics a single run gives', () => {
    const sets = [{ fastPeriod: 8, slowPeriod: 30 }, { fastPeriod: 12, slowPeriod: 40, stopLossPips: 20 }];
    const batch = runBatch(bars, spec, sets, options);
    sets.forEach((set, i) => {
      const single = runBacktest(bars, compileStrategy(spec, set), options);
      const candidate = batch.candidates[i]!;
      expect(candidate.ok).toBe(true);
      if (!candidate.ok) return;
      expect(candidate.metrics).toEqual(single.metrics);
      expect(candidate.account).toEqual(single.account);
      expect(candidate.parameters).toEqual(single.parameters);
    });
  });

  it('returns trades and curves only when asked', () => {
    const [lean] = runBatch(bars, spec, [{}], options).candidates;
    expect(lean).not.toHaveProperty('trades');
    expect(lean).not.toHaveProperty('curve');
    const [full] = runBatch(bars, spec, [{}], { ...options, include: { trades: true, curve: true } }).candidates;
    const single = runBacktest(bars, compileStrategy(spec), options);
    expect(full!.ok && full!.trades).toEqual(single.trades);
    expect(full!.ok && full!.curve).toEqual(single.curve);
  });

  it('keeps each candidate curve separate when curves are kept', () => {
    const { candidates } = runBatch(bars, spec, [{ fastPeriod: 8 }, { fastPeriod: 20 }], { ...options, include: { curve: true } });
    const [a, b] = candidates;
    expect(a!.ok && b!.ok && a!.curve!.equity !== b!.curve!.equity).toBe(true);
    expect(a!.ok && b!.ok && a!.curve!.equity.at(-1)).not.toBe(b!.ok && b!.curve!.equity.at(-1));
  });

  it('reports an invalid candidate as an error result and runs the others', () => {
    const { candidates } = runBatch(bars, spec, [{ fastPeriod: 500 }, { fastPeriod: 8 }, { nope: 1 }], options);
    expect(candidates.map((c) => c.ok)).toEqual([false, true, false]);
    const [bad] = candidates;
    expect(!bad!.ok && bad!.error).toMatchObject({ code: 'invalid_input', details: { field: 'fastPeriod' } });
  });

  it('reports a candidate needing more bars than there are as an error result', () => {
    const { candidates } = runBatch(syntheticBars(60, { seed: 1 }), spec, [{ slowPeriod: 100 }, { fastPeriod: 5, slowPeriod: 20 }], options);
    expect(candidates.map((c) => c.ok)).toEqual([false, true]);
    expect(!candidates[0]!.ok && candidates[0]!.error.code).toBe('unprocessable');
  });

  it('throws once for invalid bars, since no candidate could run', () => {
    const broken = syntheticBars(100, { seed: 1 });
    broken.close[50] = Number.NaN;
    expect(() => runBatch(broken, spec, [{}, {}], options)).toThrow(/bar 50/);
  });
});

describe('determinism', () => {
  it('the same input gives identical trades, curve and metrics', () => {
    for (const name of ['sma-cross', 'rsi-reversion', 'bollinger-breakout', 'donchian-breakout']) {
      const library = loadLibrarySpec(name);
      const first = runBacktest(bars, compileStrategy(library), options);
      const second = runBacktest(syntheticBars(5_000, { seed: 9 }), compileStrategy(loadLibrarySpec(name)), options);
      expect(second.trades).toEqual(first.trades);
      expect(second.curve).toEqual(first.curve);
      expect(second.metrics).toEqual(first.metrics);
      expect(second.openPositions).toEqual(first.openPositions);
    }
  });
});
