import { createHash } from 'node:crypto';
import type { Envelope } from '../ports/bus.js';

export function makeEnvelope<P>(stage: string, payload: P, id: string, callId: string, now: Date): Envelope<P> {
  return { id, stage, payload, callId, createdAt: now.toISOString() };
}

/** A message id derived from what the message means, so re-sending the same request dedupes. */
export function messageIdOf(stage: string, ...parts: string[]): string {
  return `${stage}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}
