import type { Chunk } from '../../ports/vector-store.js';
import type { TradeColumns } from '../trade-columns.js';
import { chunkContext, type ChunkOptions } from './chunk-context.js';
import { losingStreakChunks } from './patterns/losing-streaks.js';
import { revengeTradeChunks } from './patterns/revenge-trades.js';
import { stopClusterChunks } from './patterns/stop-clusters.js';
import { worstTimeChunks } from './patterns/worst-times.js';
import { dailyChunks, weeklyChunks } from './period-chunks.js';
import { tradeChunks } from './trade-chunks.js';

export interface ChunkSource {
  backtestId: string;
  /** The account currency money is stated in, or null. */
  accountCurrency: string | null;
  trades: TradeColumns;
}

/**
 * Every chunk of a backtest, in a fixed order: trades (closing order), days, weeks, then patterns.
 * Pure and deterministic: the same trades give the same ids and texts, so re-embedding upserts.
 * Ids are unique; should two chunks ever claim one (a source id used twice), the later gets `~2`, `~3`.
 */
export function buildChunks(source: ChunkSource, options: Partial<ChunkOptions> = {}): Chunk[] {
  const ctx = chunkContext(source.backtestId, source.accountCurrency, source.trades, options);
  const all = [
    ...tradeChunks(ctx),
    ...dailyChunks(ctx),
    ...weeklyChunks(ctx),
    ...losingStreakChunks(ctx),
    ...worstTimeChunks(ctx),
    ...stopClusterChunks(ctx),
    ...revengeTradeChunks(ctx),
  ];
  const seen = new Map<string, number>();
  for (const c of all) {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    if (n > 1) c.id = `${c.id}~${n}`;
  }
  return all;
}
