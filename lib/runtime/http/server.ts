import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError, toAppError, toEnvelope } from '../errors.js';
import type { FnContext, FnResult, FunctionDefinition } from '../handler.js';
import { invokeFunction } from '../invoke.js';
import type { Logger } from '../logger.js';
import type { PlatformMetrics } from '../metrics.js';
import { checkBearer } from './auth.js';
import { callIdOf, decodeBody, rawCallOf } from './call-from-request.js';
import { InFlight } from './in-flight.js';

export interface ServedFunction {
  def: FunctionDefinition;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  image?: string;
}

export interface ServerOptions {
  config: Config;
  log: Logger;
  metrics: PlatformMetrics;
  functions: Map<string, ServedFunction>;
  /** The context a call runs with (ports, emit, ...), bound to its call id. */
  context: (callId: string) => FnContext;
  /** 'gateway' serves OpenFaaS's gateway routes; 'single' serves one function on every path (container). */
  mode: 'gateway' | 'single';
  ready: () => boolean;
  /** Runs an async invocation somewhere (in-process by default). */
  runAsync?: (name: string, run: () => Promise<FnResult>) => void;
}

export interface HttpServer {
  app: FastifyInstance;
  inFlight: InFlight;
  /** Stops accepting calls, waits up to the grace period for in-flight ones; true if all finished. */
  drain(): Promise<boolean>;
  readonly draining: boolean;
}

export function buildServer(options: ServerOptions): HttpServer {
  const { config, functions, metrics } = options;
  const app = Fastify({ logger: false, bodyLimit: config.MAX_JSON_BYTES, forceCloseConnections: 'idle', return503OnClosing: true });
  const inFlight = new InFlight();
  let draining = false;

  // A call is in flight from its request until its response is flushed, so drain never cuts a reply.
  const counted = new WeakSet<object>();
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/function/') || (options.mode === 'single' && !req.url.startsWith('/_/') && req.url !== '/metrics')) {
      counted.add(req);
      inFlight.begin();
    }
  });
  const release = async (req: FastifyRequest) => {
    if (counted.delete(req)) inFlight.end();
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);

  app.removeAllContentTypeParsers();
  // Bodies reach the route as streams; whether JSON is decoded depends on the function (see decodeBody).
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  app.setErrorHandler((err, req, reply) => {
    const callId = callIdOf(req.headers);
    const e = fromFrameworkError(err, config);
    if (e.code === 'internal') options.log.error({ err, callId }, 'request failed');
    void reply.code(e.status).header('x-call-id', callId).send(toEnvelope(e, callId));
  });
  app.setNotFoundHandler((req, reply) => {
    const callId = callIdOf(req.headers);
    void reply.code(404).send(toEnvelope(new AppError('not_found', `no route ${req.method} ${req.url}`), callId));
  });

  const limitFor = (def: FunctionDefinition) => (def.maxBodyBytes ? def.maxBodyBytes(config) : config.MAX_JSON_BYTES);

  const callSync = async (def: FunctionDefinition, req: FastifyRequest, reply: FastifyReply, path: string) => {
    const callId = callIdOf(req.headers);
    if (draining) throw new AppError('unavailable', 'shutting down');
    checkBearer(config.AUTH_TOKEN, req.headers.authorization);
    rejectOversized(req, limitFor(def));
    const call = await decodeBody(rawCallOf(req, callId, path), def, config.MAX_JSON_BYTES);
    const started = performance.now();
    const result = await invokeFunction(def, call, options.context(call.callId));
    // As OpenFaaS's gateway does: how long the function itself took, so callers can see the overhead.
    void reply.header('x-duration-seconds', ((performance.now() - started) / 1000).toFixed(6));
    return send(reply, result, callId);
  };

  const findFunction = (name: string): ServedFunction => {
    const f = functions.get(name);
    if (!f) throw new AppError('not_found', `no function named "${name}"`, { expected: [...functions.keys()].join(', ') });
    return f;
  };

  if (options.mode === 'gateway') {
    const syncRoute = async (req: FastifyRequest<{ Params: { name: string; '*'?: string } }>, reply: FastifyReply) =>
      callSync(findFunction(req.params.name).def, req, reply, `/${req.params['*'] ?? ''}`);
    app.all('/function/:name', syncRoute);
    app.all('/function/:name/*', syncRoute);

    app.post('/async-function/:name', async (req: FastifyRequest<{ Params: { name: string } }>, reply) => {
      const callId = callIdOf(req.headers);
      if (draining) throw new AppError('unavailable', 'shutting down');
      checkBearer(config.AUTH_TOKEN, req.headers.authorization);
      const fn = findFunction(req.params.name);
      rejectOversized(req, limitFor(fn.def));
      const callbackUrl = parseCallbackUrl(req.headers['x-callback-url']);
      const call = await decodeBody(rawCallOf(req, callId, '/'), fn.def, config.MAX_JSON_BYTES);
      if (call.stream) {
        throw new AppError('bad_request', 'asynchronous calls take JSON bodies; upload files with a synchronous call', {
          expected: 'Content-Type: application/json',
        });
      }
      const run = () => invokeAsync(fn.def, call, callbackUrl);
      if (options.runAsync) options.runAsync(fn.def.name, run);
      else void inFlight.track(run());
      return reply.code(202).header('x-call-id', callId).send();
    });

    app.get('/system/functions', async (req) => {
      checkBearer(config.AUTH_TOKEN, req.headers.authorization);
      return Promise.all(
        [...functions.entries()].map(async ([name, f]) => ({
          name,
          image: f.image ?? null,
          invocationCount: await metrics.invocationCount(name),
          replicas: 1,
          availableReplicas: draining ? 0 : 1,
          labels: f.labels,
          annotations: f.annotations,
        })),
      );
    });

    app.get('/healthz', async (_req, reply) => healthReply(reply, options.ready() && !draining));
  } else {
    const only = [...functions.values()][0];
    if (!only || functions.size !== 1) throw new Error('single-function mode serves exactly one function');
    app.get('/_/health', async (_req, reply) => reply.code(200).send({ status: 'ok' }));
    app.get('/_/ready', async (_req, reply) => healthReply(reply, options.ready() && !draining));
    app.all('/*', async (req, reply) => callSync(only.def, req, reply, req.url.split('?')[0]!));
  }

  app.get('/metrics', async (_req, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));

  async function invokeAsync(def: FunctionDefinition, call: ReturnType<typeof rawCallOf>, callbackUrl: URL | undefined) {
    const started = performance.now();
    const result = await invokeFunction(def, call, options.context(call.callId));
    if (!callbackUrl) return result;
    try {
      const res = await fetch(callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-call-id': call.callId,
          'x-function-status': String(result.status ?? 200),
          'x-duration-seconds': ((performance.now() - started) / 1000).toFixed(6),
          'x-function-name': def.name,
        },
        body: JSON.stringify(result.body ?? null),
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) options.log.warn({ callId: call.callId, status: res.status, callbackUrl: callbackUrl.origin }, 'callback refused');
    } catch (err) {
      options.log.warn({ callId: call.callId, err: (err as Error).message, callbackUrl: callbackUrl.origin }, 'callback failed');
    }
    return result;
  }

  return {
    app,
    inFlight,
    get draining() {
      return draining;
    },
    async drain() {
      draining = true;
      const closing = app.close();
      const finished = await inFlight.idle(config.SHUTDOWN_GRACE_MS);
      // Calls are done; a connection still open now is idle or abandoned mid-upload, and would hold close() forever.
      app.server.closeAllConnections();
      await closing;
      return finished;
    },
  };
}

function send(reply: FastifyReply, result: FnResult, callId: string) {
  void reply.code(result.status ?? 200).header('x-call-id', callId);
  if (result.headers) void reply.headers(result.headers);
  if (result.body === undefined) return reply.send();
  return reply.send(result.body);
}

function healthReply(reply: FastifyReply, ok: boolean) {
  return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
}

function rejectOversized(req: FastifyRequest, limit: number): void {
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > limit) {
    throw new AppError('payload_too_large', `request body of ${length} bytes is larger than the limit of ${limit} bytes`, {
      expected: `at most ${limit} bytes`,
    });
  }
}

function parseCallbackUrl(value: string | string[] | undefined): URL | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value[0]! : value;
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new AppError('bad_request', 'X-Callback-Url is not an http(s) URL', { field: 'X-Callback-Url', found: text.slice(0, 200) });
}

function fromFrameworkError(err: unknown, config: Config): AppError {
  if (err instanceof AppError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) {
    return new AppError('payload_too_large', `JSON body is larger than the limit of ${config.MAX_JSON_BYTES} bytes`, {
      expected: `at most ${config.MAX_JSON_BYTES} bytes (MAX_JSON_BYTES)`,
    });
  }
  if (e.statusCode === 415) return new AppError('bad_request', e.message ?? 'unsupported media type');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('bad_request', e.message ?? 'bad request');
  return toAppError(err);
}
