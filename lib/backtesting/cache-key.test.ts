import { describe, expect, it } from 'vitest';
import { loadLibrarySpec, resolveParameterValues } from '../domain/strategy/index.js';
import { engineBacktestId, resultCacheKey, specIdentity, type RunIdentity } from './cache-key.js';
import { canonicalJson } from './canonical-json.js';

const spec = loadLibrarySpec('sma-cross');
const identity = (over: Partial<RunIdentity> = {}, given: Record<string, unknown> = { fastPeriod: 10 }): RunIdentity => ({
  dataKey: 'a'.repeat(64),
  specJson: specIdentity(spec),
  params: resolveParameterValues(spec.parameters, given),
  run: { symbol: 'EURUSD', startingBalance: 10_000, closeAtEnd: false },
  ...over,
});
const plain = { trades: false, curve: false };

describe('result cache keys', () => {
  it('writes objects with sorted keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null, e: undefined } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it('gives the same key whatever order the spec and the parameters were written in', () => {
    const reordered = Object.fromEntries(Object.entries(spec).reverse());
    const a = resultCacheKey(identity(), plain);
    const b = resultCacheKey(identity({ specJson: specIdentity(reordered as typeof spec) }, { fastPeriod: 10 }), plain);
    expect(b).toBe(a);
    expect(a).toMatch(/^backtest:result:[0-9a-f]{64}$/);
  });

  it('treats parameters left out and their defaults written out as one run', () => {
    expect(resultCacheKey(identity({}, {}), plain)).toBe(resultCacheKey(identity({}, { fastPeriod: 10, slowPeriod: 50, lots: 0.1 }), plain));
  });

  it('changes with the data, the spec, a parameter, the account options and what the result includes', () => {
    const base = resultCacheKey(identity(), plain);
    const variants = [
      resultCacheKey(identity({ dataKey: 'b'.repeat(64) }), plain),
      resultCacheKey(identity({ specJson: specIdentity({ ...spec, costs: {} }) }), plain),
      resultCacheKey(identity({}, { fastPeriod: 15 }), plain),
      resultCacheKey(identity({ run: { symbol: 'GBPUSD', startingBalance: 10_000, closeAtEnd: false } }), plain),
      resultCacheKey(identity({ run: { symbol: 'EURUSD', startingBalance: 20_000, closeAtEnd: false } }), plain),
      resultCacheKey(identity({ run: { symbol: 'EURUSD', startingBalance: 10_000, closeAtEnd: true } }), plain),
      resultCacheKey(identity(), { trades: true, curve: false }),
      resultCacheKey(identity(), { trades: false, curve: true }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('derives a stable engine backtest id from the run, not from what the answer includes', () => {
    const id = engineBacktestId(identity());
    expect(id).toMatch(/^bt_[0-9a-f]{24}$/);
    expect(engineBacktestId(identity())).toBe(id);
    expect(engineBacktestId(identity({}, { fastPeriod: 15 }))).not.toBe(id);
  });
});
