import type { Store } from '../ports/store.js';
import { toAppError } from '../runtime/errors.js';
import type { FnContext, FnResult } from '../runtime/handler.js';
import { embedJobId } from '../embedding/messages.js';
import { messageIdOf } from '../pipeline/envelope.js';
import { throttledProgress } from '../pipeline/throttled-progress.js';
import type { ParseMessage, ValidateMessage } from './messages.js';
import { loadOutcome, storeOutcome } from './parse-outcome.js';
import { parseUnit } from './parse-stage.js';
import { validateUnit } from './validate-stage.js';
import type { UnitResult } from './unit-result.js';

/**
 * Runs the parse stage for one unit. Bad input is an outcome, not a delivery failure: the job records
 * the error (with file, line, field) and the message is acked. Anything else is thrown so the bus
 * retries it.
 */
export async function runParse(message: ParseMessage, ctx: FnContext): Promise<FnResult> {
  const { store, blobs } = ctx.ports;
  const { jobId, unit } = message;
  if (await isFinished(store, jobId)) return { body: { jobId, status: 'already finished' } };
  await store.updateJob(jobId, { status: 'running', stage: 'parse' });
  const progress = throttledProgress((done: number, total: number) => store.updateJob(jobId, { progress: { done, total, unit: 'bytes' } }), ctx.log);
  return recordInputFailure(ctx, jobId, uploadsOf(message), async () => {
    const outcome = await parseUnit(blobs, unit, message.options, { maxLineBytes: ctx.config.MAX_LINE_BYTES }, progress).finally(progress.settled);
    const outcomeSha256 = await storeOutcome(blobs, outcome);
    const next: ValidateMessage = { jobId, unitId: unit.id, outcomeSha256 };
    await store.updateJob(jobId, { stage: 'validate', progress: { done: 0, total: outcome.staged?.rows ?? null, unit: 'rows' } });
    await ctx.emit('validate', next, messageIdOf('validate', jobId, outcomeSha256));
    return { body: { jobId, status: 'parsed', rows: outcome.staged?.rows ?? 0, issues: outcome.issues.rejects + outcome.issues.warnings } };
  });
}

export async function runValidate(message: ValidateMessage, ctx: FnContext): Promise<FnResult> {
  const { store, blobs } = ctx.ports;
  const { jobId } = message;
  const finished = await store.getJob(jobId);
  if (finished?.status === 'succeeded') {
    // Redelivered after the load: the embed emit after it may have failed, so send it again (it dedupes).
    await emitEmbed(ctx, finished.result as UnitResult);
    return { body: { jobId, status: 'already finished' } };
  }
  const outcome = await loadOutcome(blobs, message.outcomeSha256);
  await store.updateJob(jobId, { status: 'running', stage: 'validate' });
  const progress = throttledProgress((done: number, total: number) => store.updateJob(jobId, { progress: { done, total, unit: 'rows' } }), ctx.log);
  return recordInputFailure(ctx, jobId, uploadsOf(outcome), async () => {
    const result = await validateUnit({ blobs, store }, outcome, progress).finally(progress.settled);
    for (const sha256 of uploadsOf(outcome)) await store.updateUpload(sha256, { status: 'loaded', error: null });
    // The trader's answer first: in one process the embed stage would otherwise hold up this update.
    await store.updateJob(jobId, { status: 'succeeded', result });
    await blobs.delete(message.outcomeSha256);
    await emitEmbed(ctx, result);
    return { body: { jobId, status: 'loaded', result } };
  });
}

async function recordInputFailure(ctx: FnContext, jobId: string, uploads: string[], work: () => Promise<FnResult>): Promise<FnResult> {
  try {
    return await work();
  } catch (err) {
    const e = toAppError(err);
    if (e.code === 'internal' || e.code === 'unavailable' || e.code === 'busy') throw err;
    const error = { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) };
    await ctx.ports.store.updateJob(jobId, { status: 'failed', error });
    for (const sha256 of uploads) await ctx.ports.store.updateUpload(sha256, { status: 'failed', error });
    return { body: { jobId, status: 'failed', error } };
  }
}

async function isFinished(store: Store, jobId: string): Promise<boolean> {
  const job = await store.getJob(jobId);
  return job?.status === 'succeeded';
}

function uploadsOf(m: { unit: ParseMessage['unit'] }): string[] {
  const u = m.unit;
  if (u.kind !== 'backtest') return [u.file.sha256];
  return [u.trades.sha256, ...(u.stops ? [u.stops.sha256] : []), ...(u.parameters ? [u.parameters.sha256] : [])];
}

/** Chains embedding for a loaded backtest; the message id makes repeats of it one message. */
async function emitEmbed(ctx: FnContext, result: UnitResult | null | undefined): Promise<void> {
  if (result?.kind !== 'backtest') return;
  await ctx.emit('embed', { backtestId: result.backtestId, jobId: embedJobId(result.backtestId) }, messageIdOf('embed', result.backtestId));
}
