import type { Cache } from '../ports/cache.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * An LRU with expiry, bounded by entry count and by the characters it holds (backtest results can be
 * hundreds of KB each). `now` is injectable so expiry is testable.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
    private readonly maxChars = 128 * 1024 * 1024,
  ) {}

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.chars -= e.value.length;
    this.entries.delete(key);
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    // Re-insert to mark as most recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  private put(key: string, value: string, ttlSeconds?: number): void {
    this.remove(key);
    // A value larger than the whole budget would only push everything else out.
    if (value.length > this.maxChars) return;
    this.entries.set(key, { value, expiresAt: ttlSeconds ? this.now() + ttlSeconds * 1000 : Infinity });
    this.chars += value.length;
    while (this.entries.size > this.maxEntries || this.chars > this.maxChars) this.remove(this.entries.keys().next().value!);
  }

  async get(key: string) {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlSeconds?: number) {
    this.put(key, value, ttlSeconds);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number) {
    if (this.live(key)) return false;
    this.put(key, value, ttlSeconds);
    return true;
  }

  async increment(key: string, ttlSeconds: number) {
    const e = this.live(key);
    if (!e) {
      this.put(key, '1', ttlSeconds);
      return 1;
    }
    const next = Number(e.value) + 1;
    this.chars += String(next).length - e.value.length;
    e.value = String(next);
    return next;
  }

  async delete(key: string) {
    this.remove(key);
  }

  async close() {
    this.entries.clear();
    this.chars = 0;
  }
}
