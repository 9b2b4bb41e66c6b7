import type { Chunk } from '../../ports/vector-store.js';
import { citations, commonSymbol, type ChunkContext } from './chunk-context.js';
import { reasonsSentence, symbolsSentence, tally, tallyJson, tradeRef, type Tally } from './tally.js';
import { DAY_MS, isoTime, isoWeek, money, percent, startOfIsoWeek, startOfUtcDay, utcDate, weekday } from './words.js';

/**
 * Daily and weekly summaries. A trade counts on the UTC day (and ISO week, Monday to Sunday) it
 * closed, since that is when its result was booked. A chunk covers its whole period: from 00:00 UTC
 * of its first day to the last millisecond of its last day.
 */
export function dailyChunks(ctx: ChunkContext): Chunk[] {
  return groups(ctx, startOfUtcDay).map(([start, indices]) => {
    const s = tally(ctx, indices);
    const date = utcDate(start);
    return {
      id: `daily:${date}`,
      backtestId: ctx.backtestId,
      kind: 'daily',
      text: `Day ${date} (${weekday(start)}, UTC): ${body(ctx, s)}`,
      from: isoTime(start),
      to: isoTime(start + DAY_MS - 1),
      symbol: commonSymbol(ctx.trades, indices),
      tradeIds: citations(ctx, indices),
      metadata: { date, weekday: weekday(start), ...tallyJson(ctx, s) },
    };
  });
}

export function weeklyChunks(ctx: ChunkContext): Chunk[] {
  return groups(ctx, startOfIsoWeek).map(([start, indices]) => {
    const s = tally(ctx, indices);
    const week = isoWeek(start);
    const days = groups(ctx, startOfUtcDay, indices).map(([day, ix]) => ({ day, net: tally(ctx, ix).net }));
    const best = days.reduce((a, b) => (b.net > a.net ? b : a));
    const worst = days.reduce((a, b) => (b.net < a.net ? b : a));
    const dayLine =
      days.length > 1
        ? ` Best day ${weekday(best.day)} ${utcDate(best.day)} net ${money(best.net, ctx.currency)}; worst day ${weekday(worst.day)} ${utcDate(worst.day)} net ${money(worst.net, ctx.currency)}.`
        : '';
    return {
      id: `weekly:${week}`,
      backtestId: ctx.backtestId,
      kind: 'weekly',
      text: `Week ${week} (Monday ${utcDate(start)} to Sunday ${utcDate(start + 6 * DAY_MS)}, UTC): ${body(ctx, s)}${dayLine}`,
      from: isoTime(start),
      to: isoTime(start + 7 * DAY_MS - 1),
      symbol: commonSymbol(ctx.trades, indices),
      tradeIds: citations(ctx, indices),
      metadata: { week, tradingDays: days.length, ...tallyJson(ctx, s) },
    };
  });
}

/** `12 trades closed, net -120.50 USD; 5 wins, 7 losses, win rate 41.7%. Best ... Symbols: ... Exits: ...` */
function body(ctx: ChunkContext, s: Tally): string {
  const head = `${s.trades} trade${s.trades === 1 ? '' : 's'} closed, net ${money(s.net, ctx.currency)}; ${s.wins} win${s.wins === 1 ? '' : 's'}, ${s.losses} loss${s.losses === 1 ? '' : 'es'}, win rate ${percent(s.wins, s.trades)}.`;
  const extremes = s.trades > 1 ? ` Best ${tradeRef(ctx, s.best)}; worst ${tradeRef(ctx, s.worst)}.` : '';
  return `${head}${extremes} Symbols: ${symbolsSentence(ctx, s)}. Exits: ${reasonsSentence(s)}.`;
}

/** Trades grouped by the period their exit falls in, periods in time order, trades in closing order. */
function groups(ctx: ChunkContext, periodOf: (ms: number) => number, indices: ArrayLike<number> = ctx.order): [number, number[]][] {
  const out = new Map<number, number[]>();
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    const p = periodOf(ctx.trades.exitTime[i]!);
    let list = out.get(p);
    if (!list) out.set(p, (list = []));
    list.push(i);
  }
  return [...out].sort((a, b) => a[0] - b[0]);
}
