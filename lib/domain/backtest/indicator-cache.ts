import type { PriceBars } from '../indicators/index.js';
import { INDICATORS } from '../indicators/index.js';
import type { CompiledIndicator } from './compiled-strategy.js';

type Columns = Readonly<Record<string, ArrayBufferView>>;

export interface IndicatorCacheStats {
  hits: number;
  /** Computations actually run (one per miss). */
  computations: number;
  evictions: number;
  entries: number;
  bytes: number;
}

/**
 * Indicator outputs and other per-bar derived columns (price sources, bar clock), computed once per
 * (bar data, what is computed) and shared by every run that asks again: across optimisation
 * candidates, SMA(20) of the same bars is computed once however many candidates use it. The bar data
 * is identified by a key the caller gives (a content hash) or, failing that, by the bars object
 * itself. Least recently used entries are dropped past `maxBytes`. Cached arrays are shared: callers
 * must not write to them.
 */
export class IndicatorCache {
  private readonly entries = new Map<string, { columns: Columns; bytes: number }>();
  private readonly objectKeys = new WeakMap<object, string>();
  private nextObjectKey = 1;
  private bytes = 0;
  private hits = 0;
  private computations = 0;
  private evictions = 0;
  private readonly maxBytes: number;

  constructor(options: { maxBytes?: number } = {}) {
    this.maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  }

  /** The key that identifies `bars`: `dataKey` when given, else one made up for this object. */
  dataKeyFor(bars: object, dataKey?: string): string {
    if (dataKey !== undefined) return `data:${dataKey}`;
    let key = this.objectKeys.get(bars);
    if (key === undefined) {
      key = `object:${this.nextObjectKey++}`;
      this.objectKeys.set(bars, key);
    }
    return key;
  }

  indicator(dataKey: string, bars: PriceBars, indicator: CompiledIndicator): Readonly<Record<string, Float64Array>> {
    return this.getOrCompute(`${dataKey}|indicator|${indicator.cacheKey}`, () =>
      INDICATORS[indicator.type].compute(bars, indicator.params, indicator.source),
    ) as Readonly<Record<string, Float64Array>>;
  }

  /** Any other column set derived from the bars alone, under a name unique to what it computes. */
  getOrCompute(key: string, compute: () => Columns): Columns {
    const found = this.entries.get(key);
    if (found) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.columns;
    }
    const columns = compute();
    this.computations++;
    let bytes = 0;
    for (const column of Object.values(columns)) bytes += column.byteLength;
    this.entries.set(key, { columns, bytes });
    this.bytes += bytes;
    this.evictBeyondLimit(key);
    return columns;
  }

  get stats(): IndicatorCacheStats {
    return { hits: this.hits, computations: this.computations, evictions: this.evictions, entries: this.entries.size, bytes: this.bytes };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private evictBeyondLimit(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) return;
      if (key === keep) continue;
      this.entries.delete(key);
      this.bytes -= entry.bytes;
      this.evictions++;
    }
  }
}
