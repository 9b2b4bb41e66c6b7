import { connect, nanos, NatsError, RetentionPolicy, StorageType, type NatsConnection, type StreamConfig } from 'nats';
import {
  deadSubjectFor,
  subjectFor,
  type Bus,
  type ConsumeOptions,
  type DeadLetter,
  type DeliveryHandler,
  type Envelope,
  type Subscription,
} from '../ports/bus.js';
import { assertConsumeOptions, assertPublishable, assertStageName, describeError } from './bus-delivery-policy.js';
import { decodeDeadLetter, encodeEnvelope } from './jetstream-codec.js';
import { durableNameFor, JetStreamStageConsumer, type JetStreamContext } from './jetstream-stage-consumer.js';
import { withoutPassword } from '../runtime/url-password.js';
import { OpenSubscriptions } from './open-subscriptions.js';

export interface JetStreamBusOptions {
  /** Default `PIPELINE`. */
  streamName?: string;
  /** The stream's de-duplication window on `Nats-Msg-Id` (= envelope id). Default 2 minutes. */
  duplicateWindowMs?: number;
  /** Connection name shown by the server's monitoring. Default `trading-ai`. */
  name?: string;
  /** Failures no caller is waiting for: a failed pull, a rejected `onDead`, a lost connection. Defaults to a process warning. */
  onError?: (error: Error) => void;
}

const CONNECT_TIMEOUT_MS = 5_000;
const ALL_PIPELINE_SUBJECTS = 'pipeline.>';
const JS_ERR_STREAM_NAME_IN_USE = 10058;
const JS_ERR_CONSUMER_NOT_FOUND = 10014;

/**
 * The bus on NATS JetStream: one stream holding every `pipeline.>` subject (file storage, limits
 * retention, so acked messages and dead letters stay inspectable for a week (STREAM_MAX_AGE_MS))
 * and one durable pull consumer per stage, which is what KEDA's JetStream scaler watches.
 */
export class JetStreamBus implements Bus {
  readonly kind = 'nats-jetstream' as const;
  private readonly subscriptions = new OpenSubscriptions();
  private closing: Promise<void> | undefined;

  private constructor(private readonly ctx: JetStreamContext) {}

  static async connect(url: string, options: JetStreamBusOptions = {}): Promise<JetStreamBus> {
    const address = withoutPassword(url);
    const reportError = options.onError ?? ((error: Error) => process.emitWarning(error));
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: url.split(',').map((s) => s.trim()),
        name: options.name ?? 'trading-ai',
        timeout: CONNECT_TIMEOUT_MS,
        // Once up, ride out server restarts instead of giving up after the client's default 10 tries.
        maxReconnectAttempts: -1,
      });
    } catch (error) {
      throw new Error(`cannot reach NATS at ${address} (NATS_URL): ${describeError(error)}`, { cause: error });
    }
    const streamName = options.streamName ?? 'PIPELINE';
    try {
      const jsm = await nc.jetstreamManager();
      await ensureStream(jsm, streamName, options.duplicateWindowMs ?? 120_000);
      void nc.closed().then((error) => {
        if (error) reportError(new Error(`NATS connection to ${address} (NATS_URL) closed: ${error.message}`, { cause: error }));
      });
      return new JetStreamBus({ nc, js: nc.jetstream(), jsm, streamName, reportError });
    } catch (error) {
      await nc.close();
      throw new Error(`NATS at ${address} (NATS_URL) has no usable JetStream stream ${streamName}: ${describeError(error)}`, { cause: error });
    }
  }

  async publish<P>(envelope: Envelope<P>): Promise<void> {
    assertPublishable(envelope);
    await this.ctx.js.publish(subjectFor(envelope.stage), encodeEnvelope(envelope), { msgID: envelope.id });
  }

  async consume<P>(
    stage: string,
    handler: DeliveryHandler<P>,
    options: ConsumeOptions,
    onDead: (dead: DeadLetter) => Promise<void>,
  ): Promise<Subscription> {
    if (this.closing) throw new Error('the JetStream bus is closing: no new consumers');
    assertStageName(stage);
    assertConsumeOptions(options);
    const consumer = await JetStreamStageConsumer.start(this.ctx, stage, handler as DeliveryHandler, options, onDead);
    return this.subscriptions.track(consumer);
  }

  /**
   * Messages not yet acked or dead-lettered: num_pending (never delivered) + num_ack_pending (in
   * flight or waiting out a nak delay). Before the stage's consumer exists, every stored message on
   * the stage's subject is waiting.
   */
  async pending(stage: string): Promise<number> {
    assertStageName(stage);
    try {
      const info = await this.ctx.jsm.consumers.info(this.ctx.streamName, durableNameFor(stage));
      return info.num_pending + info.num_ack_pending;
    } catch (error) {
      if (!isJetStreamError(error, JS_ERR_CONSUMER_NOT_FOUND)) throw error;
      return this.storedCount(subjectFor(stage));
    }
  }

  /** What is stored on `pipeline.dead.<stage>`, oldest first. */
  async deadLetters(stage: string): Promise<DeadLetter[]> {
    assertStageName(stage);
    const subject = deadSubjectFor(stage);
    const count = await this.storedCount(subject);
    if (count === 0) return [];
    const reader = await this.ctx.js.consumers.get(this.ctx.streamName, { filterSubjects: subject });
    const found: DeadLetter[] = [];
    try {
      const batch = await reader.fetch({ max_messages: count, expires: 5_000 });
      for await (const msg of batch) found.push(decodeDeadLetter(msg.data, msg.headers));
    } finally {
      await reader.delete();
    }
    return found;
  }

  /** Deletes the stage's durable consumer and purges its messages and dead letters: for tests and decommissioning. */
  async removeStage(stage: string): Promise<void> {
    assertStageName(stage);
    try {
      await this.ctx.jsm.consumers.delete(this.ctx.streamName, durableNameFor(stage));
    } catch (error) {
      if (!isJetStreamError(error, JS_ERR_CONSUMER_NOT_FOUND)) throw error;
    }
    await this.ctx.jsm.streams.purge(this.ctx.streamName, { filter: subjectFor(stage) });
    await this.ctx.jsm.streams.purge(this.ctx.streamName, { filter: deadSubjectFor(stage) });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.subscriptions.drainAll();
      // drain (not close) flushes the acks the handlers just sent.
      if (!this.ctx.nc.isClosed()) await this.ctx.nc.drain();
    })();
    return this.closing;
  }

  private async storedCount(subject: string): Promise<number> {
    const info = await this.ctx.jsm.streams.info(this.ctx.streamName, { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  }
}

const STREAM_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** Create-or-update, safe when several processes start at once: identical adds succeed on the server. */
async function ensureStream(jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>, name: string, duplicateWindowMs: number) {
  const wanted: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: [ALL_PIPELINE_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(duplicateWindowMs),
    // Acked messages and dead letters would otherwise pile up forever. A week keeps dead letters long
    // enough to inspect; the store's dead_letters table keeps them after that.
    max_age: nanos(STREAM_MAX_AGE_MS),
  };
  try {
    await jsm.streams.add(wanted);
  } catch (error) {
    if (!isJetStreamError(error, JS_ERR_STREAM_NAME_IN_USE)) throw error;
    const { config } = await jsm.streams.info(name);
    const subjects = config.subjects.includes(ALL_PIPELINE_SUBJECTS) ? config.subjects : [...config.subjects, ALL_PIPELINE_SUBJECTS];
    await jsm.streams.update(name, { ...config, subjects, duplicate_window: wanted.duplicate_window, max_age: wanted.max_age });
  }
}

function isJetStreamError(error: unknown, errCode: number): boolean {
  return error instanceof NatsError && error.api_error?.err_code === errCode;
}

