import type { JobRecord } from '../ports/store.js';
import { isErrorCode, statusOf, type ErrorCode } from '../runtime/errors.js';
import type { FnResult } from '../runtime/handler.js';
import type { StartedIngest } from './start-ingest.js';
import type { UnitResult } from './unit-result.js';

export type DoneOutcome = { status: 'loaded' | 'existing'; jobId: string } & UnitResult;
export type UnitOutcome =
  | DoneOutcome
  | { status: 'failed'; jobId: string; name: string; error: { code: ErrorCode; message: string; details?: unknown } }
  | { status: 'queued' | 'running'; jobId: string; name: string; progress: JobRecord['progress'] | null };

export const isDone = (r: UnitOutcome): r is DoneOutcome => r.status === 'loaded' || r.status === 'existing';

/** One entry per planned unit, in plan order, from its stored result or its job. */
export function unitOutcomes(started: StartedIngest, jobs: JobRecord[]): UnitOutcome[] {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  return started.units.map(({ unit, jobId, existing }): UnitOutcome =>
    existing ? { status: 'existing', jobId, ...existing } : outcomeOfJob(jobId, unit.name, byId.get(jobId)),
  );
}

/** A unit's outcome as its job tells it; also used by clients that follow jobs by polling. */
export function outcomeOfJob(jobId: string, name: string, job: JobRecord | undefined): UnitOutcome {
  if (job?.status === 'succeeded') {
    const r = job.result as UnitResult;
    return { ...r, status: r.existing ? 'existing' : 'loaded', jobId };
  }
  if (job?.status === 'failed') {
    const e = job.error as { code?: string; message?: string; details?: unknown } | null;
    return {
      status: 'failed',
      jobId,
      name,
      error: { code: isErrorCode(e?.code) ? e.code : 'internal', message: e?.message ?? 'failed', ...(e?.details ? { details: e.details } : {}) },
    };
  }
  return { status: job?.status === 'running' ? 'running' : 'queued', jobId, name, progress: job?.progress ?? null };
}

/**
 * 200 when everything is loaded; 202 while jobs are still running (poll `trading-ai status` or the
 * job ids); otherwise the first failure's status with the error envelope, every unit's outcome in its
 * details, so a partial success is never hidden behind an error.
 */
export function ingestResponse(started: StartedIngest, jobs: JobRecord[], callId: string): FnResult {
  const results = unitOutcomes(started, jobs);
  const failed = results.find((r): r is Extract<UnitOutcome, { status: 'failed' }> => r.status === 'failed');
  if (failed) {
    const details = (failed.error.details ?? {}) as Record<string, unknown>;
    return {
      status: statusOf(failed.error.code),
      body: { error: { code: failed.error.code, message: failed.error.message, details: { ...details, results, skipped: started.skipped }, callId } },
    };
  }
  const pending = results.some((r) => r.status === 'queued' || r.status === 'running');
  return { status: pending ? 202 : 200, body: { results, skipped: started.skipped } };
}
