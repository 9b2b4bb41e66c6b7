import type { Chunk } from '../../../ports/vector-store.js';
import { citations, extent, sizeOf, type ChunkContext } from '../chunk-context.js';
import { round2, tally, tallyJson } from '../tally.js';
import { CLOSE_REASONS, DIRECTIONS } from '../../trade.js';
import { duration, isoTime, money, outcome, percent, REASON_WORDS, utc } from '../words.js';

/**
 * A possible revenge trade: trade B whose entry is at most `revengeWindowMs` after the close of the
 * trade that closed last before B opened (A), where A lost money (net < 0), and B is on the same
 * symbol as A or is larger than A (lots, else units; both must be known). Trades without an entry
 * time are never revenge trades. One summary chunk (`pattern:revenge-trades`) compares them with the
 * other trades; the worst `maxRevengeChunks` by B's net also get a chunk each (`pattern:revenge:<B>`).
 */
export function revengeTradeChunks(ctx: ChunkContext): Chunk[] {
  const found = findRevengeTrades(ctx);
  if (found.length === 0) return [];
  const t = ctx.trades;
  const revenge = found.map((r) => r.trade);
  const isRevenge = new Set(revenge);
  const others = Array.from(ctx.order).filter((i) => Number.isFinite(t.entryTime[i]!) && !isRevenge.has(i));
  const r = tally(ctx, revenge);
  const o = tally(ctx, others);
  const sameSymbol = found.filter((f) => f.sameSymbol).length;
  const larger = found.filter((f) => f.larger).length;
  const window = duration(ctx.options.revengeWindowMs);
  const summary: Chunk = {
    id: 'pattern:revenge-trades',
    backtestId: ctx.backtestId,
    kind: 'pattern',
    text:
      `Possible revenge trading: ${found.length} trade${found.length === 1 ? '' : 's'} opened within ${window} after a losing trade closed, ` +
      `on the same symbol (${sameSymbol}) or with a larger size (${larger}). Together they netted ${money(r.net, ctx.currency)}, ` +
      `win rate ${percent(r.wins, r.trades)}, average ${money(round2(r.net / r.trades), ctx.currency)} per trade; the other ${o.trades} trades ` +
      `averaged ${money(o.trades ? round2(o.net / o.trades) : 0, ctx.currency)}, win rate ${percent(o.wins, o.trades)}.`,
    from: isoTime(extent(revenge, (i) => t.entryTime[i]!)[0]),
    to: isoTime(extent(revenge, (i) => t.exitTime[i]!)[1]),
    symbol: null,
    tradeIds: citations(ctx, [...revenge].sort((a, b) => t.net[a]! - t.net[b]! || a - b)),
    metadata: { pattern: 'revenge-trades', windowMinutes: ctx.options.revengeWindowMs / 60_000, sameSymbol, larger, revenge: tallyJson(ctx, r), others: tallyJson(ctx, o) },
  };
  const worst = [...found].sort((a, b) => t.net[a.trade]! - t.net[b.trade]! || a.trade - b.trade).slice(0, ctx.options.maxRevengeChunks);
  return [summary, ...worst.map((f) => revengeChunk(ctx, f))];
}

export interface RevengeTrade {
  /** Index of the trade opened after the loss (B). */
  trade: number;
  /** Index of the losing trade before it (A). */
  after: number;
  sameSymbol: boolean;
  larger: boolean;
}

/** The revenge trades as defined above, in entry order. */
export function findRevengeTrades(ctx: ChunkContext): RevengeTrade[] {
  const t = ctx.trades;
  const byEntry = Array.from(ctx.order)
    .filter((i) => Number.isFinite(t.entryTime[i]!))
    .sort((a, b) => t.entryTime[a]! - t.entryTime[b]! || a - b);
  const exits = ctx.order; // closing order
  const out: RevengeTrade[] = [];
  let k = -1; // the last index into `exits` whose exit is at or before the current entry
  for (const b of byEntry) {
    const entry = t.entryTime[b]!;
    while (k + 1 < exits.length && t.exitTime[exits[k + 1]!]! <= entry) k++;
    // The trade itself cannot be its own trigger (a zero-length trade closes at its entry).
    let j = k;
    while (j >= 0 && exits[j] === b) j--;
    if (j < 0) continue;
    const a = exits[j]!;
    if (!(t.net[a]! < 0) || entry - t.exitTime[a]! > ctx.options.revengeWindowMs) continue;
    const sameSymbol = t.symbol[a] === t.symbol[b];
    const larger = sizeOf(t, b) > sizeOf(t, a);
    if (sameSymbol || larger) out.push({ trade: b, after: a, sameSymbol, larger });
  }
  return out;
}

function revengeChunk(ctx: ChunkContext, f: RevengeTrade): Chunk {
  const t = ctx.trades;
  const { trade: b, after: a } = f;
  const size = (i: number) => (Number.isFinite(t.quantity[i]!) ? `${t.quantity[i]} lots` : Number.isFinite(t.volume[i]!) ? `${t.volume[i]} units` : 'unknown size');
  const why = [f.sameSymbol ? 'same symbol' : null, f.larger ? `larger size (${size(b)} after ${size(a)})` : null].filter(Boolean).join(' and ');
  return {
    id: `pattern:revenge:${t.sourceId[b]}`,
    backtestId: ctx.backtestId,
    kind: 'pattern',
    text:
      `Possible revenge trade ${t.sourceId[b]}: ${DIRECTIONS[t.direction[b]!]} ${size(b)} ${t.symbol[b]} opened ${utc(t.entryTime[b]!)}, ` +
      `${duration(t.entryTime[b]! - t.exitTime[a]!)} after losing trade ${t.sourceId[a]} (${money(t.net[a]!, ctx.currency)}, ${t.symbol[a]}, ` +
      `closed by ${REASON_WORDS[CLOSE_REASONS[t.closeReason[a]!]!]}); ${why}. It ended net ${money(t.net[b]!, ctx.currency)} (${outcome(t.net[b]!)}).`,
    from: isoTime(t.exitTime[a]!),
    to: isoTime(t.exitTime[b]!),
    symbol: t.symbol[b]!,
    tradeIds: [t.sourceId[b]!, t.sourceId[a]!],
    metadata: { pattern: 'revenge', tradeId: t.sourceId[b], afterTradeId: t.sourceId[a], sameSymbol: f.sameSymbol, larger: f.larger, net: t.net[b], lossBefore: t.net[a] },
  };
}
