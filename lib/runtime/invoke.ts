import type { Readable } from 'node:stream';
import { AppError, toAppError, toEnvelope } from './errors.js';
import type { FnContext, FnResult, FunctionDefinition } from './handler.js';

export interface RawCall {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  callId: string;
  /** Decoded JSON, when the body was JSON. */
  json?: unknown;
  stream?: Readable;
}

/**
 * Every call of every function goes through here, whatever carried it (HTTP, the bus, a test):
 * input validation, the error envelope, metrics and the call's log line.
 */
export async function invokeFunction(def: FunctionDefinition, call: RawCall, ctx: FnContext): Promise<FnResult> {
  const started = performance.now();
  const log = ctx.log.child({ callId: call.callId, function: def.name });
  let result: FnResult;
  try {
    let input: unknown = undefined;
    if (call.stream && !def.acceptsStream) {
      throw new AppError('bad_request', `function ${def.name} takes a JSON body (Content-Type: application/json)`, {
        expected: 'application/json',
      });
    }
    if (!call.stream) {
      // A call without a body (GET /function/status?jobs=...) takes its input from the query string.
      const parsed = def.input.safeParse(call.json ?? call.query);
      if (!parsed.success) {
        throw new AppError('invalid_input', `invalid input for ${def.name}`, {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
          field: parsed.error.issues[0]?.path.join('.'),
        });
      }
      input = parsed.data;
    }
    result = await def.handle(
      { method: call.method, path: call.path, query: call.query, headers: call.headers, callId: call.callId, input, stream: call.stream },
      { ...ctx, log },
    );
  } catch (err) {
    const e = toAppError(err);
    if (e.code === 'internal') log.error({ err }, 'function failed');
    else log.info({ code: e.code, details: e.details }, e.message);
    ctx.metrics.errors.inc({ function: def.name, code: e.code });
    result = { status: e.status, body: toEnvelope(e, call.callId) };
  }
  const status = result.status ?? 200;
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.invocations.inc({ function: def.name, status: String(status) });
  ctx.metrics.duration.observe({ function: def.name }, seconds);
  log.debug({ status, ms: Math.round(seconds * 1000) }, 'call done');
  return { ...result, status };
}
