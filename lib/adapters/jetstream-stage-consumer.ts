import { setTimeout as sleep } from 'node:timers/promises';
import {
  AckPolicy,
  DeliverPolicy,
  nanos,
  type Consumer,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type Subscription as NatsSubscription,
} from 'nats';
import {
  deadSubjectFor,
  subjectFor,
  type ConsumeOptions,
  type DeadLetter,
  type Delivery,
  type DeliveryHandler,
  type Envelope,
  type Subscription,
} from '../ports/bus.js';
import { ackWaitExceededError, describeError, outcomeOfFailure } from './bus-delivery-policy.js';
import { deadLetterHeaders, deadLetterMsgId, decodeEnvelope, encodeEnvelope } from './jetstream-codec.js';

export interface JetStreamContext {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  streamName: string;
  reportError: (error: Error) => void;
}

/** Durable names cannot hold dots; stage names are already restricted to `[a-z0-9-]`. */
export const durableNameFor = (stage: string): string => `stage_${stage}`;

/**
 * How long one idle pull request waits on the server. It does not delay drain (pulls are cancelled by
 * unsubscribing); it only sets how often an idle slot re-asks, and the client's heartbeat check is half of it.
 */
const PULL_EXPIRES_MS = 10_000;
/** Pause after a failed pull (server restarting, consumer deleted) so a broken link does not spin. */
const PULL_RETRY_PAUSE_MS = 1_000;

const decoder = new TextDecoder();

/**
 * One stage's durable pull consumer, worked by `concurrency` slots. Each slot pulls one message,
 * runs the handler and settles it before pulling again, so nothing sits in a client-side buffer while
 * its ack wait runs out, and the number of messages in flight never exceeds the limit.
 */
export class JetStreamStageConsumer implements Subscription {
  private readonly openBatches = new Set<ConsumerMessages>();
  private readonly chores = new Set<Promise<void>>();
  private readonly pauses = new AbortController();
  /** Errors of handlers whose dead letter could not be published; the max-deliveries advisory picks them up. */
  private readonly unpublishedLastErrors = new Map<number, string>();
  private slots: Promise<void>[] = [];
  private advisories: NatsSubscription | undefined;
  private stopping = false;
  private drained: Promise<void> | undefined;

  private constructor(
    private readonly ctx: JetStreamContext,
    private readonly stage: string,
    private readonly consumer: Consumer,
    private readonly handler: DeliveryHandler,
    private readonly options: ConsumeOptions,
    private readonly onDead: (dead: DeadLetter) => Promise<void>,
  ) {}

  static async start(
    ctx: JetStreamContext,
    stage: string,
    handler: DeliveryHandler,
    options: ConsumeOptions,
    onDead: (dead: DeadLetter) => Promise<void>,
  ): Promise<JetStreamStageConsumer> {
    const durable = durableNameFor(stage);
    // On 2.9 adding an existing durable updates its mutable settings, so this is create-or-update.
    await ctx.jsm.consumers.add(ctx.streamName, {
      durable_name: durable,
      filter_subject: subjectFor(stage),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(options.ackWaitMs),
      max_deliver: options.maxDeliver,
    });
    const consumer = await ctx.js.consumers.get(ctx.streamName, durable);
    const started = new JetStreamStageConsumer(ctx, stage, consumer, handler, options, onDead);
    started.listenForExhaustedDeliveries(durable);
    started.slots = Array.from({ length: options.concurrency }, () => started.runSlot());
    return started;
  }

  drain(): Promise<void> {
    this.drained ??= (async () => {
      this.stopping = true;
      this.pauses.abort();
      // Closing unsubscribes the pull's inbox, and the server drops a pull request nobody listens to.
      for (const batch of this.openBatches) void batch.close();
      await Promise.all(this.slots);
      // Handlers that overran their ack wait on their last delivery are dead-lettered through the advisory.
      while (this.chores.size > 0) await Promise.all([...this.chores]);
      this.advisories?.unsubscribe();
    })();
    return this.drained;
  }

  private async runSlot(): Promise<void> {
    while (!this.stopping) {
      let batch: ConsumerMessages | undefined;
      try {
        batch = await this.consumer.fetch({ max_messages: 1, expires: PULL_EXPIRES_MS });
        this.openBatches.add(batch);
        if (this.stopping) void batch.close();
        for await (const msg of batch) await this.handle(msg);
      } catch (error) {
        if (this.stopping) return;
        this.ctx.reportError(new Error(`pulling from consumer ${durableNameFor(this.stage)} failed: ${describeError(error)}`, { cause: error }));
        // The pause only ever rejects with the AbortError of drain() cutting it short.
        await sleep(PULL_RETRY_PAUSE_MS, undefined, { signal: this.pauses.signal }).catch(() => undefined);
      } finally {
        if (batch) this.openBatches.delete(batch);
      }
    }
  }

  /** Never throws: every outcome is an ack, a nak, a dead letter, or a reported error. */
  private async handle(msg: JsMsg): Promise<void> {
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(msg.data);
    } catch (error) {
      msg.term();
      this.ctx.reportError(
        new Error(
          `terminated message ${msg.seq} on ${msg.subject} (stream ${this.ctx.streamName}, kept there for inspection): ${describeError(error)}`,
          { cause: error },
        ),
      );
      return;
    }
    const attempt = msg.info.deliveryCount;
    const { ackWaitMs } = this.options;
    let leaseEndsAt = Date.now() + ackWaitMs;
    const leaseExpired = () => Date.now() > leaseEndsAt;
    const delivery: Delivery = {
      envelope,
      attempt,
      working: () => {
        // A stale progress report would extend the lease of the redelivery that replaced this one.
        if (leaseExpired()) return;
        leaseEndsAt = Date.now() + ackWaitMs;
        msg.working();
      },
    };
    let failure: { error: unknown } | undefined;
    try {
      await this.handler(delivery);
    } catch (error) {
      failure = { error };
    }
    // Same rule as the memory bus: once the server has redelivered (or given up and raised the
    // max-deliveries advisory), this delivery's result no longer decides the message's fate.
    if (leaseExpired()) return;
    if (!failure) {
      msg.ack();
      return;
    }
    const outcome = outcomeOfFailure(failure.error, attempt, this.options);
    if (outcome.kind === 'redeliver') {
      msg.nak(outcome.delayMs);
      return;
    }
    await this.deadLetter(envelope, attempt, outcome.lastError, msg);
  }

  /**
   * The server stops redelivering after max_deliver without telling the puller; it raises an advisory
   * instead. A queue group makes one replica of the stage handle each advisory.
   */
  private listenForExhaustedDeliveries(durable: string): void {
    const subject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${this.ctx.streamName}.${durable}`;
    this.advisories = this.ctx.nc.subscribe(subject, {
      queue: durable,
      callback: (error, msg) => {
        if (error) {
          this.ctx.reportError(new Error(`max-deliveries advisories for ${durable} stopped: ${error.message}`, { cause: error }));
          return;
        }
        const chore = this.deadLetterExhausted(msg.data)
          .catch((cause: unknown) =>
            this.ctx.reportError(new Error(`could not dead-letter an exhausted message of stage ${this.stage}: ${describeError(cause)}`, { cause })),
          )
          .finally(() => this.chores.delete(chore));
        this.chores.add(chore);
      },
    });
  }

  private async deadLetterExhausted(advisoryData: Uint8Array): Promise<void> {
    const advisory = JSON.parse(decoder.decode(advisoryData)) as { stream_seq: number; deliveries: number };
    const stored = await this.ctx.jsm.streams.getMessage(this.ctx.streamName, { seq: advisory.stream_seq });
    const lastError = this.unpublishedLastErrors.get(advisory.stream_seq) ?? ackWaitExceededError(this.options.ackWaitMs);
    this.unpublishedLastErrors.delete(advisory.stream_seq);
    await this.deadLetter(decodeEnvelope(stored.data), advisory.deliveries, lastError);
  }

  private async deadLetter(envelope: Envelope, attempts: number, lastError: string, msg?: JsMsg): Promise<void> {
    const dead: DeadLetter = { envelope, attempts, lastError, deadAt: new Date().toISOString() };
    try {
      await this.ctx.js.publish(deadSubjectFor(this.stage), encodeEnvelope(envelope), {
        msgID: deadLetterMsgId(envelope),
        headers: deadLetterHeaders(dead),
      });
    } catch (error) {
      // Left unacked, the message runs out its ack wait on its last delivery and the advisory retries this.
      if (msg) this.unpublishedLastErrors.set(msg.seq, lastError);
      this.ctx.reportError(
        new Error(`could not publish the dead letter of message ${envelope.id} of stage ${this.stage}: ${describeError(error)}`, { cause: error }),
      );
      return;
    }
    msg?.term();
    try {
      await this.onDead(dead);
    } catch (error) {
      this.ctx.reportError(new Error(`onDead failed for message ${envelope.id} of stage ${this.stage}: ${describeError(error)}`, { cause: error }));
    }
  }
}
