import type { Chunk } from '../../../ports/vector-store.js';
import { citations, commonSymbol, extent, openedAt, type ChunkContext } from '../chunk-context.js';
import { symbolsSentence, tally, tallyJson } from '../tally.js';
import { duration, isoTime, money, utc } from '../words.js';
import { CLOSE_REASONS } from '../../trade.js';

const STOP_LOSS = CLOSE_REASONS.indexOf('stop_loss');

/**
 * A stop-loss cluster: at least `minStopCluster` exits by stop loss (not trailing stops, not margin
 * stop-outs), in closing order, each within `stopClusterGapMs` of the previous one. Trades closed
 * another way in between do not break it. One chunk per cluster, id
 * `pattern:stop-cluster:<first trade's source id>`.
 */
export function stopClusterChunks(ctx: ChunkContext): Chunk[] {
  const t = ctx.trades;
  const stops = Array.from(ctx.order).filter((i) => t.closeReason[i] === STOP_LOSS);
  const out: Chunk[] = [];
  let start = 0;
  for (let k = 1; k <= stops.length; k++) {
    if (k < stops.length && t.exitTime[stops[k]!]! - t.exitTime[stops[k - 1]!]! <= ctx.options.stopClusterGapMs) continue;
    if (k - start >= ctx.options.minStopCluster) out.push(clusterChunk(ctx, stops.slice(start, k)));
    start = k;
  }
  return out;
}

function clusterChunk(ctx: ChunkContext, indices: number[]): Chunk {
  const t = ctx.trades;
  const s = tally(ctx, indices);
  const firstExit = t.exitTime[indices[0]!]!;
  const lastExit = t.exitTime[indices[indices.length - 1]!]!;
  const ids = indices.map((i) => t.sourceId[i]);
  const shown = ids.length > 12 ? `${ids.slice(0, 12).join(', ')} and ${ids.length - 12} more` : ids.join(', ');
  return {
    id: `pattern:stop-cluster:${t.sourceId[indices[0]!]}`,
    backtestId: ctx.backtestId,
    kind: 'pattern',
    text:
      `Stop-loss cluster: ${indices.length} trades stopped out within ${duration(lastExit - firstExit)}, from ${utc(firstExit)} to ${utc(lastExit)}, ` +
      `net ${money(s.net, ctx.currency)}. Trades ${shown}. Symbols: ${symbolsSentence(ctx, s)}.`,
    from: isoTime(extent(indices, (i) => openedAt(t, i))[0]),
    to: isoTime(lastExit),
    symbol: commonSymbol(t, indices),
    tradeIds: citations(ctx, indices),
    metadata: { pattern: 'stop-cluster', spanMinutes: Math.round((lastExit - firstExit) / 60_000), ...tallyJson(ctx, s) },
  };
}
