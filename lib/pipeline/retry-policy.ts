import type { ConsumeOptions } from '../ports/bus.js';
import type { Config } from '../runtime/config.js';

/** Redelivery delays: quick first retry for blips, then longer for a service that is restarting. */
export const BACKOFF_MS = [1_000, 5_000, 15_000, 60_000];

export function consumeOptions(config: Config, concurrency: number): ConsumeOptions {
  return { maxDeliver: config.BUS_MAX_DELIVER, ackWaitMs: config.BUS_ACK_WAIT_MS, backoffMs: BACKOFF_MS, concurrency };
}

/** What a function's HTTP status means for the message that triggered it. */
export function outcomeOf(status: number): 'ack' | 'retry' | 'dead' {
  if (status >= 200 && status < 300) return 'ack';
  if (status === 429 || status >= 500) return 'retry';
  return 'dead';
}
