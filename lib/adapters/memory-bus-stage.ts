import type { ConsumeOptions, DeadLetter, Delivery, DeliveryHandler, Envelope, Subscription } from '../ports/bus.js';
import { ackWaitExceededError, describeError, outcomeOfFailure } from './bus-delivery-policy.js';

type Timer = ReturnType<typeof setTimeout>;

/** One delivery's claim on a message; a message belongs to its newest lease only. */
interface Lease {
  timer: Timer | undefined;
}

interface StoredMessage {
  readonly envelope: Envelope;
  deliveries: number;
  lease: Lease | undefined;
}

interface StageConsumer {
  readonly handler: DeliveryHandler;
  readonly options: ConsumeOptions;
  readonly onDead: (dead: DeadLetter) => Promise<void>;
  /** Handler runs, stale ones included: they occupy a slot just as they do on a JetStream consumer. */
  readonly running: Set<Promise<void>>;
  /** Dead-lettering started by an expired lease rather than by a handler run. */
  readonly chores: Set<Promise<void>>;
  stopped: boolean;
}

/**
 * The in-process equivalent of one JetStream durable consumer plus the subject it filters: it keeps
 * every message until a delivery acks it, and redelivers, times out and dead-letters like the server.
 */
export class MemoryBusStage {
  private readonly fresh: StoredMessage[] = [];
  /** Served before fresh messages, as JetStream serves its redelivery queue first. */
  private readonly redeliveries: StoredMessage[] = [];
  private readonly delayed = new Map<StoredMessage, Timer>();
  private readonly leased = new Set<StoredMessage>();
  private readonly consumers: StageConsumer[] = [];
  private readonly dead: DeadLetter[] = [];

  constructor(
    private readonly stage: string,
    private readonly reportError: (error: Error) => void,
  ) {}

  enqueue(envelope: Envelope): void {
    this.fresh.push({ envelope, deliveries: 0, lease: undefined });
    this.pump();
  }

  /** Messages not yet acked or dead-lettered: waiting, in flight, or waiting out a redelivery delay. */
  pending(): number {
    return this.fresh.length + this.redeliveries.length + this.delayed.size + this.leased.size;
  }

  deadLetters(): DeadLetter[] {
    return [...this.dead];
  }

  subscribe(handler: DeliveryHandler, options: ConsumeOptions, onDead: (dead: DeadLetter) => Promise<void>): Subscription {
    const consumer: StageConsumer = { handler, options, onDead, running: new Set(), chores: new Set(), stopped: false };
    this.consumers.push(consumer);
    this.pump();
    let drained: Promise<void> | undefined;
    return {
      drain: () => {
        drained ??= this.stop(consumer);
        return drained;
      },
    };
  }

  /** Called once every consumer has drained: what is still waiting for a delay is abandoned with the bus. */
  cancelTimers(): void {
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
  }

  private async stop(consumer: StageConsumer): Promise<void> {
    consumer.stopped = true;
    this.consumers.splice(this.consumers.indexOf(consumer), 1);
    // A handler still running can hit its ack wait and start a dead-letter chore while we wait.
    while (consumer.running.size > 0 || consumer.chores.size > 0) {
      await Promise.allSettled([...consumer.running, ...consumer.chores]);
    }
  }

  private pump(): void {
    for (;;) {
      const consumer = this.leastBusyConsumer();
      if (!consumer) return;
      const message = this.redeliveries.shift() ?? this.fresh.shift();
      if (!message) return;
      this.deliver(message, consumer);
    }
  }

  private leastBusyConsumer(): StageConsumer | undefined {
    let best: StageConsumer | undefined;
    for (const c of this.consumers) {
      if (c.stopped || c.running.size >= c.options.concurrency) continue;
      if (!best || c.running.size < best.running.size) best = c;
    }
    return best;
  }

  private deliver(message: StoredMessage, consumer: StageConsumer): void {
    message.deliveries += 1;
    const attempt = message.deliveries;
    const lease: Lease = { timer: undefined };
    message.lease = lease;
    this.leased.add(message);
    this.startLeaseTimer(message, lease, attempt, consumer);
    const delivery: Delivery = {
      envelope: message.envelope,
      attempt,
      working: () => {
        if (message.lease !== lease) return;
        clearTimeout(lease.timer);
        this.startLeaseTimer(message, lease, attempt, consumer);
      },
    };
    const run = this.run(delivery, message, lease, consumer).finally(() => {
      consumer.running.delete(run);
      this.pump();
    });
    consumer.running.add(run);
  }

  private async run(delivery: Delivery, message: StoredMessage, lease: Lease, consumer: StageConsumer): Promise<void> {
    // Handlers never run inside publish()'s or consume()'s call stack, as they cannot on a real server.
    await Promise.resolve();
    let failure: { error: unknown } | undefined;
    try {
      await consumer.handler(delivery);
    } catch (error) {
      failure = { error };
    }
    // A delivery whose lease ran out no longer decides: the message was redelivered or dead-lettered.
    if (message.lease !== lease) return;
    this.release(message, lease);
    if (!failure) return;
    const outcome = outcomeOfFailure(failure.error, delivery.attempt, consumer.options);
    if (outcome.kind === 'dead') await this.deadLetter(message, delivery.attempt, outcome.lastError, consumer);
    else this.redeliverAfter(message, outcome.delayMs);
  }

  private startLeaseTimer(message: StoredMessage, lease: Lease, attempt: number, consumer: StageConsumer): void {
    lease.timer = setTimeout(() => this.leaseExpired(message, lease, attempt, consumer), consumer.options.ackWaitMs);
  }

  private leaseExpired(message: StoredMessage, lease: Lease, attempt: number, consumer: StageConsumer): void {
    if (message.lease !== lease) return;
    this.release(message, lease);
    if (attempt < consumer.options.maxDeliver) {
      this.redeliveries.push(message);
      this.pump();
      return;
    }
    const chore = this.deadLetter(message, attempt, ackWaitExceededError(consumer.options.ackWaitMs), consumer).finally(() =>
      consumer.chores.delete(chore),
    );
    consumer.chores.add(chore);
  }

  private release(message: StoredMessage, lease: Lease): void {
    clearTimeout(lease.timer);
    message.lease = undefined;
    this.leased.delete(message);
  }

  private redeliverAfter(message: StoredMessage, delayMs: number): void {
    const timer = setTimeout(() => {
      this.delayed.delete(message);
      this.redeliveries.push(message);
      this.pump();
    }, delayMs);
    this.delayed.set(message, timer);
  }

  private async deadLetter(message: StoredMessage, attempts: number, lastError: string, consumer: StageConsumer): Promise<void> {
    const dead: DeadLetter = { envelope: message.envelope, attempts, lastError, deadAt: new Date().toISOString() };
    this.dead.push(dead);
    try {
      await consumer.onDead(dead);
    } catch (error) {
      this.reportError(
        new Error(`onDead failed for message ${message.envelope.id} of stage ${this.stage}: ${describeError(error)}`, { cause: error }),
      );
    }
  }
}
