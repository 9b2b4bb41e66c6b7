import { RetryLater, Unretryable, type ConsumeOptions, type Envelope } from '../ports/bus.js';

/**
 * Rules both bus adapters apply identically, kept in one place so the in-process bus cannot drift
 * from JetStream: which stage names are legal, what happens after a failed delivery, and how the
 * failure is recorded.
 */

const STAGE_NAME = /^[a-z0-9-]+$/;

/** Stage names become JetStream subjects and durable names, where dots, wildcards and spaces have meaning. */
export function assertStageName(stage: string): void {
  if (!STAGE_NAME.test(stage)) {
    throw new Error(`invalid stage name ${JSON.stringify(stage)}: use only lowercase letters, digits and "-"`);
  }
}

export function assertPublishable(envelope: Envelope): void {
  assertStageName(envelope.stage);
  if (typeof envelope.id !== 'string' || envelope.id.length === 0) {
    throw new Error(`envelope for stage ${envelope.stage} has no id: the id is what deduplicates it`);
  }
}

export function assertConsumeOptions(options: ConsumeOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(options.maxDeliver) || options.maxDeliver < 1) problems.push('maxDeliver must be an integer >= 1');
  if (!(options.ackWaitMs > 0)) problems.push('ackWaitMs must be > 0');
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) problems.push('concurrency must be an integer >= 1');
  if (options.backoffMs.some((ms) => !(ms >= 0))) problems.push('backoffMs values must be >= 0');
  if (problems.length > 0) throw new Error(`invalid consume options: ${problems.join('; ')}`);
}

/** Delay before the delivery after failed `attempt` (1-based); the schedule's last value repeats, none means at once. */
export function backoffDelayMs(backoffMs: readonly number[], attempt: number): number {
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(attempt, backoffMs.length) - 1] ?? 0;
}

export type FailureOutcome =
  | { kind: 'redeliver'; delayMs: number; lastError: string }
  | { kind: 'dead'; lastError: string };

export function outcomeOfFailure(
  error: unknown,
  attempt: number,
  options: Pick<ConsumeOptions, 'maxDeliver' | 'backoffMs'>,
): FailureOutcome {
  const lastError = describeError(error);
  if (error instanceof Unretryable || attempt >= options.maxDeliver) return { kind: 'dead', lastError };
  const delayMs = error instanceof RetryLater ? Math.max(0, error.delayMs) : backoffDelayMs(options.backoffMs, attempt);
  return { kind: 'redeliver', delayMs, lastError };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The last error recorded when a delivery's lease ran out, since the handler never reported one. */
export function ackWaitExceededError(ackWaitMs: number): string {
  return `no ack and no working() within the ack wait of ${ackWaitMs} ms`;
}
