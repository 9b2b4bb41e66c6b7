import { describe, expect, it } from 'vitest';
import { syntheticBars } from '../domain/backtest/index.js';
import { AppError } from '../runtime/errors.js';
import { BarMemory } from './bar-memory.js';

const BYTES_PER_BAR = 48;
const bars = (n: number) => syntheticBars(n, { seed: n });

describe('bars held in memory', () => {
  it('drops the least recently used datasets once over its byte budget, and says which', async () => {
    const evicted: string[] = [];
    const memory = new BarMemory({ maxBytes: 250 * BYTES_PER_BAR, onEvict: (k) => evicted.push(k) });
    await memory.get('a', async () => bars(100));
    await memory.get('b', async () => bars(100));
    await memory.get('a', async () => bars(100)); // a is now the most recent
    expect(evicted).toEqual([]);
    await memory.get('c', async () => bars(100));
    expect(evicted).toEqual(['b']);
    expect(memory.has('a') && memory.has('c')).toBe(true);
    expect(memory.stats).toMatchObject({ entries: 2, bytes: 200 * BYTES_PER_BAR, hits: 1, loads: 3, evictions: 1 });
  });

  it('keeps a dataset larger than the whole budget while it is the newest, dropping everything else', async () => {
    const evicted: string[] = [];
    const memory = new BarMemory({ maxBytes: 100 * BYTES_PER_BAR, onEvict: (k) => evicted.push(k) });
    await memory.get('small', async () => bars(50));
    const { held } = await memory.get('huge', async () => bars(1000));
    expect(held.bars.length).toBe(1000);
    expect(evicted).toEqual(['small']);
    expect(memory.stats.entries).toBe(1);
  });

  it('loads a dataset once for concurrent callers and serves later calls from memory', async () => {
    const memory = new BarMemory();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return bars(20);
    };
    const [x, y] = await Promise.all([memory.get('k', load), memory.get('k', load)]);
    expect(loads).toBe(1);
    expect(x.held).toBe(y.held);
    const again = await memory.get('k', load);
    expect(again.loaded).toBe(false);
    expect(loads).toBe(1);
  });

  it('holds the bars in shared memory with the same values', async () => {
    const source = bars(10);
    const { held } = await new BarMemory().get('k', async () => source);
    expect(held.shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(held.bars.close)).toEqual(Array.from(source.close));
    expect(Array.from(held.bars.time)).toEqual(Array.from(source.time));
  });

  it.each([
    ['a NaN close', (b: ReturnType<typeof bars>) => (b.close[5] = Number.NaN), 'close'],
    ['a duplicate time', (b: ReturnType<typeof bars>) => (b.time[5] = b.time[4]!), 'time'],
    ['a time before the previous bar', (b: ReturnType<typeof bars>) => (b.time[5] = b.time[3]!), 'time'],
  ])('refuses bars with %s, naming the bar and the field, and keeps nothing', async (_, spoil, field) => {
    const memory = new BarMemory();
    const b = bars(10);
    spoil(b);
    const err = await memory.get('bad', async () => b, 'eurusd.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(422);
    expect((err as AppError).details).toMatchObject({ file: 'eurusd.csv', bar: 5, row: 6, field });
    expect(memory.has('bad')).toBe(false);
  });
});
