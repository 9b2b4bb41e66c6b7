import { statusOf } from '../runtime/errors.js';
import type { FnResult } from '../runtime/handler.js';
import type { SingleBacktestResponse } from './single-backtest.js';

/**
 * 200 with every candidate when at least one ran. When none could (every parameter set invalid, or
 * the data too short for all of them) the call itself failed: the first candidate's error with its
 * status (400, 422), its location kept in `details`, and every candidate's error in
 * `details.candidates`, so a single bad run is a clear 4xx rather than a 200 holding an error.
 */
export function singleBacktestResult(response: SingleBacktestResponse, callId: string): FnResult {
  const first = response.candidates[0];
  if (!first || response.candidates.some((c) => c.ok) || first.ok) return { body: response };
  const { code, message, details } = first.error;
  const failures = response.candidates.map((c) => (c.ok ? null : { index: c.index, params: c.params, error: c.error }));
  return {
    status: statusOf(code),
    body: {
      error: {
        code,
        message: response.candidates.length === 1 ? message : `no candidate could run; the first: ${message}`,
        details: { ...details, candidates: failures },
        callId,
      },
    },
  };
}
