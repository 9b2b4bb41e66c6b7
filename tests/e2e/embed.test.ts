import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '../support/runner.js';
import { pgvectorAvailable } from '../support/vector-stores.js';

async function waitForJob(runner: TestRunner, id: string, timeoutMs = 45_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { jobs } = (await (await fetch(runner.url(`/function/status?jobs=${id}`))).json()) as { jobs: any[] };
    if (jobs[0] && (jobs[0].status === 'succeeded' || jobs[0].status === 'failed')) return jobs[0];
    if (Date.now() > deadline) throw new Error(`job ${id} still ${jobs[0]?.status ?? 'missing'}:\n${runner.proc.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function sampleBacktestId(runner: TestRunner): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const s = (await (await fetch(runner.url('/function/status'))).json()) as any;
    if (s.backtests.length > 0) return s.backtests[0].id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sample dataset not loaded');
}

const embed = (runner: TestRunner, body: unknown) =>
  fetch(runner.url('/function/embed'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('embed stage on the local runner (PGlite, local embedder)', () => {
  let runner: TestRunner;
  beforeAll(async () => {
    runner = await startTestRunner({ DATABASE_URL: '', CHROMA_URL: '', OLLAMA_HOST: '' });
  });
  afterAll(async () => {
    expect(await runner.stop()).toBe(0);
  });

  it('embeds a backtest after it is loaded, as job embed-<backtestId>', async () => {
    const id = await sampleBacktestId(runner);
    const job = await waitForJob(runner, `embed-${id}`);
    expect(job).toMatchObject({ kind: 'embed', status: 'succeeded', result: { backtestId: id, model: 'local-hash-v1', vectorStore: 'pgvector', skipped: 0 } });
    expect(job.result.byKind.trade).toBe(2000);
    expect(job.result.embedded).toBe(job.result.chunks);
    expect(job.progress).toMatchObject({ done: job.result.chunks, total: job.result.chunks, unit: 'chunks' });
  });

  it('answers a direct call for a finished backtest from its job, and records a missing backtest as a failed job', async () => {
    const id = await sampleBacktestId(runner);
    const job = await waitForJob(runner, `embed-${id}`);
    const again = (await (await embed(runner, { backtestId: id })).json()) as any;
    expect(again).toMatchObject({ status: 'already embedded', result: job.result });
    const missing = await embed(runner, { backtestId: 'no-such-backtest' });
    expect(missing.status).toBe(200);
    expect(await missing.json()).toMatchObject({ jobId: 'embed-no-such-backtest', status: 'failed', error: { code: 'not_found' } });
    const bad = await embed(runner, {});
    expect(bad.status).toBe(400);
  });
});

const serverUrl = process.env.DATABASE_URL;
const withoutVector = serverUrl ? !(await pgvectorAvailable(serverUrl)) : false;
(withoutVector ? describe : describe.skip)(
  withoutVector ? 'on a Postgres without pgvector' : 'on a Postgres without pgvector (skipped: needs DATABASE_URL on a server without the vector extension)',
  () => {
    let runner: TestRunner;
    let name: string;
    beforeAll(async () => {
      name = `trading_ai_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(serverUrl!);
      u.pathname = `/${name}`;
      runner = await startTestRunner({ DATABASE_URL: u.toString(), CHROMA_URL: '', OLLAMA_HOST: '', LOG_LEVEL: 'error' });
    });
    afterAll(async () => {
      expect(await runner.stop()).toBe(0);
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    });

    it('still starts and loads data, says once why retrieval is off, and fails the embed job with that message', async () => {
      const id = await sampleBacktestId(runner);
      const job = await waitForJob(runner, `embed-${id}`);
      const message = `pgvector is not installed on the Postgres at DATABASE_URL (127.0.0.1:5432/${name}): install the extension (the cluster image ships it) or set CHROMA_URL`;
      expect(job).toMatchObject({ status: 'failed', error: { code: 'unavailable', message } });
      expect(runner.proc.output().split(message).length - 1).toBe(1);
    });
  },
);
