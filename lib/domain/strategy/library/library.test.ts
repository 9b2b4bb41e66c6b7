import { describe, expect, it } from 'vitest';
import { compileStrategy } from '../../backtest/compile.js';
import { runBacktest } from '../../backtest/run-backtest.js';
import { syntheticBars } from '../../backtest/synthetic-bars.js';
import { LIBRARY_SPEC_NAMES, loadLibrarySpec, strategyLibrary } from './index.js';

// Hourly bars with enough swing for every spec to trade.
const bars = syntheticBars(3_000, { seed: 5, stepMs: 3_600_000, volatility: 0.001 });

describe('strategy library', () => {
  it('holds the five reference strategies', () => {
    expect(LIBRARY_SPEC_NAMES).toEqual(['sma-cross', 'ema-cross', 'rsi-reversion', 'bollinger-breakout', 'donchian-breakout']);
  });

  for (const spec of strategyLibrary()) {
    describe(spec.name, () => {
      it('describes itself and optimises only parameters with a full range', () => {
        expect(spec.description?.length).toBeGreaterThan(40);
        const optimised = Object.entries(spec.parameters).filter(([, p]) => p.optimize);
        expect(optimised.length).toBeGreaterThanOrEqual(2);
        for (const [, p] of optimised) {
          if (p.type === 'int' || p.type === 'float') expect(p.min! < p.max! && p.step! > 0 && p.step! <= p.max! - p.min!).toBe(true);
        }
      });

      it('trades on synthetic bars with its defaults and at the ends of its ranges', () => {
        const corners = [{}, bound(spec.parameters, 'min'), bound(spec.parameters, 'max')];
        for (const params of corners) {
          const result = runBacktest(bars, compileStrategy(spec, params), { symbol: 'EURUSD', startingBalance: 10_000 });
          expect(result.trades.length, JSON.stringify(params)).toBeGreaterThan(0);
        }
      });
    });
  }

  it('gives a fresh copy on every load', () => {
    const a = loadLibrarySpec('sma-cross');
    a.name = 'changed';
    expect(loadLibrarySpec('sma-cross').name).toBe('sma-cross');
  });

  it('lists the available names for an unknown one', () => {
    expect(() => loadLibrarySpec('turtle')).toThrow(/available: sma-cross, ema-cross/);
  });
});

function bound(parameters: ReturnType<typeof loadLibrarySpec>['parameters'], end: 'min' | 'max'): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, p] of Object.entries(parameters)) {
    if ((p.type === 'int' || p.type === 'float') && p.optimize && p[end] !== undefined) values[name] = p[end]!;
  }
  return values;
}
