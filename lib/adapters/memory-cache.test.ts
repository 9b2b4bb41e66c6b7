import { describe, expect, it } from 'vitest';
import { MemoryCache } from './memory-cache.js';

describe('memory cache bounds', () => {
  it('evicts the least recently used entries once the characters held pass the budget', async () => {
    const cache = new MemoryCache(100, Date.now, 10);
    await cache.set('a', '1234');
    await cache.set('b', '5678');
    await cache.get('a');
    await cache.set('c', '90ab');
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe('1234');
    expect(await cache.get('c')).toBe('90ab');
  });

  it('does not keep a value larger than the whole budget', async () => {
    const cache = new MemoryCache(100, Date.now, 10);
    await cache.set('a', 'x');
    await cache.set('huge', 'y'.repeat(11));
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('a')).toBe('x');
  });

  it('evicts by entry count too', async () => {
    const cache = new MemoryCache(2);
    for (const k of ['a', 'b', 'c']) await cache.set(k, k);
    expect(await cache.get('a')).toBeUndefined();
  });
});
