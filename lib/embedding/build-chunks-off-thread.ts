import { once } from 'node:events';
import type { ChunkOptions } from '../domain/chunks/chunk-context.js';
import type { TradeColumns } from '../domain/trade-columns.js';
import type { Chunk } from '../ports/vector-store.js';
import { AppError } from '../runtime/errors.js';
import { siblingModule, startWorker } from '../runtime/start-worker.js';
import { packTradeColumns, type PackedChunkSource } from './packed-trades.js';

/**
 * buildChunks on a worker thread. On the runner's own thread a million trades took 8.5 s when this was
 * written (a one-off measurement), during which it answered nothing (health checks, uploads,
 * questions); here the thread only packs and unpacks.
 */
export async function buildChunksOffThread(
  source: { backtestId: string; accountCurrency: string | null; trades: TradeColumns },
  options: Partial<ChunkOptions> = {},
  signal?: AbortSignal,
): Promise<Chunk[]> {
  const { packed, transfer } = packTradeColumns(source.trades);
  const workerData: PackedChunkSource = { backtestId: source.backtestId, accountCurrency: source.accountCurrency, trades: packed, options };
  const worker = startWorker(siblingModule(import.meta.url, 'chunk-worker'), { name: 'chunk-builder', workerData, transferList: transfer });
  const stop = () => void worker.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const [chunks] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([err]) => Promise.reject(err)),
      // Terminated (the call aborted) or gone without an answer: never wait forever.
      once(worker, 'exit').then(([code]) => Promise.reject(new Error(signal?.aborted ? 'aborted' : `the chunk worker exited with code ${code} without an answer`))),
    ])) as [Chunk[]];
    return chunks;
  } catch (err) {
    throw new AppError('internal', 'building the chunks failed', undefined, { cause: err });
  } finally {
    signal?.removeEventListener('abort', stop);
    await worker.terminate();
  }
}
