import { describe } from 'vitest';
import { cacheContract } from '../../lib/ports/cache.contract.js';
import { MemoryCache } from '../../lib/adapters/memory-cache.js';
import { RedisCache } from '../../lib/adapters/redis-cache.js';

cacheContract('memory cache', async () => new MemoryCache());

const redisUrl = process.env.REDIS_URL;
if (redisUrl) cacheContract('Redis cache', () => RedisCache.connect(redisUrl));
else describe.skip('Redis cache (skipped: set REDIS_URL to run against a real server)', () => {});
