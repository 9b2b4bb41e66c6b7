import type { Chunk, ScoredChunk, VectorFilter, VectorStore } from '../ports/vector-store.js';
import { AppError } from '../runtime/errors.js';

/**
 * Stands in when the configured vector store cannot work in this deployment (a Postgres without
 * pgvector): the platform still starts, and every use says why, as `unavailable` marked not
 * retryable, so a job fails with the fix instead of being retried for nothing.
 */
export class UnavailableVectorStore implements VectorStore {
  constructor(
    readonly kind: 'pgvector' | 'chroma',
    readonly reason: string,
  ) {}

  private fail(): never {
    throw new AppError('unavailable', this.reason, { retryable: false });
  }

  async upsert(_chunks: Chunk[], _embeddings: Float32Array[], _model: string): Promise<void> {
    this.fail();
  }
  async search(_query: Float32Array, _filter: VectorFilter, _k: number, _model: string): Promise<ScoredChunk[]> {
    this.fail();
  }
  async count(_backtestId: string): Promise<number> {
    this.fail();
  }
  async storedIds(_backtestId: string, _model: string): Promise<Set<string>> {
    this.fail();
  }
  async deleteBacktest(_backtestId: string): Promise<void> {
    this.fail();
  }
  async close(): Promise<void> {}
}
