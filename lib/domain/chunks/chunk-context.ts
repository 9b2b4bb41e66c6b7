import { closingOrder } from '../metrics/closing-order.js';
import type { TradeColumns } from '../trade-columns.js';

/** The knobs of chunking; the defaults are what the embed stage uses (docs/ask.md explains them). */
export interface ChunkOptions {
  /** Consecutive losing trades that make a losing streak. */
  minLosingStreak: number;
  /** Stop-loss exits at most this far apart (ms) belong to one cluster... */
  stopClusterGapMs: number;
  /** ...and a cluster has at least this many. */
  minStopCluster: number;
  /** A trade opened at most this long (ms) after a losing trade closed may be a revenge trade. */
  revengeWindowMs: number;
  /** How many days, hours or weekdays the worst-of chunks list. */
  worstCount: number;
  /** Individual revenge-trade chunks kept (the worst by net); the summary chunk counts them all. */
  maxRevengeChunks: number;
  /** Citations per chunk; the chunk's metadata still counts every trade it is about. */
  maxTradeIds: number;
  /**
   * Trades that get a chunk of their own. Retrieval is built for about 100k chunks; past that, a
   * chunk per trade costs minutes of indexing and adds little evidence (see trade-selection.ts).
   */
  maxTradeChunks: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = {
  minLosingStreak: 3,
  stopClusterGapMs: 60 * 60_000,
  minStopCluster: 3,
  revengeWindowMs: 30 * 60_000,
  worstCount: 5,
  maxRevengeChunks: 200,
  maxTradeIds: 500,
  maxTradeChunks: 100_000,
};

/** What every chunk builder reads: the trades, their closing order and how to say money. */
export interface ChunkContext {
  backtestId: string;
  /** The account (deposit) currency, or null when the source did not say. */
  currency: string | null;
  trades: TradeColumns;
  /** Trade indices in closing order (exit time, then input order). */
  order: Uint32Array;
  options: ChunkOptions;
}

export function chunkContext(backtestId: string, currency: string | null, trades: TradeColumns, options: Partial<ChunkOptions> = {}): ChunkContext {
  const order = closingOrder(trades.exitTime) ?? Uint32Array.from({ length: trades.length }, (_, i) => i);
  return { backtestId, currency, trades, order, options: { ...DEFAULT_CHUNK_OPTIONS, ...options } };
}

/** When the trade opened, or when it closed if the source did not say when it opened. */
export const openedAt = (t: TradeColumns, i: number): number => (Number.isFinite(t.entryTime[i]!) ? t.entryTime[i]! : t.exitTime[i]!);

/** Lots, else units; NaN when the source carried neither. */
export const sizeOf = (t: TradeColumns, i: number): number => (Number.isFinite(t.quantity[i]!) ? t.quantity[i]! : t.volume[i]!);

/** Source ids of the trades at `indices`, at most `maxTradeIds` of them, in the order given. */
export function citations(ctx: ChunkContext, indices: ArrayLike<number>): string[] {
  const n = Math.min(indices.length, ctx.options.maxTradeIds);
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) out[k] = ctx.trades.sourceId[indices[k]!]!;
  return out;
}

/** The one symbol all the trades share, or null when they span several. */
export function commonSymbol(t: TradeColumns, indices: ArrayLike<number>): string | null {
  if (indices.length === 0) return null;
  const first = t.symbol[indices[0]!]!;
  for (let k = 1; k < indices.length; k++) if (t.symbol[indices[k]!] !== first) return null;
  return first;
}

/** Smallest and largest of `f(i)` over the indices (no spread: there may be a million). */
export function extent(indices: ArrayLike<number>, f: (i: number) => number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < indices.length; k++) {
    const v = f(indices[k]!);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
