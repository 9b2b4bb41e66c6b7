import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { silentLogger } from '../runtime/logger.js';
import { throttledProgress } from './throttled-progress.js';

describe('throttledProgress', () => {
  it('writes the first report, drops reports inside the interval, and settles on the last write', async () => {
    const written: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const report = throttledProgress(async (done: number) => {
      await gate;
      written.push(done);
    }, silentLogger(), 60_000);
    report(1);
    report(2);
    report(3);
    let settled = false;
    const waiting = report.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(written).toEqual([1]);
  });

  it('logs a failed write instead of throwing it', async () => {
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).err) });
    const report = throttledProgress(async () => {
      throw new Error('store is down');
    }, log);
    report();
    await report.settled();
    expect(warnings).toEqual(['store is down']);
  });
});
