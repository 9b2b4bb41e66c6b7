import { headers, type MsgHdrs } from 'nats';
import type { DeadLetter, Envelope } from '../ports/bus.js';

/**
 * How envelopes and dead letters look on the wire. Dead letters carry the envelope as their body, so
 * a replay tool can republish the body unchanged, and their bookkeeping in headers.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const DEAD_LETTER_HEADERS = {
  attempts: 'Pipeline-Attempts',
  /** JSON-encoded, because header values cannot hold the line breaks an error message may have. */
  lastError: 'Pipeline-Last-Error',
  deadAt: 'Pipeline-Dead-At',
} as const;

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

export function decodeEnvelope(data: Uint8Array): Envelope {
  const value: unknown = JSON.parse(decoder.decode(data));
  if (!isEnvelope(value)) throw new Error('message body is not a pipeline envelope (needs string id, stage, createdAt, callId)');
  return value;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.stage === 'string' && typeof v.createdAt === 'string' && typeof v.callId === 'string';
}

/** Dedupes the dead letter itself, so two processes racing to dead-letter one message store it once. */
export function deadLetterMsgId(envelope: Envelope): string {
  return `dead:${envelope.id}`;
}

export function deadLetterHeaders(dead: DeadLetter): MsgHdrs {
  const h = headers();
  h.set(DEAD_LETTER_HEADERS.attempts, String(dead.attempts));
  h.set(DEAD_LETTER_HEADERS.lastError, JSON.stringify(dead.lastError));
  h.set(DEAD_LETTER_HEADERS.deadAt, dead.deadAt);
  return h;
}

export function decodeDeadLetter(data: Uint8Array, h: MsgHdrs | undefined): DeadLetter {
  const rawError = h?.get(DEAD_LETTER_HEADERS.lastError) ?? '';
  return {
    envelope: decodeEnvelope(data),
    attempts: Number(h?.get(DEAD_LETTER_HEADERS.attempts) ?? 0),
    lastError: rawError === '' ? '' : (JSON.parse(rawError) as string),
    deadAt: h?.get(DEAD_LETTER_HEADERS.deadAt) ?? '',
  };
}
