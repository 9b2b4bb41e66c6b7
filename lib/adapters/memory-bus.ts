import type { Bus, ConsumeOptions, DeadLetter, DeliveryHandler, Envelope, Subscription } from '../ports/bus.js';
import { assertConsumeOptions, assertPublishable, assertStageName } from './bus-delivery-policy.js';
import { MemoryBusStage } from './memory-bus-stage.js';
import { OpenSubscriptions } from './open-subscriptions.js';

export interface MemoryBusOptions {
  /** A repeated envelope id is dropped when published again within this window (JetStream's default: 2 minutes). */
  duplicateWindowMs?: number;
  /** Failures no caller is waiting for, such as a rejected `onDead`. Defaults to a process warning. */
  onError?: (error: Error) => void;
}

/** NATS's default max_payload, enforced here so an oversized message fails locally as it would on the cluster. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The bus without a server, with JetStream's semantics: at-least-once delivery, publish-side
 * deduplication on `envelope.id`, ack wait, backoff, dead letters, and retention of messages
 * published before anyone consumes. Envelopes travel JSON-encoded, so a handler sees exactly what it
 * would see after a trip through NATS (no Dates, no undefined fields, no shared references).
 */
export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly stages = new Map<string, MemoryBusStage>();
  private readonly subscriptions = new OpenSubscriptions();
  /** id -> first publish time; insertion order is time order, so expiry pops from the front. */
  private readonly recentIds = new Map<string, number>();
  private readonly duplicateWindowMs: number;
  private readonly reportError: (error: Error) => void;
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(options: MemoryBusOptions = {}) {
    this.duplicateWindowMs = options.duplicateWindowMs ?? 120_000;
    this.reportError = options.onError ?? ((error) => process.emitWarning(error));
  }

  async publish<P>(envelope: Envelope<P>): Promise<void> {
    // Handlers still draining during close() may emit their next stage, as they can on NATS.
    if (this.closed) throw new Error('the memory bus is closed');
    assertPublishable(envelope);
    const encoded = JSON.stringify(envelope);
    const bytes = Buffer.byteLength(encoded);
    if (bytes > MAX_MESSAGE_BYTES) {
      throw new Error(`message ${envelope.id} for stage ${envelope.stage} is ${bytes} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit`);
    }
    if (this.isDuplicate(envelope.id)) return;
    this.stageFor(envelope.stage).enqueue(JSON.parse(encoded) as Envelope);
  }

  async consume<P>(
    stage: string,
    handler: DeliveryHandler<P>,
    options: ConsumeOptions,
    onDead: (dead: DeadLetter) => Promise<void>,
  ): Promise<Subscription> {
    this.assertAcceptingConsumers();
    assertStageName(stage);
    assertConsumeOptions(options);
    const inner = this.stageFor(stage).subscribe(handler as DeliveryHandler, { ...options, backoffMs: [...options.backoffMs] }, onDead);
    return this.subscriptions.track(inner);
  }

  /** Messages not yet acked or dead-lettered: waiting for a first delivery, in flight, or waiting to be redelivered. */
  async pending(stage: string): Promise<number> {
    assertStageName(stage);
    return this.stages.get(stage)?.pending() ?? 0;
  }

  /** What was published to `pipeline.dead.<stage>`, oldest first. */
  async deadLetters(stage: string): Promise<DeadLetter[]> {
    assertStageName(stage);
    return this.stages.get(stage)?.deadLetters() ?? [];
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.subscriptions.drainAll();
      for (const stage of this.stages.values()) stage.cancelTimers();
      this.closed = true;
    })();
    return this.closing;
  }

  private isDuplicate(id: string): boolean {
    const now = performance.now();
    for (const [seenId, seenAt] of this.recentIds) {
      if (now - seenAt < this.duplicateWindowMs) break;
      this.recentIds.delete(seenId);
    }
    if (this.recentIds.has(id)) return true;
    this.recentIds.set(id, now);
    return false;
  }

  private stageFor(stage: string): MemoryBusStage {
    let found = this.stages.get(stage);
    if (!found) {
      found = new MemoryBusStage(stage, this.reportError);
      this.stages.set(stage, found);
    }
    return found;
  }

  private assertAcceptingConsumers(): void {
    if (this.closing) throw new Error('the memory bus is closing: no new consumers');
  }
}
