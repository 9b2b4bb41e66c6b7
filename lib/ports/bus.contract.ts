import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetryLater, Unretryable, type Bus, type ConsumeOptions, type DeadLetter, type Delivery, type Envelope, type Subscription } from './bus.js';

export interface BusContractOptions<B extends Bus> {
  /** Ack wait used by the timing cases. A real server needs about a second to time it reliably. Default 1000. */
  ackWaitMs?: number;
  /** Reads back what the adapter published to `pipeline.dead.<stage>`. */
  deadLetters?: (bus: B, stage: string) => Promise<DeadLetter[]>;
  /** Removes what a case left behind on a shared server. */
  removeStage?: (bus: B, stage: string) => Promise<void>;
}

/**
 * Cases every Bus adapter passes. Stage names are unique per case, so runs against a shared JetStream
 * server do not see each other's messages.
 */
export function busContract<B extends Bus>(name: string, makeBus: () => Promise<B>, opts: BusContractOptions<B> = {}): void {
  const ackWaitMs = opts.ackWaitMs ?? 1_000;
  /** Long enough for an unacked delivery to come back, so "not delivered again" means something. */
  const quietMs = ackWaitMs + 300;
  const waitLimitMs = 5_000 + 3 * ackWaitMs;
  const run = Math.random().toString(36).slice(2, 8);
  let counter = 0;

  describe(name, () => {
    let bus: B;
    let stages: string[];
    let subscriptions: Subscription[];
    let gates: Gate[];

    const newStage = (label: string): string => {
      const stage = `${label}-${run}-${++counter}`;
      stages.push(stage);
      return stage;
    };
    const consume = async (
      stage: string,
      handler: (d: Delivery<{ n: number }>) => Promise<void>,
      options: Partial<ConsumeOptions> = {},
      onDead: (dead: DeadLetter) => Promise<void> = async () => {},
    ): Promise<Subscription> => {
      const subscription = await bus.consume(stage, handler, { maxDeliver: 3, ackWaitMs, backoffMs: [0], concurrency: 1, ...options }, onDead);
      subscriptions.push(subscription);
      return subscription;
    };
    const newGate = (): Gate => {
      const gate = makeGate();
      gates.push(gate);
      return gate;
    };

    beforeEach(async () => {
      stages = [];
      subscriptions = [];
      gates = [];
      bus = await makeBus();
    });

    afterEach(async () => {
      for (const gate of gates) gate.open();
      await Promise.all(subscriptions.map((s) => s.drain()));
      if (opts.removeStage) for (const stage of stages) await opts.removeStage(bus, stage);
      await bus.close();
    });

    it('delivers a published message once, with attempt 1 and the envelope as published', async () => {
      const stage = newStage('once');
      const seen: Delivery<{ n: number }>[] = [];
      await consume(stage, async (d) => void seen.push(d));
      const sent = envelope(stage, 1);
      await bus.publish(sent);
      await waitFor(() => seen.length === 1, waitLimitMs, 'the delivery');
      await sleep(quietMs);
      expect(seen.map((d) => d.attempt)).toEqual([1]);
      expect(seen[0]?.envelope).toEqual(sent);
    });

    it('delivers an envelope id published twice only once', async () => {
      const stage = newStage('dedupe');
      const first = envelope(stage, 1);
      await bus.publish(first);
      await bus.publish({ ...first, payload: { n: 2 } });
      const seen: Delivery<{ n: number }>[] = [];
      await consume(stage, async (d) => void seen.push(d));
      await waitFor(() => seen.length === 1, waitLimitMs, 'the delivery');
      await sleep(quietMs);
      expect(seen.map((d) => d.envelope.payload.n)).toEqual([1]);
    });

    it('redelivers a failing message after each backoff delay, with rising attempts, until it succeeds', async () => {
      const stage = newStage('backoff');
      const starts: { attempt: number; at: number }[] = [];
      await consume(
        stage,
        async (d) => {
          starts.push({ attempt: d.attempt, at: Date.now() });
          if (d.attempt < 3) throw new Error(`transient ${d.attempt}`);
        },
        { maxDeliver: 5, backoffMs: [150, 600] },
      );
      await bus.publish(envelope(stage, 1));
      await waitFor(() => starts.length === 3, waitLimitMs, 'the third attempt');
      await waitFor(async () => (await bus.pending(stage)) === 0, waitLimitMs, 'the ack');
      expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
      const [firstGap, secondGap] = [starts[1]!.at - starts[0]!.at, starts[2]!.at - starts[1]!.at];
      expect(firstGap).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS);
      // Well short of the second step, so the schedule is known to be indexed by attempt.
      expect(firstGap).toBeLessThan(450);
      expect(secondGap).toBeGreaterThanOrEqual(600 - TIMER_SLACK_MS);
    });

    it('dead-letters after maxDeliver failures with the last error and the attempt count, calls onDead once, and delivers no more', async () => {
      const stage = newStage('dead');
      const attempts: number[] = [];
      const dead: DeadLetter[] = [];
      await consume(
        stage,
        async (d) => {
          attempts.push(d.attempt);
          throw new Error(`boom ${d.attempt}`);
        },
        { maxDeliver: 3 },
        async (letter) => void dead.push(letter),
      );
      const sent = envelope(stage, 1);
      const before = Date.now();
      await bus.publish(sent);
      await waitFor(() => dead.length === 1, waitLimitMs, 'the dead letter');
      await sleep(quietMs);
      expect(attempts).toEqual([1, 2, 3]);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ envelope: sent, attempts: 3, lastError: 'boom 3' });
      expect(Date.parse(dead[0]!.deadAt)).toBeGreaterThanOrEqual(before - 1_000);
      expect(await bus.pending(stage)).toBe(0);
      if (opts.deadLetters) {
        expect(await opts.deadLetters(bus, stage)).toEqual([
          expect.objectContaining({ envelope: sent, attempts: 3, lastError: 'boom 3' }),
        ]);
      }
    });

    it('dead-letters an Unretryable failure on its first delivery', async () => {
      const stage = newStage('unretryable');
      const attempts: number[] = [];
      const dead: DeadLetter[] = [];
      await consume(
        stage,
        async (d) => {
          attempts.push(d.attempt);
          throw new Unretryable('payload names no backtest');
        },
        { maxDeliver: 5 },
        async (letter) => void dead.push(letter),
      );
      await bus.publish(envelope(stage, 1));
      await waitFor(() => dead.length === 1, waitLimitMs, 'the dead letter');
      await sleep(quietMs);
      expect(attempts).toEqual([1]);
      expect(dead).toEqual([expect.objectContaining({ attempts: 1, lastError: 'payload names no backtest' })]);
      if (opts.deadLetters) expect(await opts.deadLetters(bus, stage)).toHaveLength(1);
    });

    it('redelivers after a RetryLater delay instead of the backoff schedule', async () => {
      const stage = newStage('retry-later');
      const starts: number[] = [];
      let thrownAt = 0;
      await consume(
        stage,
        async (d) => {
          starts.push(Date.now());
          if (d.attempt === 1) {
            thrownAt = Date.now();
            throw new RetryLater('rate limited', 500);
          }
        },
        { backoffMs: [20_000] },
      );
      await bus.publish(envelope(stage, 1));
      await waitFor(() => starts.length === 2, waitLimitMs, 'the redelivery');
      expect(starts[1]! - thrownAt).toBeGreaterThanOrEqual(500 - TIMER_SLACK_MS);
      expect(starts[1]! - thrownAt).toBeLessThan(5_000);
    });

    it('does not redeliver a handler that outlasts the ack wait while calling working()', async () => {
      const stage = newStage('working');
      const attempts: number[] = [];
      let finished = false;
      await consume(
        stage,
        async (d) => {
          attempts.push(d.attempt);
          const until = Date.now() + 2.5 * ackWaitMs;
          while (Date.now() < until) {
            await sleep(ackWaitMs / 4);
            d.working();
          }
          finished = true;
        },
        // A second slot, so a redelivery would have somewhere to go.
        { concurrency: 2 },
      );
      await bus.publish(envelope(stage, 1));
      await waitFor(() => finished, waitLimitMs, 'the long handler');
      await sleep(300);
      expect(attempts).toEqual([1]);
    });

    it('redelivers a handler that outlasts the ack wait without working(), and ignores its late ack', async () => {
      const stage = newStage('ack-wait');
      const seen: { id: string; attempt: number }[] = [];
      let firstReturned = false;
      let pendingWhileRedeliveryRuns = -1;
      await consume(
        stage,
        async (d) => {
          seen.push({ id: d.envelope.id, attempt: d.attempt });
          if (d.attempt === 1) {
            await sleep(1.5 * ackWaitMs);
            firstReturned = true;
            return;
          }
          await waitFor(() => firstReturned, waitLimitMs, 'the first delivery to return');
          d.working();
          // Time for a late ack, had one been sent, to reach the server.
          await sleep(ackWaitMs / 4);
          d.working();
          pendingWhileRedeliveryRuns = await bus.pending(stage);
        },
        { concurrency: 2 },
      );
      const sent = envelope(stage, 1);
      await bus.publish(sent);
      await waitFor(() => pendingWhileRedeliveryRuns >= 0, waitLimitMs, 'the redelivery');
      await waitFor(async () => (await bus.pending(stage)) === 0, waitLimitMs, 'the ack of the redelivery');
      expect(seen).toEqual([
        { id: sent.id, attempt: 1 },
        { id: sent.id, attempt: 2 },
      ]);
      expect(pendingWhileRedeliveryRuns).toBe(1);
    });

    it('dead-letters a message whose last delivery never acks, once the ack wait runs out', async () => {
      const stage = newStage('hung');
      const hung = newGate();
      const dead: DeadLetter[] = [];
      let returned = false;
      await consume(
        stage,
        async () => {
          await hung.opened;
          returned = true;
        },
        { maxDeliver: 1, concurrency: 2 },
        async (letter) => void dead.push(letter),
      );
      await bus.publish(envelope(stage, 1));
      await waitFor(() => dead.length === 1, waitLimitMs, 'the dead letter');
      expect(dead[0]).toMatchObject({ attempts: 1 });
      expect(dead[0]!.lastError).toContain('ack wait');
      hung.open();
      await waitFor(() => returned, waitLimitMs, 'the hung handler to return');
      await sleep(300);
      expect(dead).toHaveLength(1);
      expect(await bus.pending(stage)).toBe(0);
    });

    it('never runs more handlers at once than the concurrency limit, and uses all of it', async () => {
      const stage = newStage('concurrency');
      let running = 0;
      let maxRunning = 0;
      let done = 0;
      await consume(
        stage,
        async () => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await sleep(150);
          running -= 1;
          done += 1;
        },
        { concurrency: 3 },
      );
      for (let n = 0; n < 9; n++) await bus.publish(envelope(stage, n));
      await waitFor(() => done === 9, waitLimitMs, 'all nine messages');
      expect(maxRunning).toBe(3);
    });

    it('delivers messages published before anyone consumed the stage', async () => {
      const stage = newStage('retained');
      for (let n = 0; n < 3; n++) await bus.publish(envelope(stage, n));
      const seen: Delivery<{ n: number }>[] = [];
      await consume(stage, async (d) => void seen.push(d));
      await waitFor(() => seen.length === 3, waitLimitMs, 'three deliveries');
      expect(seen.map((d) => d.envelope.payload.n).sort()).toEqual([0, 1, 2]);
      expect(seen.every((d) => d.attempt === 1)).toBe(true);
    });

    it('drain() waits for in-flight handlers, stops deliveries, and leaves later messages for the next consumer', async () => {
      const stage = newStage('drain');
      let started = false;
      let finished = false;
      const seen: number[] = [];
      const subscription = await consume(stage, async (d) => {
        seen.push(d.envelope.payload.n);
        started = true;
        // Within the ack wait: an overrun would be redelivered, which is another case.
        await sleep(ackWaitMs / 2);
        finished = true;
      });
      await bus.publish(envelope(stage, 1));
      await waitFor(() => started, waitLimitMs, 'the first delivery');
      await subscription.drain();
      expect(finished).toBe(true);
      await bus.publish(envelope(stage, 2));
      await sleep(300);
      expect(seen).toEqual([1]);
      expect(await bus.pending(stage)).toBe(1);
      const later: number[] = [];
      await consume(stage, async (d) => void later.push(d.envelope.payload.n));
      await waitFor(() => later.length === 1, waitLimitMs, 'the next consumer');
      expect(later).toEqual([2]);
    });

    it('pending() counts messages not yet acked: waiting, in flight, and waiting out a retry delay', async () => {
      const stage = newStage('pending');
      const a = envelope(stage, 1);
      const b = envelope(stage, 2);
      await bus.publish(a);
      await bus.publish(b);
      expect(await bus.pending(stage)).toBe(2);
      const aStarted = newGate();
      const aMayFail = newGate();
      const handled: string[] = [];
      await consume(stage, async (d) => {
        if (d.envelope.id === a.id && d.attempt === 1) {
          aStarted.open();
          await aMayFail.opened;
          throw new RetryLater('not yet', 1_500);
        }
        handled.push(d.envelope.id);
      });
      await aStarted.opened;
      expect(await bus.pending(stage)).toBe(2);
      aMayFail.open();
      await waitFor(() => handled.includes(b.id), waitLimitMs, 'b to be handled');
      await waitFor(async () => (await bus.pending(stage)) === 1, waitLimitMs, 'only a to be pending');
      expect(handled).toEqual([b.id]);
      await waitFor(() => handled.includes(a.id), waitLimitMs, 'a to be redelivered');
      await waitFor(async () => (await bus.pending(stage)) === 0, waitLimitMs, 'nothing pending');
    });

    it('gives an idempotent consumer the same envelope id again, with a higher attempt, after a failure', async () => {
      const stage = newStage('idempotent');
      const effects = new Map<string, number>();
      const seen: { id: string; attempt: number; n: number }[] = [];
      await consume(stage, async (d) => {
        seen.push({ id: d.envelope.id, attempt: d.attempt, n: d.envelope.payload.n });
        if (!effects.has(d.envelope.id)) effects.set(d.envelope.id, d.envelope.payload.n);
        if (d.attempt === 1) throw new Error('crashed after the side effect');
      });
      const sent = envelope(stage, 7);
      await bus.publish(sent);
      await waitFor(() => seen.length === 2, waitLimitMs, 'the redelivery');
      expect(seen).toEqual([
        { id: sent.id, attempt: 1, n: 7 },
        { id: sent.id, attempt: 2, n: 7 },
      ]);
      expect([...effects]).toEqual([[sent.id, 7]]);
    });

    it('keeps stages apart', async () => {
      const left = newStage('left');
      const right = newStage('right');
      const seenLeft: string[] = [];
      const seenRight: string[] = [];
      await consume(left, async (d) => void seenLeft.push(d.envelope.stage));
      await consume(right, async (d) => void seenRight.push(d.envelope.stage));
      await bus.publish(envelope(left, 1));
      await bus.publish(envelope(right, 2));
      await bus.publish(envelope(right, 3));
      await waitFor(() => seenLeft.length + seenRight.length === 3, waitLimitMs, 'three deliveries');
      expect(seenLeft).toEqual([left]);
      expect(seenRight).toEqual([right, right]);
    });

    it('rejects stage names that would not be a single subject token', async () => {
      for (const bad of ['has.dot', 'Upper', 'wild*', 'sp ace', 'gt>', '']) {
        await expect(bus.publish(envelope(bad, 1))).rejects.toThrow(/stage name/);
        await expect(bus.consume(bad, async () => {}, { maxDeliver: 1, ackWaitMs, backoffMs: [], concurrency: 1 }, async () => {})).rejects.toThrow(
          /stage name/,
        );
        await expect(bus.pending(bad)).rejects.toThrow(/stage name/);
      }
    });
  });
}

/** Node may fire a timer a millisecond early; the server's clock is not ours either. */
const TIMER_SLACK_MS = 5;

interface Gate {
  opened: Promise<void>;
  open(): void;
}

function makeGate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function envelope(stage: string, n: number): Envelope<{ n: number }> {
  return {
    id: `${stage}:${n}:${Math.random().toString(36).slice(2)}`,
    stage,
    payload: { n },
    createdAt: new Date().toISOString(),
    callId: `call-${n}`,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, limitMs: number, what: string): Promise<void> {
  const until = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
