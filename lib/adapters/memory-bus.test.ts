import { describe, expect, it } from 'vitest';
import type { ConsumeOptions, Delivery, Envelope } from '../ports/bus.js';
import { MemoryBus } from './memory-bus.js';

const options: ConsumeOptions = { maxDeliver: 3, ackWaitMs: 1_000, backoffMs: [0], concurrency: 1 };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function envelope<P>(id: string, payload: P, stage = 'parse'): Envelope<P> {
  return { id, stage, payload, createdAt: '2026-11-25T00:00:00.000Z', callId: 'call-1' };
}

async function waitFor(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await sleep(5);
  }
}

const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('MemoryBus', () => {
  it('delivers an envelope id again once the duplicate window has passed', async () => {
    const bus = new MemoryBus({ duplicateWindowMs: 100 });
    const seen: string[] = [];
    await bus.consume('parse', async (d) => void seen.push(d.envelope.id), options, async () => {});
    await bus.publish(envelope('a', {}));
    await bus.publish(envelope('a', {}));
    await sleep(150);
    await bus.publish(envelope('a', {}));
    await waitFor(() => seen.length === 2);
    await bus.close();
    expect(seen).toEqual(['a', 'a']);
  });

  it('hands handlers what a trip through NATS would: a JSON copy, not the published object', async () => {
    const bus = new MemoryBus();
    const published = envelope('a', { at: new Date('2026-01-02T03:04:05Z'), skipped: undefined, list: [1] });
    const seen: Delivery<unknown>[] = [];
    await bus.consume('parse', async (d) => void seen.push(d), options, async () => {});
    await bus.publish(published);
    published.payload.list.push(2);
    await waitFor(() => seen.length === 1);
    await bus.close();
    expect(seen[0]?.envelope.payload).toEqual({ at: '2026-01-02T03:04:05.000Z', list: [1] });
  });

  it('refuses a message over the 1 MiB NATS payload limit', async () => {
    const bus = new MemoryBus();
    await expect(bus.publish(envelope('big', 'x'.repeat(1024 * 1024)))).rejects.toThrow(/over the 1048576-byte limit/);
    expect(await bus.pending('parse')).toBe(0);
  });

  it('keeps the dead letter and reports a failing onDead through onError', async () => {
    const errors: Error[] = [];
    const bus = new MemoryBus({ onError: (error) => errors.push(error) });
    await bus.consume(
      'parse',
      async () => {
        throw new Error('bad');
      },
      { ...options, maxDeliver: 1 },
      async () => {
        throw new Error('dead-letter table missing');
      },
    );
    await bus.publish(envelope('a', {}));
    await waitFor(() => errors.length === 1);
    await bus.close();
    expect(errors[0]?.message).toMatch(/onDead failed for message a of stage parse: dead-letter table missing/);
    expect(await bus.deadLetters('parse')).toEqual([expect.objectContaining({ attempts: 1, lastError: 'bad' })]);
  });

  it('lets handlers that close() is draining publish their next stage, and refuses publishing after', async () => {
    const bus = new MemoryBus();
    let started = false;
    await bus.consume(
      'parse',
      async (d) => {
        started = true;
        await sleep(50);
        await bus.publish(envelope(`${d.envelope.id}-next`, {}, 'validate'));
      },
      options,
      async () => {},
    );
    await bus.publish(envelope('a', {}));
    await waitFor(() => started);
    await bus.close();
    expect(await bus.pending('validate')).toBe(1);
    await expect(bus.publish(envelope('b', {}))).rejects.toThrow(/closed/);
    await expect(bus.consume('parse', async () => {}, options, async () => {})).rejects.toThrow(/closing/);
  });

  it('leaves no timer behind when closed with a redelivery still scheduled', async () => {
    const before = activeTimers();
    const bus = new MemoryBus();
    let attempts = 0;
    await bus.consume(
      'parse',
      async () => {
        attempts += 1;
        throw new Error('later');
      },
      { ...options, backoffMs: [60_000] },
      async () => {},
    );
    await bus.publish(envelope('a', {}));
    await waitFor(() => attempts === 1);
    await sleep(5);
    expect(activeTimers()).toBeGreaterThan(before);
    await bus.close();
    expect(activeTimers()).toBe(before);
  });
});
