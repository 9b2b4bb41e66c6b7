import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../ports/store.js';
import { freshPgliteStore } from '../../tests/support/stores.js';
import { recoverInterruptedJobs } from './interrupted-jobs.js';

describe('jobs interrupted by a stop', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshPgliteStore();
  });
  afterAll(() => store.close());

  it('fails interrupted ingest jobs saying how to retry, sends interrupted embeds again, and leaves finished jobs alone', async () => {
    for (const id of ['q', 'r', 'done']) await store.createJob({ id, kind: 'ingest' });
    await store.createJob({ id: 'embed-bt_1', kind: 'embed', request: { backtestId: 'bt_1' } });
    await store.updateJob('r', { status: 'running' });
    await store.updateJob('embed-bt_1', { status: 'running' });
    await store.updateJob('done', { status: 'succeeded', result: { ok: true } });
    const sent: { stage: string; payload: unknown; id: string }[] = [];
    const outcome = await recoverInterruptedJobs(store, async (stage, payload, id) => {
      sent.push({ stage, payload, id });
    });
    expect(outcome).toEqual({ failed: 2, resumed: 1 });
    expect(await store.getJob('q')).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('upload the file again') } });
    expect(await store.getJob('r')).toMatchObject({ status: 'failed' });
    expect(await store.getJob('embed-bt_1')).toMatchObject({ status: 'queued', error: null });
    expect(sent).toEqual([{ stage: 'embed', payload: { backtestId: 'bt_1', jobId: 'embed-bt_1' }, id: expect.stringMatching(/^embed-/) }]);
    expect(await store.getJob('done')).toMatchObject({ status: 'succeeded', result: { ok: true } });
  });

  it('leaves interrupted embeds for the next serve when asked not to resume them', async () => {
    await store.createJob({ id: 'embed-bt_2', kind: 'embed', request: { backtestId: 'bt_2' } });
    await store.updateJob('embed-bt_2', { status: 'running' });
    const sent: string[] = [];
    expect(await recoverInterruptedJobs(store, async (stage) => void sent.push(stage), { resume: false })).toEqual({ failed: 0, resumed: 0 });
    expect(sent).toEqual([]);
    expect(await store.getJob('embed-bt_2')).toMatchObject({ status: 'running' });
  });
});
