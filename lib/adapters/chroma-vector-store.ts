import { ChromaClient, type Collection, type Metadata, type Where } from 'chromadb';
import type { Chunk, ChunkKind, ScoredChunk, VectorFilter, VectorStore } from '../ports/vector-store.js';
import { AppError } from '../runtime/errors.js';
import { withoutPassword } from '../runtime/url-password.js';

/** Where each kind of chunk lives: weekly summaries go with the daily ones. */
const COLLECTION_OF: Record<ChunkKind, 'trades_embeddings' | 'daily_summaries' | 'patterns_embeddings'> = {
  trade: 'trades_embeddings',
  daily: 'daily_summaries',
  weekly: 'daily_summaries',
  pattern: 'patterns_embeddings',
};
const COLLECTIONS = ['trades_embeddings', 'daily_summaries', 'patterns_embeddings'] as const;
type CollectionName = (typeof COLLECTIONS)[number];

/** Records per upsert or get request. */
const PAGE = 1_000;
const MAX_K = 1_000;

export interface ChromaOptions {
  /** Prefixed to the three collection names (tests use a unique prefix per run). */
  collectionPrefix?: string;
}

/**
 * Vectors in a Chroma server (CHROMA_URL), in the collections `trades_embeddings`, `daily_summaries`
 * and `patterns_embeddings`. Embeddings come from our embedder (the collections have no embedding
 * function); the cosine space and the dimension are fixed when a collection is created, and opening
 * with another dimension is refused. Record ids are `backtestId|model|chunkId`; the filters
 * (backtestId, model, kind, symbol) are record metadata.
 */
export class ChromaVectorStore implements VectorStore {
  readonly kind = 'chroma' as const;

  private constructor(
    private readonly client: ChromaClient,
    private readonly url: string,
    readonly dimension: number,
    private readonly collections: Map<CollectionName, Collection>,
  ) {}

  static async open(url: string, dimension: number, options: ChromaOptions = {}): Promise<ChromaVectorStore> {
    const u = new URL(url);
    const ssl = u.protocol === 'https:';
    const client = new ChromaClient({ host: u.hostname, port: Number(u.port || (ssl ? 443 : 8000)), ssl });
    const collections = new Map<CollectionName, Collection>();
    await call(url, 'reach', () => client.heartbeat());
    for (const name of COLLECTIONS) {
      const full = `${options.collectionPrefix ?? ''}${name}`;
      const c = await call(url, `open collection ${full}`, () =>
        client.getOrCreateCollection({
          name: full,
          embeddingFunction: null,
          configuration: { hnsw: { space: 'cosine' } },
          metadata: { dimension, space: 'cosine' },
        }),
      );
      const held = c.metadata?.dimension;
      if (typeof held === 'number' && held !== dimension) {
        throw new AppError(
          'unavailable',
          `Chroma collection ${full} at ${url} (CHROMA_URL) holds ${held}-dimension vectors but the embedder gives ${dimension}: delete the collection to re-embed, or use the embedder it was built with`,
          { setting: 'CHROMA_URL', retryable: false },
        );
      }
      collections.set(name, c);
    }
    return new ChromaVectorStore(client, url, dimension, collections);
  }

  async upsert(chunks: Chunk[], embeddings: Float32Array[], model: string): Promise<void> {
    if (chunks.length !== embeddings.length) {
      throw new AppError('invalid_input', `upsert got ${chunks.length} chunk(s) but ${embeddings.length} embedding(s)`);
    }
    for (const e of embeddings) this.checkDimension(e, model);
    const groups = new Map<CollectionName, number[]>();
    chunks.forEach((c, i) => {
      const name = COLLECTION_OF[c.kind];
      groups.set(name, [...(groups.get(name) ?? []), i]);
    });
    for (const [name, indexes] of groups) {
      for (let from = 0; from < indexes.length; from += PAGE) {
        const page = indexes.slice(from, from + PAGE);
        await call(this.url, `write to ${name}`, () =>
          this.collection(name).upsert({
            ids: page.map((i) => recordId(chunks[i]!.backtestId, model, chunks[i]!.id)),
            embeddings: page.map((i) => Array.from(embeddings[i]!)),
            documents: page.map((i) => chunks[i]!.text),
            metadatas: page.map((i) => metadataOf(chunks[i]!, model)),
          }),
        );
      }
    }
  }

  async search(query: Float32Array, filter: VectorFilter, k: number, model: string): Promise<ScoredChunk[]> {
    this.checkDimension(query, model);
    if (!filter?.backtestId) throw new AppError('invalid_input', 'a vector search needs a backtestId: searches never cross backtests');
    const limit = Math.max(1, Math.min(MAX_K, Math.floor(k)));
    const kinds = filter.kinds && filter.kinds.length > 0 ? filter.kinds : undefined;
    const names = [...new Set((kinds ?? (Object.keys(COLLECTION_OF) as ChunkKind[])).map((kind) => COLLECTION_OF[kind]))];
    const clauses: Where[] = [{ backtestId: { $eq: filter.backtestId } }, { model: { $eq: model } }];
    if (kinds) clauses.push({ kind: { $in: kinds } });
    if (filter.symbol) clauses.push({ symbol: { $eq: filter.symbol } });
    const hits: ScoredChunk[] = [];
    for (const name of names) {
      const res = await call(this.url, `search ${name}`, () =>
        this.collection(name).query({
          queryEmbeddings: [Array.from(query)],
          nResults: limit,
          where: { $and: clauses },
          include: ['documents', 'metadatas', 'distances'],
        }),
      );
      const ids = res.ids[0] ?? [];
      for (let i = 0; i < ids.length; i++) {
        const meta = res.metadatas[0]?.[i];
        if (!meta) continue;
        hits.push({ ...chunkOf(meta, res.documents[0]?.[i] ?? ''), score: 1 - Number(res.distances[0]?.[i] ?? 1) });
      }
    }
    return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  async count(backtestId: string): Promise<number> {
    let n = 0;
    for (const name of COLLECTIONS) n += (await this.ids(name, { backtestId: { $eq: backtestId } })).length;
    return n;
  }

  async storedIds(backtestId: string, model: string): Promise<Set<string>> {
    const out = new Set<string>();
    const where: Where = { $and: [{ backtestId: { $eq: backtestId } }, { model: { $eq: model } }] };
    for (const name of COLLECTIONS) for (const meta of await this.metadatas(name, where)) out.add(String(meta.chunkId));
    return out;
  }

  async deleteBacktest(backtestId: string): Promise<void> {
    for (const name of COLLECTIONS) {
      await call(this.url, `delete from ${name}`, () => this.collection(name).delete({ where: { backtestId: { $eq: backtestId } } }));
    }
  }

  /** Drops the three collections (tests). */
  async dropCollections(): Promise<void> {
    for (const c of this.collections.values()) await call(this.url, `drop ${c.name}`, () => this.client.deleteCollection({ name: c.name }));
  }

  async close(): Promise<void> {}

  private collection(name: CollectionName): Collection {
    return this.collections.get(name)!;
  }

  private async ids(name: CollectionName, where: Where): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const res = await call(this.url, `read ${name}`, () => this.collection(name).get({ where, limit: PAGE, offset, include: [] }));
      out.push(...res.ids);
      if (res.ids.length < PAGE) return out;
    }
  }

  private async metadatas(name: CollectionName, where: Where): Promise<Metadata[]> {
    const out: Metadata[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const res = await call(this.url, `read ${name}`, () => this.collection(name).get({ where, limit: PAGE, offset, include: ['metadatas'] }));
      for (const m of res.metadatas) if (m) out.push(m);
      if (res.ids.length < PAGE) return out;
    }
  }

  private checkDimension(v: Float32Array, model: string): void {
    if (v.length !== this.dimension) {
      throw new AppError(
        'invalid_input',
        `embedding of model ${model} has ${v.length} dimensions but this Chroma store holds ${this.dimension}; open the store with the embedder's dimension`,
        { expected: `${this.dimension} dimensions`, found: `${v.length}` },
      );
    }
  }
}

const recordId = (backtestId: string, model: string, id: string) => `${backtestId}|${model}|${id}`;

/** Chroma metadata holds scalars: absent values are left out, lists and objects go in as JSON text. */
function metadataOf(c: Chunk, model: string): Metadata {
  const m: Metadata = {
    backtestId: c.backtestId,
    model,
    chunkId: c.id,
    kind: c.kind,
    tradeIds: JSON.stringify(c.tradeIds),
    metadata: JSON.stringify(c.metadata),
  };
  if (c.symbol !== null) m.symbol = c.symbol;
  if (c.from !== null) m.from = c.from;
  if (c.to !== null) m.to = c.to;
  return m;
}

function chunkOf(m: Metadata, text: string): Chunk {
  return {
    id: String(m.chunkId),
    backtestId: String(m.backtestId),
    kind: m.kind as ChunkKind,
    text,
    from: typeof m.from === 'string' ? m.from : null,
    to: typeof m.to === 'string' ? m.to : null,
    symbol: typeof m.symbol === 'string' ? m.symbol : null,
    tradeIds: typeof m.tradeIds === 'string' ? (JSON.parse(m.tradeIds) as string[]) : [],
    metadata: typeof m.metadata === 'string' ? (JSON.parse(m.metadata) as Record<string, unknown>) : {},
  };
}

/** Every Chroma call: a failure becomes `unavailable` naming CHROMA_URL (ours pass through). */
async function call<T>(url: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
    throw new AppError('unavailable', `Chroma at ${withoutPassword(url)} (CHROMA_URL) failed to ${what}: ${e.name ? `${e.name}: ` : ''}${reason}`, { setting: 'CHROMA_URL' }, { cause: err });
  }
}
