import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeHistoryCsv } from '../../scripts/generators/history-csv.js';
import { startTestRunner, type TestRunner } from '../support/runner.js';

const job = async (runner: TestRunner, id: string): Promise<any> =>
  ((await (await fetch(runner.url(`/function/status?jobs=${id}`))).json()) as { jobs: any[] }).jobs[0];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('local runner: stopping during a long embed, and starting again', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('stops within the grace period while embedding, and the next start finishes the embed from where it stopped', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'restart-'));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'restart-data-'));
    dirs.push(work, dataDir);
    const csv = path.join(work, 'History.csv');
    await writeHistoryCsv(csv, { trades: 3_000, seed: 5 });
    const env = { SAMPLE_DATA: 'false', SHUTDOWN_GRACE_MS: '1000' };

    const first = await startTestRunner(env, { dataDir });
    const res = await fetch(first.url('/function/parse'), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'History.csv' },
      body: await readFile(csv),
    });
    expect(res.status).toBe(200);
    const backtestId = ((await res.json()) as any).results[0].backtestId as string;
    const embedJob = `embed-${backtestId}`;
    const underway = await waitFor('the embed to store its first chunks', async () => {
      const j = await job(first, embedJob);
      return j?.status === 'running' && j.progress?.done > 0 ? j : undefined;
    }, 60_000);
    expect(underway.progress.done).toBeLessThan(underway.progress.total);

    const stopStarted = Date.now();
    expect(await first.stop()).toBe(0);
    expect(first.proc.output()).toContain('pipeline stages still running after the shutdown grace period: cancelling them');
    // A hang guard, not a benchmark: the grace period is 1 s.
    expect(Date.now() - stopStarted).toBeLessThan(10_000);

    const second = await startTestRunner(env, { dataDir });
    try {
      const done = await waitFor('the resumed embed', async () => {
        const j = await job(second, embedJob);
        return j?.status === 'succeeded' || j?.status === 'failed' ? j : undefined;
      }, 120_000);
      expect(done).toMatchObject({ status: 'succeeded', result: { backtestId } });
      // Neither redone from scratch nor already finished by the first run.
      expect(done.result.skipped).toBeGreaterThan(0);
      expect(done.result.embedded).toBeGreaterThan(0);
      expect(done.result.skipped + done.result.embedded).toBe(done.result.chunks);
    } finally {
      await second.stop();
    }
  }, 240_000);
});
