import type { Chunk } from '../../../ports/vector-store.js';
import { citations, extent, openedAt, type ChunkContext } from '../chunk-context.js';
import { tally, tallyJson, type Tally } from '../tally.js';
import { isoTime, money, percent, startOfUtcDay, utcDate, weekday, WEEKDAYS, weekdayIndex } from '../words.js';

/**
 * Where the losses concentrate: the worst UTC days (by when trades closed), and the worst hours of
 * the day and weekdays (by when trades opened, since that is the decision being judged; the exit when
 * the open is unknown). Only buckets with a net loss are listed, worst first, at most `worstCount`
 * of them, each with its trade count and win rate. One chunk each: `pattern:worst-days`,
 * `pattern:worst-hours`, `pattern:worst-weekdays`; none when no bucket lost money. The citations are
 * the listed buckets' trades, worst bucket first.
 */
export function worstTimeChunks(ctx: ChunkContext): Chunk[] {
  const t = ctx.trades;
  const out: Chunk[] = [];
  const days = worst(ctx, (i) => startOfUtcDay(t.exitTime[i]!));
  if (days.length > 0) {
    out.push(
      chunk(ctx, 'worst-days', days, {
        title: 'Worst days by net result (UTC, by closing day)',
        label: (day) => `${utcDate(day)} (${weekday(day)})`,
        key: (day) => utcDate(day),
      }),
    );
  }
  const hours = worst(ctx, (i) => new Date(openedAt(t, i)).getUTCHours());
  if (hours.length > 0) {
    out.push(
      chunk(ctx, 'worst-hours', hours, {
        title: 'Worst hours of the day to open trades (UTC, by entry time)',
        label: (h) => `${String(h).padStart(2, '0')}:00-${String((h + 1) % 24).padStart(2, '0')}:00`,
        key: (h) => String(h),
      }),
    );
  }
  const weekdays = worst(ctx, (i) => weekdayIndex(openedAt(t, i)));
  if (weekdays.length > 0) {
    out.push(
      chunk(ctx, 'worst-weekdays', weekdays, {
        title: 'Worst weekdays to open trades (UTC, by entry time)',
        label: (d) => WEEKDAYS[d]!,
        key: (d) => WEEKDAYS[d]!,
      }),
    );
  }
  return out;
}

interface Bucket {
  key: number;
  indices: number[];
  tally: Tally;
}

function worst(ctx: ChunkContext, bucketOf: (i: number) => number): Bucket[] {
  const groups = new Map<number, number[]>();
  for (const i of ctx.order) {
    const b = bucketOf(i);
    let list = groups.get(b);
    if (!list) groups.set(b, (list = []));
    list.push(i);
  }
  return [...groups]
    .map(([key, indices]) => ({ key, indices, tally: tally(ctx, indices) }))
    .filter((b) => b.tally.net < 0)
    .sort((a, b) => a.tally.net - b.tally.net || a.key - b.key)
    .slice(0, ctx.options.worstCount);
}

function chunk(
  ctx: ChunkContext,
  name: string,
  buckets: Bucket[],
  say: { title: string; label: (key: number) => string; key: (key: number) => string },
): Chunk {
  const lines = buckets.map(
    (b) => `${say.label(b.key)} net ${money(b.tally.net, ctx.currency)} over ${b.tally.trades} trade${b.tally.trades === 1 ? '' : 's'} (${b.tally.wins} win${b.tally.wins === 1 ? '' : 's'}, win rate ${percent(b.tally.wins, b.tally.trades)})`,
  );
  const all = buckets.flatMap((b) => b.indices);
  return {
    id: `pattern:${name}`,
    backtestId: ctx.backtestId,
    kind: 'pattern',
    text: `${say.title}: ${lines.join('; ')}.`,
    from: isoTime(extent(all, (i) => openedAt(ctx.trades, i))[0]),
    to: isoTime(extent(all, (i) => ctx.trades.exitTime[i]!)[1]),
    symbol: null,
    tradeIds: citations(ctx, all),
    metadata: {
      pattern: name,
      buckets: buckets.map((b) => ({ bucket: say.key(b.key), ...tallyJson(ctx, b.tally) })),
    },
  };
}
