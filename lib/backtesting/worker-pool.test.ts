import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticBars } from '../domain/backtest/index.js';
import { loadLibrarySpec, type StrategySpec } from '../domain/strategy/index.js';
import { AppError } from '../runtime/errors.js';
import { BarMemory } from './bar-memory.js';
import { InlineExecutor } from './executor.js';
import type { ChunkJob } from './run-chunk.js';
import { WorkerPool } from './worker-pool.js';

const spec = loadLibrarySpec('sma-cross');
const candidates = Array.from({ length: 24 }, (_, i) => ({ index: i, params: { fastPeriod: 5 + (i % 8) * 5, slowPeriod: 60 + Math.floor(i / 8) * 20 } }));
const job = (over: Partial<Omit<ChunkJob, 'dataKey'>> = {}): Omit<ChunkJob, 'dataKey'> => ({
  spec,
  candidates,
  symbol: 'EURUSD',
  startingBalance: 10_000,
  closeAtEnd: false,
  keep: { trades: true, curve: true },
  ...over,
});

describe('the backtest worker pool', () => {
  const pool = new WorkerPool(2);
  afterAll(() => pool.close());

  it('gives exactly the results of a run in this thread, in request order', async () => {
    const memory = new BarMemory();
    const { held } = await memory.get('data-1', async () => syntheticBars(3000, { seed: 4 }));
    const [pooled, inline] = await Promise.all([pool.run(held, job()), new InlineExecutor().run(held, job())]);
    expect(pooled.map((r) => r.index)).toEqual(candidates.map((c) => c.index));
    expect(pooled).toEqual(inline);
    const first = pooled[0]!;
    if (!first.ok) throw new Error('failed');
    expect(first.trades!.net).toBeInstanceOf(Float64Array);
    expect(first.curve!.equity).toHaveLength(3000);
  });

  it('sends a dataset to each worker once, and again only after it was forgotten', async () => {
    const memory = new BarMemory();
    const { held } = await memory.get('data-2', async () => syntheticBars(2000, { seed: 5 }));
    const before = pool.stats.barsSent;
    await pool.run(held, job({ keep: { trades: false, curve: false } }));
    await pool.run(held, job({ keep: { trades: false, curve: false } }));
    expect(pool.stats.barsSent - before).toBe(2);
    pool.forget('data-2');
    const again = await pool.run(held, job({ keep: { trades: false, curve: false } }));
    expect(again.every((r) => r.ok)).toBe(true);
    expect(pool.stats.barsSent - before).toBe(4);
  });

  it('fails a call whose chunk hits a bug with an internal error, and keeps working', async () => {
    const { held } = await new BarMemory().get('data-3', async () => syntheticBars(500, { seed: 6 }));
    const broken = { ...spec, indicators: null } as unknown as StrategySpec;
    const err = await pool.run(held, job({ spec: broken })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('internal');
    expect(((err as AppError).cause as Error).message).toMatch(/null|undefined|iterable/);
    expect((await pool.run(held, job({ candidates: candidates.slice(0, 2) }))).length).toBe(2);
  });

  it('refuses work once closed', async () => {
    const closing = new WorkerPool(1);
    const { held } = await new BarMemory().get('data-4', async () => syntheticBars(500, { seed: 7 }));
    await closing.run(held, job({ candidates: candidates.slice(0, 1) }));
    await closing.close();
    const err = await closing.run(held, job()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
  });

  it('does not keep a process alive once idle, even when never closed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pool-exit-'));
    const script = path.join(dir, 'idle.mts');
    const lib = path.resolve('lib/backtesting');
    await writeFile(
      script,
      `import { WorkerPool } from '${lib}/worker-pool.ts';
       import { BarMemory } from '${lib}/bar-memory.ts';
       import { syntheticBars } from '${path.resolve('lib/domain/backtest/index.ts')}';
       import { loadLibrarySpec } from '${path.resolve('lib/domain/strategy/index.ts')}';
       const pool = new WorkerPool(2);
       const { held } = await new BarMemory().get('k', async () => syntheticBars(1000));
       const runs = await pool.run(held, { spec: loadLibrarySpec('sma-cross'), candidates: [{ index: 0, params: {} }], symbol: 'X', startingBalance: 1000, closeAtEnd: false, keep: { trades: false, curve: false } });
       console.log('done', runs[0].ok);`,
    );
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the process did not exit by itself:\n${out}`));
        }, 20_000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(out).toContain('done true');
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
