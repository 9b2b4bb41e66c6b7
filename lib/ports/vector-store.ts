export const CHUNK_KINDS = ['trade', 'daily', 'weekly', 'pattern'] as const;
export type ChunkKind = (typeof CHUNK_KINDS)[number];

/** A piece of text about a backtest, with what it is about, for retrieval as evidence. */
export interface Chunk {
  /** Stable: the same chunk of the same backtest always gets the same id (re-embedding upserts). */
  id: string;
  backtestId: string;
  kind: ChunkKind;
  text: string;
  /** UTC ISO times the chunk covers. */
  from: string | null;
  to: string | null;
  symbol: string | null;
  /** Source ids of the trades the chunk is about (citations). */
  tradeIds: string[];
  metadata: Record<string, unknown>;
}

export interface ScoredChunk extends Chunk {
  /** Cosine similarity, higher is closer. */
  score: number;
}

export interface VectorFilter {
  /** Always required: a search never crosses backtests. */
  backtestId: string;
  kinds?: ChunkKind[];
  symbol?: string;
}

/** Vectors and their chunks: pgvector (PGlite/Postgres) by default, Chroma with CHROMA_URL. */
export interface VectorStore {
  readonly kind: 'pgvector' | 'chroma';
  upsert(chunks: Chunk[], embeddings: Float32Array[], model: string): Promise<void>;
  search(query: Float32Array, filter: VectorFilter, k: number, model: string): Promise<ScoredChunk[]>;
  count(backtestId: string): Promise<number>;
  /** Chunk ids already stored for a backtest and model, so a resumed embed skips them. */
  storedIds(backtestId: string, model: string): Promise<Set<string>>;
  deleteBacktest(backtestId: string): Promise<void>;
  close(): Promise<void>;
}
