import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../adapters/memory-bus.js';
import type { Envelope } from '../ports/bus.js';
import type { Store } from '../ports/store.js';
import { loadConfig } from '../runtime/config.js';
import type { FnResult } from '../runtime/handler.js';
import { silentLogger } from '../runtime/logger.js';
import { freshPgliteStore } from '../../tests/support/stores.js';
import { startDispatcher } from './dispatcher.js';
import { makeEnvelope } from './envelope.js';

describe('dispatcher', () => {
  let store: Store;
  let bus: MemoryBus;
  beforeEach(async () => {
    store = await freshPgliteStore();
    bus = new MemoryBus();
  });
  afterEach(async () => {
    await bus.close();
    await store.close();
  });

  const config = loadConfig({ BUS_MAX_DELIVER: '3', BUS_ACK_WAIT_MS: '300' });
  const start = (invoke: (stage: string, e: Envelope) => Promise<FnResult>) =>
    startDispatcher({ bus, store, config, log: silentLogger(), stages: [{ stage: 'work', concurrency: 2 }], invoke });
  const publish = (id: string, payload: unknown = {}) => bus.publish(makeEnvelope('work', payload, id, 'call-1', new Date()));
  const until = async (check: () => Promise<boolean> | boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('acks a 2xx and records the message as processed', async () => {
    let calls = 0;
    const d = await start(async () => {
      calls++;
      return { status: 200 };
    });
    await publish('work-1');
    await until(() => store.isProcessed('work', 'work-1'));
    expect(calls).toBe(1);
    await d.drain();
  });

  it('acks without calling the function again a message already processed (its earlier ack was lost)', async () => {
    let calls = 0;
    await store.markProcessed('work', 'work-5');
    const d = await start(async () => {
      calls++;
      return { status: 200 };
    });
    await publish('work-5');
    await until(async () => (await bus.pending('work')) === 0);
    expect(calls).toBe(0);
    await d.drain();
  });

  it('retries a 5xx and dead-letters after the last delivery, failing the job with the last error', async () => {
    await store.createJob({ id: 'job-1', kind: 'ingest' });
    let calls = 0;
    const d = await start(async () => {
      calls++;
      return { status: 503, body: { error: { code: 'unavailable', message: `database down (${calls})` } } };
    });
    await publish('work-2', { jobId: 'job-1' });
    await until(async () => (await store.listDeadLetters()).length > 0, 20_000);
    expect(calls).toBe(3);
    const [dead] = await store.listDeadLetters();
    expect(dead).toMatchObject({ stage: 'work', messageId: 'work-2', attempts: 3, lastError: 'unavailable: database down (3)' });
    expect(await store.getJob('job-1')).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('gave up after 3 attempts') } });
    await d.drain();
  }, 30_000);

  it('dead-letters a 4xx at once: bad input does not improve with retries', async () => {
    let calls = 0;
    const d = await start(async () => {
      calls++;
      return { status: 400, body: { error: { code: 'invalid_input', message: 'payload lacks jobId' } } };
    });
    await publish('work-3');
    await until(async () => (await store.listDeadLetters()).length > 0);
    expect(calls).toBe(1);
    expect((await store.listDeadLetters())[0]).toMatchObject({ attempts: 1, lastError: 'invalid_input: payload lacks jobId' });
    await d.drain();
  });

  it('keeps a call that outlasts the ack wait alive instead of letting it be redelivered', async () => {
    let calls = 0;
    const d = await start(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 1_200));
      return { status: 200 };
    });
    await publish('work-4');
    await until(() => store.isProcessed('work', 'work-4'));
    expect(calls).toBe(1);
    await d.drain();
  });
});
