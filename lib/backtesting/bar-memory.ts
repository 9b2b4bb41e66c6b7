import { validateBars } from '../domain/backtest/index.js';
import type { BarColumns } from '../formats/types.js';
import { barViews, shareBars, sharedBarBytes, type SharedBars } from './shared-bars.js';

/** Bars held in memory for one dataset content hash, checked once and ready to share with workers. */
export interface HeldBars {
  /** The dataset's content hash (the sha256 of its raw upload). */
  dataKey: string;
  shared: SharedBars;
  /** Views over `shared` for the main thread (no copy). */
  bars: BarColumns;
  bytes: number;
}

export interface BarMemoryStats {
  entries: number;
  bytes: number;
  hits: number;
  loads: number;
  evictions: number;
}

export const DEFAULT_BAR_MEMORY_BYTES = 256 * 1024 * 1024;

/**
 * A warm instance's bars, keyed by content hash so two dataset ids over the same bytes share one
 * copy, least recently used first out past `maxBytes`. Bars are validated when they are loaded: bad
 * bars throw the engine's AppError (bar index, time, field) and are not kept. Concurrent requests for
 * the same dataset share one load. The entry just loaded is kept even when it alone is over budget
 * (the run needs it); everything older goes first. `onEvict` lets the worker pool drop its references.
 */
export class BarMemory {
  private readonly entries = new Map<string, HeldBars>();
  private readonly loading = new Map<string, Promise<HeldBars>>();
  private bytes = 0;
  private hits = 0;
  private loads = 0;
  private evictions = 0;
  private readonly maxBytes: number;
  private readonly onEvict: (dataKey: string) => void;

  constructor(options: { maxBytes?: number; onEvict?: (dataKey: string) => void } = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_BAR_MEMORY_BYTES;
    this.onEvict = options.onEvict ?? (() => undefined);
  }

  /** The held bars for `dataKey`, loading them with `load` when absent. `loaded` says whether this call read them. */
  async get(dataKey: string, load: () => Promise<BarColumns>, file?: string): Promise<{ held: HeldBars; loaded: boolean }> {
    const found = this.entries.get(dataKey);
    if (found) {
      this.hits++;
      this.entries.delete(dataKey);
      this.entries.set(dataKey, found);
      return { held: found, loaded: false };
    }
    const pending = this.loading.get(dataKey);
    if (pending) return { held: await pending, loaded: false };
    const loading = (async () => {
      const bars = await load();
      validateBars(bars, file);
      const shared = shareBars(bars);
      return { dataKey, shared, bars: barViews(shared), bytes: sharedBarBytes(shared) };
    })();
    this.loading.set(dataKey, loading);
    try {
      const held = await loading;
      this.loads++;
      this.entries.set(dataKey, held);
      this.bytes += held.bytes;
      this.evictBeyondLimit(dataKey);
      return { held, loaded: true };
    } finally {
      this.loading.delete(dataKey);
    }
  }

  has(dataKey: string): boolean {
    return this.entries.has(dataKey);
  }

  get stats(): BarMemoryStats {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, loads: this.loads, evictions: this.evictions };
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private evictBeyondLimit(keep: string): void {
    for (const key of [...this.entries.keys()]) {
      if (this.bytes <= this.maxBytes) return;
      if (key === keep) continue;
      this.drop(key);
      this.evictions++;
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    this.onEvict(key);
  }
}
