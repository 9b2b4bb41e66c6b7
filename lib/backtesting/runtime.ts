import type { Config } from '../runtime/config.js';
import type { FnContext } from '../runtime/handler.js';
import { BarMemory } from './bar-memory.js';
import type { SingleBacktestDeps } from './single-backtest.js';
import { WorkerPool } from './worker-pool.js';

interface BacktestRuntime {
  pool: WorkerPool;
  bars: BarMemory;
}

let current: BacktestRuntime | undefined;

/**
 * What a warm function instance keeps between calls: the worker pool and the bars in memory. One per
 * process, made on the first call with that call's config (BACKTEST_WORKERS threads). It is released
 * when the platform's shutdown signal fires (the runner and the container bootstrap abort it after
 * draining calls, before closing the ports), or by `releaseBacktestRuntime()` (CLI direct mode, tests,
 * benchmarks). Idle workers are unref()ed, so even an unreleased pool never holds a process open.
 */
export function backtestRuntime(config: Pick<Config, 'BACKTEST_WORKERS'>, shutdown?: AbortSignal): BacktestRuntime {
  if (current) return current;
  const pool = new WorkerPool(config.BACKTEST_WORKERS);
  const runtime: BacktestRuntime = { pool, bars: new BarMemory({ onEvict: (key) => pool.forget(key) }) };
  current = runtime;
  shutdown?.addEventListener('abort', () => void releaseRuntime(runtime), { once: true });
  return runtime;
}

/** Terminates the workers and drops the bars; the next call starts a fresh runtime. */
export async function releaseBacktestRuntime(): Promise<void> {
  if (current) await releaseRuntime(current);
}

async function releaseRuntime(runtime: BacktestRuntime): Promise<void> {
  if (current === runtime) current = undefined;
  runtime.bars.clear();
  await runtime.pool.close();
}

/** The function's dependencies from its call context. */
export function backtestDeps(ctx: FnContext): SingleBacktestDeps {
  const runtime = backtestRuntime(ctx.config, ctx.signal);
  return {
    store: ctx.ports.store,
    cache: ctx.ports.cache,
    bars: runtime.bars,
    executor: runtime.pool,
    cacheTtlSeconds: ctx.config.BACKTEST_CACHE_TTL_SECONDS,
    signal: ctx.signal,
    log: ctx.log,
    clock: () => performance.now(),
  };
}
