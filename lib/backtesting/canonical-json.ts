import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so two values that mean the same thing give the same
 * text whatever order their keys were written in. Arrays keep their order (it is meaningful), and
 * `undefined` members are left out as JSON.stringify does. Used for cache keys and deterministic ids.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}
