import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../ports/store.js';
import { freshPgliteStore } from '../../tests/support/stores.js';
import { failInterruptedJobs } from './interrupted-jobs.js';

describe('jobs interrupted by a stop', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshPgliteStore();
  });
  afterAll(() => store.close());

  it('fails the queued and running ones with a message saying how to retry, and leaves finished ones alone', async () => {
    for (const id of ['q', 'r', 'done']) await store.createJob({ id, kind: 'ingest' });
    await store.updateJob('r', { status: 'running' });
    await store.updateJob('done', { status: 'succeeded', result: { ok: true } });
    expect(await failInterruptedJobs(store)).toBe(2);
    expect(await store.getJob('q')).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('upload the file again') } });
    expect(await store.getJob('r')).toMatchObject({ status: 'failed' });
    expect(await store.getJob('done')).toMatchObject({ status: 'succeeded', result: { ok: true } });
  });
});
