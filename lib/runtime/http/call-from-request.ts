import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { RawCall } from '../invoke.js';

const CALL_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** OpenFaaS's gateway sets X-Call-Id; we keep it so logs correlate across hops, or mint one. */
export function callIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-call-id'];
  return typeof given === 'string' && CALL_ID.test(given) ? given : randomUUID();
}

export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function flatQuery(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? String(v[v.length - 1]) : v === undefined ? undefined : String(v);
  }
  return out;
}

export function rawCallOf(req: FastifyRequest, callId: string, path: string): RawCall {
  const body = req.body as unknown;
  const isStream = body !== null && typeof body === 'object' && typeof (body as Readable).pipe === 'function';
  return {
    method: req.method,
    path,
    query: flatQuery(req.query),
    headers: flatHeaders(req.headers),
    callId,
    ...(isStream ? { stream: body as Readable } : { json: body }),
  };
}
