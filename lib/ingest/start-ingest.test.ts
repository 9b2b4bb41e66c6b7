import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobs } from '../adapters/fs-blobs.js';
import type { Store } from '../ports/store.js';
import { freshPgliteStore } from '../../tests/support/stores.js';
import { startIngest } from './start-ingest.js';

const limits = { maxUnzippedBytes: 1e9, maxRatio: 200, maxEntries: 100 };

describe('starting an ingest', () => {
  let store: Store;
  let blobs: FsBlobs;
  let dir: string;
  let file: { sha256: string; size: number; name: string };
  beforeAll(async () => {
    store = await freshPgliteStore();
    dir = await mkdtemp(path.join(os.tmpdir(), 'start-ingest-'));
    blobs = await FsBlobs.open(dir);
    file = { ...(await blobs.put(await readFile(new URL('../../tests/fixtures/formats/history-tab.csv', import.meta.url)))), name: 'h.csv' };
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('joins a job in progress instead of starting it twice, but restarts one that went quiet', async () => {
    const sent: string[] = [];
    const deps = { store, blobs, emit: async (_stage: string, _payload: unknown, id: string) => void sent.push(id) };
    const first = await startIngest(deps, [file], { onRejects: 'fail' }, 'call-1', limits);
    await startIngest(deps, [file], { onRejects: 'fail' }, 'call-2', limits);
    expect(sent).toHaveLength(1);
    await store.query("update jobs set updated_at = now() - interval '11 minutes' where id = $1", [first.units[0]!.jobId]);
    // On a bus that keeps messages the quiet job is waiting in a backlog: it is joined, not sent again.
    await startIngest({ ...deps, busKeepsMessages: true }, [file], { onRejects: 'fail' }, 'call-3', limits);
    expect(sent).toHaveLength(1);
    await startIngest(deps, [file], { onRejects: 'fail' }, 'call-4', limits);
    expect(sent).toHaveLength(2);
  });

  it('fails the job when its message cannot be sent, so it does not wait forever', async () => {
    const other = { ...(await blobs.put(Buffer.from((await readFile(new URL('../../tests/fixtures/formats/history-tab.csv', import.meta.url))).toString().replace('ORB', 'ORB2')))), name: 'h2.csv' };
    const deps = { store, blobs, emit: async () => Promise.reject(new Error('bus down')) };
    await expect(startIngest(deps, [other], { onRejects: 'fail' }, 'call-5', limits)).rejects.toThrow('bus down');
    const jobs = await store.listJobs({ status: 'failed' });
    expect(jobs.some((j) => (j.error as { message: string }).message.includes('bus down'))).toBe(true);
  });
});
