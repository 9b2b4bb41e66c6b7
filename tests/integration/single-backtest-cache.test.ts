import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../lib/adapters/redis-cache.js';
import { BarMemory } from '../../lib/backtesting/bar-memory.js';
import { SingleBacktestInput } from '../../lib/backtesting/input.js';
import { runSingleBacktest, type SingleBacktestDeps } from '../../lib/backtesting/single-backtest.js';
import { WorkerPool } from '../../lib/backtesting/worker-pool.js';
import type { BarDatasetRecord, Store } from '../../lib/ports/store.js';
import { hourlyBars, seedBarDataset } from '../support/bar-datasets.js';
import { startTestRunner, type TestRunner } from '../support/runner.js';
import { freshPgliteStore, freshPostgresStore } from '../support/stores.js';

const { REDIS_URL, DATABASE_URL } = process.env;

describe.skipIf(!REDIS_URL)('single-backtest results cached in Redis (skipped unless REDIS_URL is set)', () => {
  const prefix = `trading-ai-test-${randomBytes(5).toString('hex')}:`;
  let cache: RedisCache;
  let redis: Redis;
  let store: Store;
  let dropStore: () => Promise<void>;
  let dataset: BarDatasetRecord;
  const instances: { pool: WorkerPool; bars: BarMemory }[] = [];

  /** A fresh "function instance": its own workers and bar memory, the shared Redis and store. */
  const instance = (): SingleBacktestDeps => {
    const pool = new WorkerPool(2);
    const bars = new BarMemory({ onEvict: (k) => pool.forget(k) });
    instances.push({ pool, bars });
    return { store, cache, bars, executor: pool, cacheTtlSeconds: 600 };
  };

  beforeAll(async () => {
    cache = await RedisCache.connect(REDIS_URL!, prefix);
    redis = new Redis(REDIS_URL!);
    if (DATABASE_URL) {
      const fresh = await freshPostgresStore(DATABASE_URL);
      store = fresh.store;
      dropStore = fresh.drop;
    } else {
      store = await freshPgliteStore();
      dropStore = () => store.close();
    }
    dataset = await seedBarDataset(store, hourlyBars(5000, 21));
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.pool.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await cache.close();
    await dropStore();
  });

  it('answers a second identical call from Redis, in another instance, without running the engine or reading the bars', async () => {
    const input = SingleBacktestInput.parse({
      datasetId: dataset.id,
      strategy: 'sma-cross',
      params: [{ fastPeriod: 10 }, { fastPeriod: 20, slowPeriod: 100 }, { fastPeriod: 3 }],
    });
    const first = await runSingleBacktest(input, instance());
    expect(first.cache).toMatchObject({ kind: 'redis', enabled: true, hits: [], errors: 0 });
    expect(first.run).toMatchObject({ computed: 2, barsLoaded: true });
    expect(first.candidates.map((c) => c.ok)).toEqual([true, true, false]);

    const other = instance();
    const second = await runSingleBacktest(input, other);
    expect(second.cache.hits).toEqual([0, 1]);
    expect(second.run).toMatchObject({ computed: 0, barsLoaded: false });
    expect(other.bars.stats.loads).toBe(0);
    const strip = (c: (typeof first.candidates)[number]) => (c.ok ? { ...c, cached: null } : c);
    expect(second.candidates.map(strip)).toEqual(first.candidates.map(strip));

    const keys = await redis.keys(`${prefix}backtest:result:*`);
    expect(keys).toHaveLength(2);
    const ttl = await redis.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(500);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it(`stores a run once in ${DATABASE_URL ? 'Postgres' : 'PGlite'}, and a cached repeat writes nothing`, async () => {
    const input = SingleBacktestInput.parse({ datasetId: dataset.id, strategy: 'sma-cross', params: [{ fastPeriod: 25 }], options: { store: true } });
    const first = await runSingleBacktest(input, instance());
    const second = await runSingleBacktest(input, instance());
    expect(first.candidates[0]).toMatchObject({ ok: true, stored: 'created' });
    expect(second.candidates[0]).toMatchObject({ ok: true, stored: 'existing', cached: true });
    const id = first.candidates[0]!.ok ? first.candidates[0]!.backtestId! : '';
    const rows = await store.query<{ n: number }>('select count(*)::int as n from backtests where id = $1', [id]);
    expect(rows[0]!.n).toBe(1);
  });

  describe('through a runner with REDIS_URL', () => {
    let runner: TestRunner | undefined;
    afterAll(async () => {
      if (runner) expect(await runner.stop()).toBe(0);
    });

    const ingestAndRun = async (r: TestRunner, startingBalance: number) => {
      const csv = await readFile(new URL('../fixtures/backtest/eurusd-h1-2024-01.csv', import.meta.url));
      const up = await fetch(r.url('/function/parse'), { method: 'POST', headers: { 'x-file-name': 'eurusd.csv', 'content-type': 'text/csv' }, body: csv });
      const datasetId = ((await up.json()) as any).results[0].datasetId as string;
      const res = await fetch(r.url('/function/single-backtest'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ datasetId, strategy: 'sma-cross', params: [{ fastPeriod: 10 }], options: { startingBalance } }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as any;
    };

    it('serves the second identical call from Redis even after the runner restarts', async () => {
      // A balance no earlier run used, so the key is new in a Redis other runs share.
      const balance = 10_000 + (randomBytes(3).readUIntBE(0, 3) % 1_000_000);
      runner = await startTestRunner({ REDIS_URL: REDIS_URL!, SAMPLE_DATA: 'false' });
      const first = await ingestAndRun(runner, balance);
      expect(first.cache).toMatchObject({ kind: 'redis', hits: [] });
      expect((await ingestAndRun(runner, balance)).cache.hits).toEqual([0]);
      expect(await runner.stop()).toBe(0);
      runner = await startTestRunner({ REDIS_URL: REDIS_URL!, SAMPLE_DATA: 'false' });
      const afterRestart = await ingestAndRun(runner, balance);
      expect(afterRestart.cache.hits).toEqual([0]);
      expect(afterRestart.candidates[0].metrics).toEqual(first.candidates[0].metrics);
    });
  });
});
