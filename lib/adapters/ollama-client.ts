import { Ollama } from 'ollama';
import { AppError } from '../runtime/errors.js';

/**
 * What the Ollama adapters share: a client per call (the `ollama` package takes no per-request
 * AbortSignal, but it takes a fetch, so the call's signal and a timeout ride on that), and one
 * translation of its failures into errors that name OLLAMA_HOST and the model.
 */
export interface OllamaCallOptions {
  host: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function ollamaClient(o: OllamaCallOptions): Ollama {
  const signals = [AbortSignal.timeout(o.timeoutMs), ...(o.signal ? [o.signal] : [])];
  const signal = signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
  return new Ollama({ host: o.host, fetch: (input, init) => fetch(input, { ...init, signal }) });
}

/** The exact advice for a model the server does not have. */
export function missingModelError(host: string, model: string): AppError {
  return new AppError('unavailable', `ollama at ${host} has no model ${model}; run \`ollama pull ${model}\` (or set OLLAMA_HOST to a server that has it)`, {
    setting: 'OLLAMA_HOST',
    model,
    retryable: false,
  });
}

/**
 * Turns whatever the client threw into an AppError: a missing model is final (retrying does not pull
 * it); an unreachable or failing server is `unavailable` and may be retried; our own abort passes through.
 */
export function ollamaError(err: unknown, host: string, model: string, what: string, signal?: AbortSignal): Error {
  if (err instanceof AppError) return err;
  if (signal?.aborted) return err as Error;
  const e = err as { name?: string; status_code?: number; error?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'ResponseError') {
    const text = e.error ?? e.message ?? '';
    if (e.status_code === 404 && /model|not found/i.test(text)) return missingModelError(host, model);
    return new AppError('unavailable', `ollama at ${host} (OLLAMA_HOST) failed to ${what} with ${model}: HTTP ${e.status_code}: ${text}`, {
      setting: 'OLLAMA_HOST',
      model,
    });
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new AppError('timeout', `ollama at ${host} (OLLAMA_HOST) did not ${what} with ${model} in time`, { setting: 'OLLAMA_HOST', model });
  }
  const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
  return new AppError('unavailable', `cannot reach ollama at ${host} (OLLAMA_HOST) to ${what} with ${model}: ${reason}`, {
    setting: 'OLLAMA_HOST',
    model,
  });
}
