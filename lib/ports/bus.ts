/**
 * The pipeline's message bus. Subjects are `pipeline.<stage>`; dead letters go to `pipeline.dead.<stage>`.
 * Delivery is at-least-once: a consumer must be idempotent on `envelope.id`.
 */
export interface Envelope<P = unknown> {
  /**
   * Idempotency key: publishing the same id twice delivers it once; consumers dedupe on it too.
   * Unique across stages (JetStream dedupes stream-wide), hence ids are prefixed with their stage.
   */
  id: string;
  stage: string;
  payload: P;
  /** ISO time the message was first published. */
  createdAt: string;
  /** Call id of the request that started the chain, for log correlation. */
  callId: string;
}

export interface Delivery<P = unknown> {
  envelope: Envelope<P>;
  /** 1 on first delivery. */
  attempt: number;
  /** Tell the bus the message is still being worked on, so it is not redelivered meanwhile. */
  working(): void;
}

/** On JetStream these settle the stage's durable consumer: the latest `consume()` of a stage wins. */
export interface ConsumeOptions {
  /** Deliveries before the message is dead-lettered. */
  maxDeliver: number;
  /** How long a delivery may go without ack or `working()` before it is redelivered. */
  ackWaitMs: number;
  /** Delay before redelivery after a failure, by attempt (last value repeats). */
  backoffMs: number[];
  /** Messages processed at once by this consumer. */
  concurrency: number;
}

/** Thrown by a handler to ask for redelivery after `delayMs` instead of the backoff schedule. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** Thrown by a handler when retrying cannot help (bad input): the message is dead-lettered at once. */
export class Unretryable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Unretryable';
  }
}

export interface DeadLetter {
  envelope: Envelope;
  attempts: number;
  lastError: string;
  deadAt: string;
}

/**
 * Returning normally acks. Throwing naks: the message comes back after the backoff delay until
 * `maxDeliver` deliveries, then it is published to `pipeline.dead.<stage>` with the last error and
 * `onDead` is called.
 */
export type DeliveryHandler<P = unknown> = (delivery: Delivery<P>) => Promise<void>;

export interface Subscription {
  /** Stops pulling new messages and waits for in-flight ones to finish. */
  drain(): Promise<void>;
}

export interface Bus {
  readonly kind: 'memory' | 'nats-jetstream';
  publish<P>(envelope: Envelope<P>): Promise<void>;
  consume<P>(
    stage: string,
    handler: DeliveryHandler<P>,
    options: ConsumeOptions,
    onDead: (dead: DeadLetter) => Promise<void>,
  ): Promise<Subscription>;
  /**
   * Messages of a stage not yet acked or dead-lettered: waiting, in flight, or delayed for a retry
   * (JetStream cannot tell in-flight from delayed apart). Feeds the queue-depth metric and KEDA.
   */
  pending(stage: string): Promise<number>;
  close(): Promise<void>;
}

export const subjectFor = (stage: string): string => `pipeline.${stage}`;
export const deadSubjectFor = (stage: string): string => `pipeline.dead.${stage}`;
