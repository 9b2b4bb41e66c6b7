import { buildChunksOffThread } from './build-chunks-off-thread.js';
import type { Chunk } from '../ports/vector-store.js';
import { AppError, toAppError } from '../runtime/errors.js';
import type { FnContext, FnResult } from '../runtime/handler.js';
import { outcomeOf } from '../pipeline/retry-policy.js';
import { throttledProgress } from '../pipeline/throttled-progress.js';
import { embedJobId, type EmbedMessage } from './messages.js';

/** Texts per embedder call. */
export const EMBED_BATCH = 256;
/**
 * Chunks per vector-store write. On PGlite a write runs on this process's thread, and each chunk
 * costs about a millisecond of HNSW maintenance: small writes, with a turn of the event loop between
 * them, keep the runner answering (health checks, other calls) while a big backtest embeds.
 */
export const WRITE_BATCH = 64;

export interface EmbedResult {
  backtestId: string;
  model: string;
  vectorStore: string;
  chunks: number;
  /** Embedded by this run. */
  embedded: number;
  /** Already stored for this model (a resumed or repeated run). */
  skipped: number;
  byKind: Record<string, number>;
}

/**
 * The embed stage: builds the backtest's chunks, skips those already stored for the embedder's model,
 * and embeds and writes the rest in batches, recording progress on job `embed-<backtestId>`. A crash
 * loses at most one batch; the next delivery resumes from what was stored. A backtest that does not
 * exist, or a vector store that cannot work here (pgvector missing), fails the job with its message
 * and is not retried; a service that may come back (Ollama, Chroma unreachable) is thrown, so the
 * bus retries it.
 */
export async function runEmbed(message: EmbedMessage, ctx: FnContext): Promise<FnResult> {
  const { store } = ctx.ports;
  const jobId = message.jobId ?? embedJobId(message.backtestId);
  // createJob returns the job as it is when it already exists.
  const previous = await store.createJob({ id: jobId, kind: 'embed', request: { backtestId: message.backtestId }, stage: 'embed' });
  // Backtests never change once stored: a finished embedding with the same model and store is still
  // whole, and rebuilding its chunks to find nothing to do would cost seconds on a large backtest.
  const done = previous.status === 'succeeded' ? (previous.result as EmbedResult | undefined) : undefined;
  if (!message.rebuild && done?.model === ctx.ports.embedder.model && done.vectorStore === ctx.ports.vectors.kind) {
    return { body: { jobId, status: 'already embedded', result: done } };
  }
  await store.updateJob(jobId, { status: 'running', stage: 'embed', error: null });
  try {
    const result = await embedBacktest(message, ctx, jobId);
    await store.updateJob(jobId, { status: 'succeeded', result, progress: { done: result.chunks, total: result.chunks, unit: 'chunks' } });
    return { body: { jobId, status: 'embedded', result } };
  } catch (err) {
    const e = toAppError(err);
    if (!isFinal(e)) throw err;
    const error = { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) };
    await store.updateJob(jobId, { status: 'failed', error });
    return { body: { jobId, status: 'failed', error } };
  }
}

/** Retrying cannot help: bad input, a missing backtest, or a service marked `retryable: false`. */
function isFinal(e: AppError): boolean {
  return e.details?.retryable === false || outcomeOf(e.status) === 'dead';
}

async function embedBacktest(message: EmbedMessage, ctx: FnContext, jobId: string): Promise<EmbedResult> {
  const { store, embedder, vectors } = ctx.ports;
  const { backtestId } = message;
  const backtest = await store.getBacktest(backtestId);
  if (!backtest) throw new AppError('not_found', `no backtest ${backtestId}`, { field: 'backtestId' });
  if (message.rebuild) await vectors.deleteBacktest(backtestId);
  const chunks = await buildChunksOffThread({ backtestId, accountCurrency: backtest.accountCurrency, trades: await store.readTrades(backtestId) }, {}, ctx.signal);
  const stored = await vectors.storedIds(backtestId, embedder.model);
  const todo = chunks.filter((c) => !stored.has(c.id));
  const skipped = chunks.length - todo.length;
  const progress = throttledProgress((done: number) => store.updateJob(jobId, { progress: { done, total: chunks.length, unit: 'chunks' } }), ctx.log);
  await store.updateJob(jobId, { progress: { done: skipped, total: chunks.length, unit: 'chunks' } });
  for (let i = 0; i < todo.length; i += EMBED_BATCH) {
    ctx.signal.throwIfAborted();
    const batch = todo.slice(i, i + EMBED_BATCH);
    const embeddings = await embedder.embed(
      batch.map((c) => c.text),
      ctx.signal,
    );
    for (let j = 0; j < batch.length; j += WRITE_BATCH) {
      await vectors.upsert(batch.slice(j, j + WRITE_BATCH), embeddings.slice(j, j + WRITE_BATCH), embedder.model);
      await new Promise((resolve) => setImmediate(resolve));
      progress(skipped + i + Math.min(batch.length, j + WRITE_BATCH));
    }
  }
  await progress.settled();
  return { backtestId, model: embedder.model, vectorStore: vectors.kind, chunks: chunks.length, embedded: todo.length, skipped, byKind: countKinds(chunks) };
}

function countKinds(chunks: Chunk[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of chunks) out[c.kind] = (out[c.kind] ?? 0) + 1;
  return out;
}
