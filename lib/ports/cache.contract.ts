import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from './cache.js';

/** Cases every Cache adapter passes. Keys are unique per run so a shared Redis is fine. */
export function cacheContract(name: string, open: () => Promise<Cache>): void {
  describe(name, () => {
    let cache: Cache;
    const run = Math.random().toString(36).slice(2);
    const k = (s: string) => `contract:${run}:${s}`;
    beforeAll(async () => {
      cache = await open();
    });
    afterAll(async () => {
      await cache?.close();
    });

    it('returns what was set and undefined for what was not', async () => {
      await cache.set(k('a'), 'value é');
      expect(await cache.get(k('a'))).toBe('value é');
      expect(await cache.get(k('missing'))).toBeUndefined();
    });

    it('forgets a value after its expiry', async () => {
      await cache.set(k('ttl'), 'x', 1);
      expect(await cache.get(k('ttl'))).toBe('x');
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await cache.get(k('ttl'))).toBeUndefined();
    });

    it('sets only when absent', async () => {
      expect(await cache.setIfAbsent(k('once'), '1', 60)).toBe(true);
      expect(await cache.setIfAbsent(k('once'), '2', 60)).toBe(false);
      expect(await cache.get(k('once'))).toBe('1');
    });

    it('increments atomically under concurrent calls', async () => {
      const values = await Promise.all(Array.from({ length: 20 }, () => cache.increment(k('n'), 60)));
      expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('deletes', async () => {
      await cache.set(k('d'), 'x');
      await cache.delete(k('d'));
      expect(await cache.get(k('d'))).toBeUndefined();
    });
  });
}
