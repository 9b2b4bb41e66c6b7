import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { FunctionDefinition } from '../handler.js';
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

const isJson = (contentType: string | undefined): boolean => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '');

/**
 * Decodes a JSON body for functions that take JSON. A function that accepts streams (uploads) gets
 * even a JSON body as a stream, so a report.json uploaded as application/json is stored, not
 * mistaken for a command, unless the call is a pipeline message (X-Message-Id, set by the dispatcher).
 */
export async function decodeBody(call: RawCall, def: FunctionDefinition, maxJsonBytes: number): Promise<RawCall> {
  if (!call.stream) return call;
  const json = isJson(call.headers['content-type']);
  const isMessage = call.headers['x-message-id'] !== undefined;
  if (def.acceptsStream && !(json && isMessage)) return call;
  if (!json) return call;
  const { stream, ...rest } = call;
  return { ...rest, json: await readJson(stream, maxJsonBytes) };
}

async function readJson(stream: Readable, limit: number): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) {
      stream.destroy();
      throw new AppError('payload_too_large', `JSON body is larger than the limit of ${limit} bytes`, { expected: `at most ${limit} bytes (MAX_JSON_BYTES)` });
    }
    parts.push(chunk);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_json', `request body is not valid JSON: ${(err as Error).message}`, { expected: 'a JSON document' });
  }
}
