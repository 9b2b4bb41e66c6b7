import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBarDataset, hourlyBars } from '../../tests/support/bar-datasets.js';
import { freshPgliteStore } from '../../tests/support/stores.js';
import { MemoryCache } from '../adapters/memory-cache.js';
import { SummaryAccumulator } from '../domain/ingest/summary.js';
import { loadLibrarySpec } from '../domain/strategy/index.js';
import type { Cache } from '../ports/cache.js';
import type { BarDatasetRecord, Store } from '../ports/store.js';
import { AppError } from '../runtime/errors.js';
import { BarMemory } from './bar-memory.js';
import { InlineExecutor } from './executor.js';
import { SingleBacktestInput, type SingleBacktestRequest } from './input.js';
import { singleBacktestResult } from './response.js';
import { runSingleBacktest, type SingleBacktestDeps } from './single-backtest.js';

let store: Store;
let dataset: BarDatasetRecord;

beforeAll(async () => {
  store = await freshPgliteStore();
  dataset = await seedBarDataset(store, hourlyBars(2000));
});
afterAll(() => store.close());

const deps = (over: Partial<SingleBacktestDeps> = {}): SingleBacktestDeps => ({
  store,
  cache: new MemoryCache(),
  bars: new BarMemory(),
  executor: new InlineExecutor(),
  cacheTtlSeconds: 3600,
  ...over,
});
const input = (over: Partial<SingleBacktestRequest> = {}) => SingleBacktestInput.parse({ datasetId: dataset.id, strategy: 'sma-cross', ...over });
const thrown = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AppError);

describe('single-backtest: candidates', () => {
  it('runs each parameter set and reports metrics, account and the values used', async () => {
    const r = await runSingleBacktest(input({ params: [{ fastPeriod: 10, slowPeriod: 50 }, { fastPeriod: 20, slowPeriod: 100 }] }), deps());
    expect(r).toMatchObject({ datasetId: dataset.id, dataSha256: dataset.sha256, strategy: 'sma-cross', symbol: 'EURUSD', bars: { count: 2000 } });
    expect(r.candidates.map((c) => c.ok)).toEqual([true, true]);
    const [a] = r.candidates;
    if (!a?.ok) throw new Error('candidate 0 failed');
    expect(a.params).toEqual({ fastPeriod: 10, slowPeriod: 50, lots: 0.1 });
    expect(a.metrics.totalTrades).toBeGreaterThan(10);
    expect(a.account.equity).toBeCloseTo(a.metrics.endingEquity as number, 6);
    expect(a.cached).toBe(false);
  });

  it('keeps a bad parameter set as an error value beside the good ones', async () => {
    const r = await runSingleBacktest(
      input({ params: [{ fastPeriod: 10 }, { fastPeriod: 3 }, { nope: 1 }, { fastPeriod: 'ten' }, { fastPeriod: 15 }] }),
      deps(),
    );
    expect(r.candidates.map((c) => c.ok)).toEqual([true, false, false, false, true]);
    expect(r.candidates[1]).toMatchObject({ index: 1, params: { fastPeriod: 3 }, error: { code: 'invalid_input', details: { field: 'fastPeriod' } } });
    expect(r.candidates[2]).toMatchObject({ error: { code: 'invalid_input', details: { field: 'nope' } } });
    expect(r.candidates[3]).toMatchObject({ error: { details: { field: 'fastPeriod', found: '"ten"' } } });
    expect(singleBacktestResult(r, 'call-1').status).toBeUndefined();
  });

  it('runs identical parameter sets once and answers each of them', async () => {
    const r = await runSingleBacktest(input({ params: [{ fastPeriod: 10 }, {}, { fastPeriod: 10, slowPeriod: 50, lots: 0.1 }] }), deps());
    expect(r.run.computed).toBe(1);
    expect(r.candidates.map((c) => c.index)).toEqual([0, 1, 2]);
    const nets = r.candidates.map((c) => (c.ok ? c.metrics.netProfit : null));
    expect(new Set(nets).size).toBe(1);
  });

  it('returns canonical trades and the curve when asked', async () => {
    const r = await runSingleBacktest(input({ options: { include: { trades: true, curve: true }, closeAtEnd: true } }), deps());
    const c = r.candidates[0]!;
    if (!c.ok) throw new Error('failed');
    expect(c.trades).toHaveLength(c.metrics.totalTrades as number);
    expect(c.trades![0]).toMatchObject({ symbol: 'EURUSD', direction: expect.stringMatching(/buy|sell/), label: 'sma-cross', swap: 0 });
    expect(c.trades!.at(-1)!.closeReason).toBe('end_of_data');
    expect(c.curve!.equity).toHaveLength(2000);
    expect(c.openPositions).toEqual([]);
  });

  it('writes metrics as JSON, infinite ratios as strings', async () => {
    const r = await runSingleBacktest(input({ params: [{ fastPeriod: 10 }] }), deps());
    const c = r.candidates[0]!;
    const text = JSON.stringify(c);
    expect(JSON.parse(text)).toEqual(c);
    for (const v of Object.values(c.ok ? c.metrics : {})) expect(typeof v === 'number' ? Number.isFinite(v) : true).toBe(true);
  });
});

describe('single-backtest: the result cache', () => {
  it('answers an identical second call from the cache, without reading the bars, and says which candidates were hits', async () => {
    const cache = new MemoryCache();
    const bars = new BarMemory();
    const d = deps({ cache, bars });
    const req = input({ params: [{ fastPeriod: 10 }, { fastPeriod: 20 }] });
    const first = await runSingleBacktest(req, d);
    expect(first.cache.hits).toEqual([]);
    expect(first.run).toMatchObject({ computed: 2, barsLoaded: true });
    const second = await runSingleBacktest(req, d);
    expect(second.cache.hits).toEqual([0, 1]);
    expect(second.run).toMatchObject({ computed: 0, barsLoaded: false });
    expect(second.candidates.map((c) => c.ok && c.cached)).toEqual([true, true]);
    const strip = (c: (typeof first.candidates)[number]) => ({ ...c, cached: undefined });
    expect(second.candidates.map(strip)).toEqual(first.candidates.map(strip));
    expect(bars.stats.loads).toBe(1);
  });

  it('mixes hits and misses in one batch', async () => {
    const d = deps();
    await runSingleBacktest(input({ params: [{ fastPeriod: 10 }] }), d);
    const r = await runSingleBacktest(input({ params: [{ fastPeriod: 25 }, { fastPeriod: 10 }] }), d);
    expect(r.cache.hits).toEqual([1]);
    expect(r.run.computed).toBe(1);
  });

  it('misses when an option that changes the outcome differs', async () => {
    const d = deps();
    await runSingleBacktest(input(), d);
    const other = await runSingleBacktest(input({ options: { startingBalance: 50_000 } }), d);
    expect(other.cache.hits).toEqual([]);
  });

  it('recomputes with cache: false and with a TTL of 0', async () => {
    const d = deps();
    await runSingleBacktest(input(), d);
    expect((await runSingleBacktest(input({ options: { cache: false } }), d)).cache.hits).toEqual([]);
    const off = await runSingleBacktest(input(), { ...d, cacheTtlSeconds: 0 });
    expect(off.cache).toMatchObject({ enabled: false, hits: [] });
  });

  it('goes on without a cache that fails, counting the failures', async () => {
    const down = async (): Promise<never> => Promise.reject(new Error('down'));
    const broken: Cache = { kind: 'redis', get: down, set: down, setIfAbsent: down, increment: down, delete: down, close: async () => undefined };
    const r = await runSingleBacktest(input(), deps({ cache: broken }));
    expect(r.candidates[0]!.ok).toBe(true);
    expect(r.cache.errors).toBe(2);
  });
});

describe('single-backtest: errors that fail the call', () => {
  it('an unknown dataset is a 404 naming the id', async () => {
    const e = await thrown(runSingleBacktest(input({ datasetId: 'bars_000000000000000000000000' }), deps()));
    expect(e.status).toBe(404);
    expect(e.message).toContain('bars_000000000000000000000000');
    expect(e.details).toMatchObject({ field: 'datasetId' });
  });

  it('a bad spec is a 400 naming the JSON path inside the spec', async () => {
    const spec = structuredClone(loadLibrarySpec('sma-cross')) as unknown as { indicators: { params: Record<string, unknown> }[] };
    spec.indicators[1]!.params.period = { param: 'slowPeriodd' };
    const e = await thrown(runSingleBacktest(input({ strategy: undefined, spec: spec as unknown as Record<string, unknown> }), deps()));
    expect(e.status).toBe(400);
    expect(e.details).toMatchObject({ field: 'indicators[1].params.period' });
  });

  it('an unknown library strategy is a 404 on the field strategy, listing the library', async () => {
    const e = await thrown(runSingleBacktest(input({ strategy: 'sma-crosss' }), deps()));
    expect(e.status).toBe(404);
    expect(e.details).toMatchObject({ field: 'strategy', expected: expect.stringContaining('sma-cross') });
  });

  it('needs exactly one of spec and strategy', () => {
    const r = SingleBacktestInput.safeParse({ datasetId: 'x' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['strategy']);
  });

  it('bars that break the rules are a 422 naming the bar, time and field', async () => {
    const bars = hourlyBars(300, 9);
    bars.high[7] = bars.low[7]! - 0.01;
    const bad = await seedBarDataset(store, bars, { name: 'broken.csv' });
    const e = await thrown(runSingleBacktest(input({ datasetId: bad.id }), deps()));
    expect(e.status).toBe(422);
    expect(e.details).toMatchObject({ file: 'broken.csv', bar: 7, row: 8, field: 'high', time: bars.time[7] });
  });

  it('too few bars for every candidate is a 422 naming the indicator and the bars needed', async () => {
    const short = await seedBarDataset(store, hourlyBars(40, 5), { name: 'short.csv' });
    const r = await runSingleBacktest(input({ datasetId: short.id, params: [{ slowPeriod: 50 }, { slowPeriod: 60 }] }), deps());
    expect(r.candidates.every((c) => !c.ok)).toBe(true);
    const result = singleBacktestResult(r, 'call-2');
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({
      error: { code: 'unprocessable', callId: 'call-2', details: { field: 'indicators.slow', expected: 'at least 51 bars', found: '40 bars', candidates: [expect.any(Object), expect.any(Object)] } },
    });
  });
});

describe('single-backtest: storing runs as backtests', () => {
  it('stores each run once, with an ingest-shaped summary and the spec as context; a repeat writes nothing', async () => {
    const d = deps();
    const req = input({ params: [{ fastPeriod: 10 }, { fastPeriod: 30 }], options: { store: true, include: { trades: true } } });
    const before = (await store.listBacktests({ limit: 1000 })).length;
    const first = await runSingleBacktest(req, d);
    expect(first.candidates.map((c) => c.ok && c.stored)).toEqual(['created', 'created']);
    const c = first.candidates[0]!;
    if (!c.ok) throw new Error('failed');
    const bt = (await store.getBacktest(c.backtestId!))!;
    expect(bt).toMatchObject({
      sourceKind: 'engine',
      startingBalance: 10_000,
      symbols: ['EURUSD'],
      parameters: { fastPeriod: 10, slowPeriod: 50, lots: 0.1 },
      costModel: { costs: { commission: { type: 'usdPerMillion', value: 30 }, spreadPips: 1 } },
      tradeCount: c.metrics.totalTrades,
      context: { strategy: 'sma-cross', bars: { datasetId: dataset.id, sha256: dataset.sha256 } },
    });
    const ingestShape = new SummaryAccumulator().finish({ startingBalance: 1, accountCurrency: null, depositDigits: 2 });
    expect(Object.keys(bt.summary as object).sort()).toEqual(Object.keys(ingestShape).sort());
    expect(bt.summary).toMatchObject({ trades: c.metrics.totalTrades, netProfit: Math.round((c.metrics.netProfit as number) * 100) / 100 });
    const stored = await store.readTrades(bt.id);
    expect(stored.length).toBe(c.trades!.length);
    expect(stored.net[0]).toBeCloseTo(c.trades![0]!.net, 6);

    const again = await runSingleBacktest(req, deps()); // a fresh cache: recomputed, not stored twice
    expect(again.candidates.map((x) => x.ok && x.stored)).toEqual(['existing', 'existing']);
    const cachedAgain = await runSingleBacktest(req, d); // the same cache: hits, backtest already there
    expect(cachedAgain.cache.hits).toEqual([0, 1]);
    expect(cachedAgain.candidates.map((x) => x.ok && x.backtestId)).toEqual(first.candidates.map((x) => x.ok && x.backtestId));
    expect((await store.listBacktests({ limit: 1000 })).length).toBe(before + 2);
    const rows = await store.query<{ n: number }>('select count(*)::int as n from trades where backtest_id = $1', [bt.id]);
    expect(rows[0]!.n).toBe(c.trades!.length);
  });

  it('recomputes a cached result whose backtest is not stored yet, so store: true always stores', async () => {
    const d = deps();
    const plain = input({ params: [{ fastPeriod: 35 }] });
    await runSingleBacktest(plain, d);
    const stored = await runSingleBacktest(input({ params: [{ fastPeriod: 35 }], options: { store: true } }), d);
    expect(stored.candidates[0]).toMatchObject({ ok: true, stored: 'created' });
  });
});
