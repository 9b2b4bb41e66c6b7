import { existsSync } from 'node:fs';
import path from 'node:path';
import { FsBlobs } from '../adapters/fs-blobs.js';
import { JetStreamBus } from '../adapters/jetstream-bus.js';
import { MemoryBus } from '../adapters/memory-bus.js';
import { MemoryCache } from '../adapters/memory-cache.js';
import { ChromaVectorStore } from '../adapters/chroma-vector-store.js';
import { LocalEmbedder } from '../adapters/local-embedder.js';
import { OllamaEmbedder } from '../adapters/ollama-embedder.js';
import { OllamaLlm } from '../adapters/ollama-llm.js';
import { openPgliteDriver } from '../adapters/pglite-store.js';
import { readTemplate } from '../adapters/pglite-template.js';
import { PgvectorStore } from '../adapters/pgvector-store.js';
import { openPostgresDriver, postgresAddress } from '../adapters/postgres-store.js';
import { RedisCache } from '../adapters/redis-cache.js';
import { SqlStore } from '../adapters/sql/sql-store.js';
import type { SqlDriver } from '../adapters/sql/driver.js';
import { UnavailableVectorStore } from '../adapters/unavailable-vector-store.js';
import type { Blobs } from '../ports/blobs.js';
import type { Bus } from '../ports/bus.js';
import type { Cache } from '../ports/cache.js';
import type { Embedder } from '../ports/embedder.js';
import type { Llm } from '../ports/llm.js';
import type { Store } from '../ports/store.js';
import type { VectorStore } from '../ports/vector-store.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';

export interface Ports {
  store: Store;
  bus: Bus;
  blobs: Blobs;
  cache: Cache;
  /** Ollama's embedding model with OLLAMA_HOST, else the local hashed embedder. */
  embedder: Embedder;
  /** Chroma with CHROMA_URL, else pgvector in the store's database (or, without the extension, one that says so on use). */
  vectors: VectorStore;
  /** Ollama's chat model with OLLAMA_HOST, else none: answers are composed from facts. */
  llm: Llm | null;
}

/**
 * The one place adapters are chosen: a configured URL selects the service adapter, its absence the
 * embedded one. A configured service that cannot be reached fails start-up with its variable named.
 */
export async function openPorts(config: Config, log?: Logger): Promise<Ports> {
  // Failures with no caller waiting (a dropped connection, a failed dead-letter publish) are logged.
  const onError = (err: Error) => (log ? log.warn({ err: err.message }, 'bus error') : process.emitWarning(err));
  const opened: { close(): Promise<void> }[] = [];
  try {
    const driver = config.DATABASE_URL
      ? await openPostgresDriver(config.DATABASE_URL)
      : await openEmbeddedDriver(path.join(config.dataDir, 'pglite'));
    opened.push(driver);
    const store = await SqlStore.open(driver);
    const bus: Bus = config.NATS_URL ? await JetStreamBus.connect(config.NATS_URL, { onError }) : new MemoryBus({ onError });
    opened.push(bus);
    const cache: Cache = config.REDIS_URL ? await RedisCache.connect(config.REDIS_URL) : new MemoryCache();
    opened.push(cache);
    const blobs = await FsBlobs.open(path.join(config.dataDir, 'blobs'));
    const embedder: Embedder = config.OLLAMA_HOST ? await OllamaEmbedder.connect(config.OLLAMA_HOST, config.OLLAMA_EMBED_MODEL) : new LocalEmbedder();
    const llm: Llm | null = config.OLLAMA_HOST ? await OllamaLlm.connect(config.OLLAMA_HOST, config.OLLAMA_CHAT_MODEL, { timeoutMs: config.OLLAMA_CHAT_TIMEOUT_MS }) : null;
    const vectors = config.CHROMA_URL
      ? await ChromaVectorStore.open(config.CHROMA_URL, embedder.dimension)
      : await openPgvector(driver, embedder.dimension, config, log);
    return { store, bus, blobs, cache, embedder, vectors, llm };
  } catch (err) {
    await Promise.allSettled(opened.map((p) => p.close()));
    throw err;
  }
}

/**
 * pgvector in the store's own database. A Postgres without the extension must not stop the platform:
 * everything but retrieval still works, so the reason is logged once here and every use of the
 * vector store answers `unavailable` with it (the embed job fails with that message).
 */
async function openPgvector(driver: SqlDriver, dimension: number, config: Config, log?: Logger): Promise<VectorStore> {
  const address = config.DATABASE_URL ? postgresAddress(config.DATABASE_URL) : undefined;
  try {
    return await PgvectorStore.open(driver, dimension, { address });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'unavailable') throw err;
    if (log) log.error({ err: err.message }, 'vector store unavailable: retrieval is off until this is fixed');
    else process.emitWarning(err.message);
    return new UnavailableVectorStore('pgvector', err.message);
  }
}

/** Bus first, so no delivery lands on a closed store. */
export async function closePorts(ports: Ports, log?: Logger): Promise<void> {
  await ports.bus.close();
  // Closing goes on past a port that fails to close, so the rest are still released; each failure is logged.
  const report = (port: string) => (err: unknown) => log?.warn({ port, err: (err as Error).message }, 'port did not close cleanly');
  await ports.vectors.close().catch(report('vectors'));
  await Promise.all([ports.cache.close().catch(report('cache')), ports.store.close().catch(report('store'))]);
}

/** A new data directory starts from the install-time template when there is one (no initdb). */
async function openEmbeddedDriver(dataDir: string): Promise<SqlDriver> {
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  const template = fresh ? await readTemplate() : undefined;
  return openPgliteDriver({ dataDir, ...(template ? { loadDataDir: template } : {}) });
}
