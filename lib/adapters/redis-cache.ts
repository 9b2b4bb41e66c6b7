import { Redis } from 'ioredis';
import type { Cache } from '../ports/cache.js';
import { withoutPassword } from '../runtime/url-password.js';

/** Keys are namespaced so several platforms (or test runs) can share one Redis. */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  static async connect(url: string, prefix = 'trading-ai:'): Promise<RedisCache> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5_000, enableOfflineQueue: false });
    // Reconnection errors are reported by failing commands; an unhandled 'error' event would kill the process.
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      throw new Error(`cannot reach Redis at ${withoutPassword(url)} (REDIS_URL): ${(err as Error).message}`, { cause: err });
    }
    return new RedisCache(redis, prefix);
  }

  async get(key: string) {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds?: number) {
    if (ttlSeconds) await this.redis.set(this.prefix + key, value, 'EX', ttlSeconds);
    else await this.redis.set(this.prefix + key, value);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number) {
    const r = ttlSeconds
      ? await this.redis.set(this.prefix + key, value, 'EX', ttlSeconds, 'NX')
      : await this.redis.set(this.prefix + key, value, 'NX');
    return r === 'OK';
  }

  async increment(key: string, ttlSeconds: number) {
    const k = this.prefix + key;
    const [[, value]] = (await this.redis.multi().incr(k).expire(k, ttlSeconds, 'NX').exec()) as [[null, number]];
    return value;
  }

  async delete(key: string) {
    await this.redis.del(this.prefix + key);
  }

  async close() {
    this.redis.disconnect();
  }
}
