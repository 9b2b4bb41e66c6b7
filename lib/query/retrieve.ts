import { chunkContext } from '../domain/chunks/chunk-context.js';
import { tradeChunks } from '../domain/chunks/trade-chunks.js';
import type { Embedder } from '../ports/embedder.js';
import type { Store } from '../ports/store.js';
import type { ChunkKind, ScoredChunk, VectorStore } from '../ports/vector-store.js';
import { AppError } from '../runtime/errors.js';
import type { ChunkCitation } from './facts.js';

/** The ports retrieval uses; either may be absent (not configured) and either may throw `unavailable`. */
export interface RetrievalPorts {
  vectors?: VectorStore | null;
  embedder?: Embedder | null;
}

export interface Evidence {
  status: 'ok' | 'unavailable' | 'not_configured';
  /** Why evidence is missing, for the answer's notes. */
  note: string | null;
  chunks: ChunkCitation[];
}

const EXCERPT_CHARS = 300;

export function chunkCitation(c: ScoredChunk): ChunkCitation {
  return {
    id: c.id,
    kind: c.kind,
    score: Math.round(c.score * 1000) / 1000,
    tradeIds: c.tradeIds.slice(0, 20),
    from: c.from,
    to: c.to,
    text: c.text.length > EXCERPT_CHARS ? `${c.text.slice(0, EXCERPT_CHARS - 1)}…` : c.text,
  };
}

function failure(err: unknown): Evidence {
  const message = err instanceof Error ? err.message : String(err);
  const why = err instanceof AppError && err.code === 'unavailable' ? message : `retrieval failed: ${message}`;
  return { status: 'unavailable', note: `evidence retrieval is unavailable (${why}); the numbers above come from the trades themselves`, chunks: [] };
}

function notConfigured(ports: RetrievalPorts): Evidence | undefined {
  if (ports.vectors && ports.embedder) return undefined;
  return {
    status: 'not_configured',
    note: `evidence retrieval is unavailable (no ${!ports.vectors ? 'vector store' : 'embedder'} is configured); the numbers above come from the trades themselves`,
    chunks: [],
  };
}

/** The chunks closest to a text, within one backtest (the filter always carries its id). */
export async function retrieveEvidence(
  ports: RetrievalPorts,
  backtestId: string,
  text: string,
  opts: { k: number; kinds?: ChunkKind[]; symbol?: string },
  signal?: AbortSignal,
): Promise<Evidence> {
  const off = notConfigured(ports);
  if (off) return off;
  try {
    const [vector] = await ports.embedder!.embed([text], signal);
    const hits = await ports.vectors!.search(vector!, { backtestId, ...(opts.kinds ? { kinds: opts.kinds } : {}), ...(opts.symbol ? { symbol: opts.symbol } : {}) }, opts.k, ports.embedder!.model);
    return { status: 'ok', note: hits.length === 0 ? 'no embedded chunks were found for this backtest (has it been embedded?)' : null, chunks: hits.map(chunkCitation) };
  } catch (err) {
    if (signal?.aborted) throw err;
    return failure(err);
  }
}

/**
 * "Trades like #1234": the trade's own chunk text is rebuilt exactly as the embed stage writes it,
 * embedded, and its nearest trade chunks returned (the trade itself left out).
 */
export async function similarTradeChunks(
  ports: RetrievalPorts,
  store: Store,
  bt: { id: string; accountCurrency: string | null },
  trade: { id: string; seq: number },
  k: number,
  signal?: AbortSignal,
): Promise<{ evidence: Evidence; neighbours: { tradeId: string; score: number }[] }> {
  const off = notConfigured(ports);
  if (off) return { evidence: off, neighbours: [] };
  try {
    const columns = await store.readTrades(bt.id, { limit: 1, offset: trade.seq });
    const chunk = tradeChunks(chunkContext(bt.id, bt.accountCurrency, columns))[0];
    if (!chunk) return { evidence: { status: 'ok', note: null, chunks: [] }, neighbours: [] };
    const [vector] = await ports.embedder!.embed([chunk.text], signal);
    const hits = (await ports.vectors!.search(vector!, { backtestId: bt.id, kinds: ['trade'] }, k + 1, ports.embedder!.model)).filter(
      (c) => !c.tradeIds.includes(trade.id),
    );
    const top = hits.slice(0, k);
    return {
      evidence: { status: 'ok', note: top.length === 0 ? 'no embedded trade chunks were found for this backtest (has it been embedded?)' : null, chunks: top.map(chunkCitation) },
      neighbours: top.flatMap((c) => c.tradeIds.slice(0, 1).map((id) => ({ tradeId: id, score: c.score }))),
    };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { evidence: failure(err), neighbours: [] };
  }
}
