import { describe, expect, it } from 'vitest';
import { busContract } from '../../lib/ports/bus.contract.js';
import { MemoryBus } from '../../lib/adapters/memory-bus.js';
import { JetStreamBus } from '../../lib/adapters/jetstream-bus.js';

busContract('MemoryBus', async () => new MemoryBus(), {
  // No server clock to respect, so the timing cases can run five times faster.
  ackWaitMs: 200,
  deadLetters: (bus, stage) => bus.deadLetters(stage),
});

const natsUrl = process.env.NATS_URL;

describe.skipIf(!natsUrl)('JetStreamBus (skipped: set NATS_URL to run against a real server)', () => {
  busContract('JetStreamBus', () => JetStreamBus.connect(natsUrl!, { name: 'trading-ai-contract' }), {
    ackWaitMs: 1_000,
    deadLetters: (bus, stage) => bus.deadLetters(stage),
    removeStage: (bus, stage) => bus.removeStage(stage),
  });
});

describe.skipIf(!natsUrl)('JetStreamBus resources (skipped: set NATS_URL to run against a real server)', () => {
  const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').length;

  it('drains without waiting out idle pulls and leaves no timer or socket behind after close()', async () => {
    const before = handles();
    const bus = await JetStreamBus.connect(natsUrl!);
    const stage = `resources-${Math.random().toString(36).slice(2, 8)}`;
    try {
      let handled = 0;
      const subscription = await bus.consume(
        stage,
        async () => void (handled += 1),
        { maxDeliver: 3, ackWaitMs: 1_000, backoffMs: [0], concurrency: 2 },
        async () => {},
      );
      await bus.publish({ id: `${stage}:1`, stage, payload: {}, createdAt: new Date().toISOString(), callId: 'c' });
      while (handled === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(handles()).toBeGreaterThan(before);
      const drainStarted = Date.now();
      await subscription.drain();
      // Both slots are parked in a 10 s pull; drain must cancel them rather than wait them out.
      expect(Date.now() - drainStarted).toBeLessThan(2_000);
    } finally {
      await bus.removeStage(stage);
      await bus.close();
    }
    // Node releases a closed socket's handle a tick or two after NATS reports the connection closed.
    const until = Date.now() + 1_000;
    while (handles() > before && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    // At most as many as before: a timer of an earlier test in this file may have ended meanwhile.
    expect(handles()).toBeLessThanOrEqual(before);
  });
});

describe('JetStreamBus connection failure', () => {
  it('names NATS_URL and the address, without the password, instead of hanging', async () => {
    const started = Date.now();
    const failure = JetStreamBus.connect('nats://user:secret@127.0.0.1:1');
    await expect(failure).rejects.toThrow(/NATS_URL/);
    await expect(failure).rejects.toThrow(/nats:\/\/user:\*\*\*@127\.0\.0\.1:1/);
    await expect(failure).rejects.not.toThrow(/secret/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
