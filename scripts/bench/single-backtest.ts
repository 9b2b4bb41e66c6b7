/**
 * The single-backtest function's logic, in-process, with the worker pool. Run alone:
 *   node --import tsx scripts/bench/single-backtest.ts
 * 400 sma-cross candidates (library spec: commission + spread; 10 fast x 40 slow periods) on 100,000
 * synthetic one-minute bars held in an in-memory PGlite store, through runSingleBacktest:
 *   - the store's readBars alone, which every cold call pays;
 *   - cold: workers not started, bars not in memory (read from the store and validated), no indicators;
 *   - cold workers: a new pool on bars already held (thread start-up and indicator computation);
 *   - warm: a second identical call with the result cache off (workers hold the bars and indicators);
 *   - cache hits: the same call answered from the result cache (memory adapter);
 *   - one thread: the same warm batch on the InlineExecutor, for the speed-up of the pool.
 * BACKTEST_WORKERS sets the pool size (default: one per CPU).
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { MemoryCache } from '../../lib/adapters/memory-cache.js';
import { openPgliteStore } from '../../lib/adapters/pglite-store.js';
import { BarMemory } from '../../lib/backtesting/bar-memory.js';
import { InlineExecutor, type BatchExecutor } from '../../lib/backtesting/executor.js';
import { SingleBacktestInput } from '../../lib/backtesting/input.js';
import { runSingleBacktest } from '../../lib/backtesting/single-backtest.js';
import { sha256Hex } from '../../lib/backtesting/canonical-json.js';
import { WorkerPool } from '../../lib/backtesting/worker-pool.js';
import { syntheticBars } from '../../lib/domain/backtest/index.js';
import { loadLibrarySpec } from '../../lib/domain/strategy/index.js';
import type { Cache } from '../../lib/ports/cache.js';
import type { Store } from '../../lib/ports/store.js';
import type { BenchResult } from './measure.js';

const BARS = 100_000;
const DATASET = 'bars_bench_single_backtest';

async function seedStore(): Promise<Store> {
  const store = await openPgliteStore({});
  const bars = syntheticBars(BARS, { seed: 11 });
  const sha256 = sha256Hex(`synthetic:${BARS}:seed11`);
  await store.putUpload({ sha256, name: 'synthetic-100k.csv', sizeBytes: 0 });
  async function* one() {
    yield bars;
  }
  await store.saveBarDataset(
    { id: DATASET, sha256, name: 'synthetic-100k.csv', symbol: 'EURUSD', timeframe: 'm1', layout: 'generic', barCount: BARS, firstTime: bars.time[0]!, lastTime: bars.time[BARS - 1]! },
    one(),
  );
  return store;
}

function request(cache: boolean): SingleBacktestInput {
  const spec = loadLibrarySpec('sma-cross');
  const slow = spec.parameters.slowPeriod!;
  if (slow.type === 'int') slow.max = 410;
  const params: Record<string, number>[] = [];
  for (let fastPeriod = 5; fastPeriod <= 50; fastPeriod += 5) {
    for (let slowPeriod = 20; slowPeriod <= 410; slowPeriod += 10) params.push({ fastPeriod, slowPeriod });
  }
  return SingleBacktestInput.parse({ datasetId: DATASET, spec, params, options: { startingBalance: 100_000, cache } });
}

async function timed(store: Store, cache: Cache, bars: BarMemory, executor: BatchExecutor, input: SingleBacktestInput) {
  const started = performance.now();
  const r = await runSingleBacktest(input, { store, cache, bars, executor, cacheTtlSeconds: 3600 });
  const ms = performance.now() - started;
  if (r.candidates.some((c) => !c.ok)) throw new Error(`a candidate failed: ${JSON.stringify(r.candidates.find((c) => !c.ok))}`);
  return { ms, hits: r.cache.hits.length, computed: r.run.computed };
}

export async function run(): Promise<BenchResult[]> {
  const threads = Number(process.env.BACKTEST_WORKERS ?? os.availableParallelism());
  const store = await seedStore();
  const noCache = request(false);
  const withCache = request(true);
  const n = noCache.params.length;
  try {
    const readStarted = performance.now();
    await store.readBars(DATASET);
    const readMs = performance.now() - readStarted;

    const memory = new MemoryCache();
    const firstPool = new WorkerPool(threads);
    const bars = new BarMemory();
    const cold = await timed(store, memory, bars, firstPool, noCache);
    await firstPool.close();
    // A new pool on bars already held: thread start-up and indicators, without the store read.
    const pool = new WorkerPool(threads);
    const coldPool = await timed(store, memory, bars, pool, noCache);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await timed(store, memory, bars, pool, noCache)).ms);
    const first = await timed(store, memory, bars, pool, withCache);
    const hit = await timed(store, memory, bars, pool, withCache);
    if (hit.hits !== n || first.hits !== 0) throw new Error(`expected 0 then ${n} cache hits, got ${first.hits} then ${hit.hits}`);
    await pool.close();

    const inline = new InlineExecutor();
    const inlineBars = new BarMemory();
    await timed(store, memory, inlineBars, inline, noCache);
    const single: number[] = [];
    for (let i = 0; i < 3; i++) single.push((await timed(store, memory, inlineBars, inline, noCache)).ms);

    const label = `${n} sma-cross candidates x ${BARS.toLocaleString('en')} bars`;
    const warmBest = Math.min(...warm);
    return [
      { name: `store.readBars, ${BARS.toLocaleString('en')} bars from in-memory PGlite (part of every cold call)`, value: Math.round(readMs), unit: 'ms' },
      { name: `single-backtest ${label}, cold (${threads} workers starting, bars read from PGlite, indicators computed)`, value: Math.round(cold.ms), unit: 'ms' },
      { name: `single-backtest ${label}, cold workers, bars already in memory (threads starting, indicators computed)`, value: Math.round(coldPool.ms), unit: 'ms', target: '<= 1500' },
      { name: `single-backtest ${label}, warm (${threads} workers; best of 5, worst ${Math.round(Math.max(...warm))})`, value: Math.round(warmBest), unit: 'ms', target: '<= 1500' },
      { name: `single-backtest ${label}, all ${n} from the result cache (memory)`, value: Math.round(hit.ms * 10) / 10, unit: 'ms' },
      { name: `single-backtest ${label}, warm, one thread (InlineExecutor; best of 3)`, value: Math.round(Math.min(...single)), unit: 'ms' },
      { name: `pool throughput, warm`, value: Math.round((n * BARS) / (warmBest / 1000)), unit: 'bar-steps/s' },
    ];
  } finally {
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) {
    console.log(`${result.name}: ${result.value.toLocaleString('en')} ${result.unit}${result.target ? ` (target ${result.target})` : ''}`);
  }
}
