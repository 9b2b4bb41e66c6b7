import type { Envelope } from '../ports/bus.js';
import type { FnContext, FnResult, FunctionDefinition } from '../runtime/handler.js';
import { invokeFunction } from '../runtime/invoke.js';
import type { StageInvoker } from './dispatcher.js';

/** Local runner: the stage's function runs in this process. */
export function inProcessInvoker(functions: Map<string, FunctionDefinition>, context: (callId: string) => FnContext): StageInvoker {
  return async (stage, envelope) => {
    const def = functions.get(stage);
    if (!def) return { status: 404, body: { error: { code: 'not_found', message: `no function for stage ${stage}` } } };
    return invokeFunction(def, callOf(envelope), context(envelope.callId));
  };
}

/** Cluster: the stage's function is called through the OpenFaaS gateway, which routes to a replica. */
export function gatewayInvoker(gatewayUrl: string, authToken: string | undefined, timeoutMsOf: (stage: string) => number): StageInvoker {
  return async (stage, envelope): Promise<FnResult> => {
    // A little past the function's own exec_timeout: the watchdog's answer, not our abort, should end a call.
    const timeoutMs = timeoutMsOf(stage) + 30_000;
    const res = await fetch(new URL(`/function/${stage}`, gatewayUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-call-id': envelope.callId,
        'x-message-id': envelope.id,
        ...(authToken ? { authorization: `Bearer ${authToken}` } : {}),
      },
      body: JSON.stringify(envelope.payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text: it is what the gateway said (e.g. "upstream timed out")
    }
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body };
  };
}

function callOf(envelope: Envelope) {
  return {
    method: 'POST',
    path: '/',
    query: {},
    headers: { 'x-message-id': envelope.id, 'content-type': 'application/json' },
    callId: envelope.callId,
    json: envelope.payload,
  };
}
