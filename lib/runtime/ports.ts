import path from 'node:path';
import { FsBlobs } from '../adapters/fs-blobs.js';
import { JetStreamBus } from '../adapters/jetstream-bus.js';
import { MemoryBus } from '../adapters/memory-bus.js';
import { MemoryCache } from '../adapters/memory-cache.js';
import { openPgliteStore } from '../adapters/pglite-store.js';
import { openPostgresStore } from '../adapters/postgres-store.js';
import { RedisCache } from '../adapters/redis-cache.js';
import type { Blobs } from '../ports/blobs.js';
import type { Bus } from '../ports/bus.js';
import type { Cache } from '../ports/cache.js';
import type { Store } from '../ports/store.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

export interface Ports {
  store: Store;
  bus: Bus;
  blobs: Blobs;
  cache: Cache;
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
    const store = config.DATABASE_URL
      ? await openPostgresStore(config.DATABASE_URL)
      : await openPgliteStore({ dataDir: path.join(config.dataDir, 'pglite') });
    opened.push(store);
    const bus: Bus = config.NATS_URL ? await JetStreamBus.connect(config.NATS_URL, { onError }) : new MemoryBus({ onError });
    opened.push(bus);
    const cache: Cache = config.REDIS_URL ? await RedisCache.connect(config.REDIS_URL) : new MemoryCache();
    opened.push(cache);
    const blobs = await FsBlobs.open(path.join(config.dataDir, 'blobs'));
    return { store, bus, blobs, cache };
  } catch (err) {
    await Promise.allSettled(opened.map((p) => p.close()));
    throw err;
  }
}

/** Bus first, so no delivery lands on a closed store. */
export async function closePorts(ports: Ports): Promise<void> {
  await ports.bus.close();
  await Promise.allSettled([ports.cache.close(), ports.store.close()]);
}
