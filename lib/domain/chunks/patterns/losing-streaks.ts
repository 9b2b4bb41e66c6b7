import type { Chunk } from '../../../ports/vector-store.js';
import { citations, commonSymbol, openedAt, type ChunkContext } from '../chunk-context.js';
import { reasonsSentence, symbolsSentence, tally, tallyJson, tradeRef } from '../tally.js';
import { duration, isoTime, money, utc } from '../words.js';

/**
 * A losing streak: at least `minLosingStreak` trades in a row, in closing order, each with a net
 * result below zero. A breakeven or winning trade ends it. One chunk per streak, id
 * `pattern:losing-streak:<first trade's source id>`.
 */
export function losingStreakChunks(ctx: ChunkContext): Chunk[] {
  const out: Chunk[] = [];
  const { order, trades: t } = ctx;
  let start = 0;
  for (let k = 0; k <= order.length; k++) {
    if (k < order.length && t.net[order[k]!]! < 0) continue;
    if (k - start >= ctx.options.minLosingStreak) out.push(streakChunk(ctx, Array.from(order.subarray(start, k))));
    start = k + 1;
  }
  return out;
}

function streakChunk(ctx: ChunkContext, indices: number[]): Chunk {
  const t = ctx.trades;
  const s = tally(ctx, indices);
  const first = indices[0]!;
  const last = indices[indices.length - 1]!;
  const from = openedAt(t, first);
  const to = t.exitTime[last]!;
  const balanceBefore = t.balanceAfter[first]! - t.net[first]!;
  const balance = Number.isFinite(t.balanceAfter[last]!) && Number.isFinite(balanceBefore)
    ? ` The balance fell from ${money(balanceBefore, ctx.currency).replace(/^\+/, '')} to ${money(t.balanceAfter[last]!, ctx.currency).replace(/^\+/, '')}.`
    : '';
  const ids = indices.map((i) => t.sourceId[i]);
  const shown = ids.length > 12 ? `${ids.slice(0, 12).join(', ')} and ${ids.length - 12} more` : ids.join(', ');
  const text =
    `Losing streak: ${indices.length} losing trades in a row from ${utc(from)} to ${utc(to)} (${duration(to - from)}), ` +
    `net ${money(s.net, ctx.currency)}; largest loss ${tradeRef(ctx, s.worst)}. Trades ${shown}. ` +
    `Symbols: ${symbolsSentence(ctx, s)}. Exits: ${reasonsSentence(s)}.${balance}`;
  return {
    id: `pattern:losing-streak:${t.sourceId[first]}`,
    backtestId: ctx.backtestId,
    kind: 'pattern',
    text,
    from: isoTime(from),
    to: isoTime(to),
    symbol: commonSymbol(t, indices),
    tradeIds: citations(ctx, indices),
    metadata: { pattern: 'losing-streak', length: indices.length, ...tallyJson(ctx, s) },
  };
}
