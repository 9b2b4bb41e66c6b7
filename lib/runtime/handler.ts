import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { PlatformMetrics } from './metrics.js';
import type { Ports } from './ports.js';

/**
 * The function contract. The same handler runs in-process under the local runner, behind the
 * template's HTTP server in a container, and in tests by direct call; it never sees the HTTP framework.
 */
export interface FnRequest<I = unknown> {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  callId: string;
  /** The JSON body validated by the function's input schema (undefined for streamed bodies). */
  input: I;
  /** The raw body when it is not JSON and the function accepts streams (uploads). */
  stream?: Readable;
}

export interface FnContext {
  ports: Ports;
  config: Config;
  log: Logger;
  metrics: PlatformMetrics;
  /** Chains the next stage: publishes `pipeline.<stage>` with an idempotency id. */
  emit(stage: string, payload: unknown, messageId: string): Promise<void>;
  /** Aborted when the process is shutting down. */
  signal: AbortSignal;
  now(): Date;
}

export interface FnResult {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FunctionDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Validates JSON bodies and bus payloads; a failure is a 400 listing the zod issues. */
  input: S;
  /** Accepts non-JSON bodies as a stream (uploads); otherwise such a body is a 400 that names the expected Content-Type. */
  acceptsStream?: boolean;
  /** Largest body accepted, given the config; defaults to MAX_JSON_BYTES. */
  maxBodyBytes?: (config: Config) => number;
  handle(req: FnRequest<z.output<S>>, ctx: FnContext): Promise<FnResult>;
}

export function defineFunction<S extends z.ZodType>(def: FunctionDefinition<S>): FunctionDefinition<S> {
  return def;
}
