import type { Chunk } from '../../ports/vector-store.js';
import type { StopChange } from '../trade.js';
import { tradeAt } from '../trade-columns.js';
import type { ChunkContext } from './chunk-context.js';
import { selectTradesForChunks } from './trade-selection.js';
import { duration, isoTime, money, outcome, partOfDay, price, REASON_WORDS, utc, weekday, weekdayIndex } from './words.js';

/**
 * One chunk per trade, in closing order: what was traded, when, for how much, and how it ended.
 * Very large backtests get chunks for a selection of their trades (trade-selection.ts).
 */
export function tradeChunks(ctx: ChunkContext): Chunk[] {
  return selectTradesForChunks(ctx.order, ctx.trades.net, ctx.options.maxTradeChunks).map((i) => tradeChunk(ctx, i));
}

function tradeChunk(ctx: ChunkContext, i: number): Chunk {
  const t = tradeAt(ctx.trades, i);
  const cur = ctx.currency;
  const side = t.direction;
  const size = t.quantity !== null ? `${t.quantity} lots` : t.volume !== null ? `${t.volume} units` : 'unknown size';
  const parts: string[] = [`Trade ${t.sourceId}: ${side} ${size} ${t.symbol},`];
  const opened = t.entryTime !== null ? `opened ${weekday(t.entryTime)} ${utc(t.entryTime)} (${partOfDay(t.entryTime)})` : 'opened at an unrecorded time';
  const closed = `closed ${t.entryTime === null ? `${weekday(t.exitTime)} ` : ''}${utc(t.exitTime)}`;
  let when = `${opened}${t.entryPrice !== null ? ` at ${price(t.entryPrice)}` : ''}, ${closed}${t.exitPrice !== null ? ` at ${price(t.exitPrice)}` : ''}`;
  if (t.entryTime !== null) when += ` after ${duration(t.exitTime - t.entryTime)}`;
  parts.push(when + '.');
  const costs = [
    t.gross !== null ? `gross ${money(t.gross, cur)}` : null,
    t.commission !== null ? `commission ${money(t.commission, cur)}` : null,
    t.swap !== null ? `swap ${money(t.swap, cur)}` : null,
  ].filter((s) => s !== null);
  parts.push(`Net ${money(t.net, cur)} (${outcome(t.net)}${costs.length ? `; ${costs.join(', ')}` : ''})${t.pips !== null ? `, ${t.pips} pips` : ''}.`);
  parts.push(`Closed by ${REASON_WORDS[t.closeReason]}.`);
  const stops = t.stops ? stopSummary(t.stops, t.direction, t.entryPrice) : null;
  if (stops) parts.push(stops);
  if (t.balanceAfter !== null) parts.push(`Balance after: ${money(t.balanceAfter, cur).replace(/^\+/, '')}.`);
  if (t.label) parts.push(`Label: ${t.label}.`);
  return {
    id: `trade:${t.sourceId}`,
    backtestId: ctx.backtestId,
    kind: 'trade',
    text: parts.join(' '),
    from: isoTime(t.entryTime ?? t.exitTime),
    to: isoTime(t.exitTime),
    symbol: t.symbol,
    tradeIds: [t.sourceId],
    metadata: {
      direction: t.direction,
      quantity: t.quantity,
      volume: t.volume,
      net: t.net,
      pips: t.pips,
      closeReason: t.closeReason,
      durationMinutes: t.entryTime !== null ? Math.round((t.exitTime - t.entryTime) / 60_000) : null,
      entryHourUtc: t.entryTime !== null ? new Date(t.entryTime).getUTCHours() : null,
      entryWeekday: t.entryTime !== null ? weekdayIndex(t.entryTime) : null,
      label: t.label,
    },
  };
}

/**
 * The stop history in a sentence: where the stop loss started and ended, how often it moved, whether
 * that tightened or widened it (toward or away from the market's favour for the trade's side), or
 * whether it ended at breakeven; and the last take profit.
 */
export function stopSummary(stops: StopChange[], direction: 'buy' | 'sell', entryPrice: number | null): string | null {
  const sls = stops.map((s) => s.stopLoss);
  const set = sls.filter((x): x is number => x !== null);
  const tp = [...stops].reverse().find((s) => s.takeProfit !== null)?.takeProfit ?? null;
  const parts: string[] = [];
  if (set.length > 0) {
    const first = set[0]!;
    const last = sls[sls.length - 1];
    let moves = 0;
    for (let k = 1; k < sls.length; k++) if (sls[k] !== sls[k - 1]) moves++;
    if (moves === 0) parts.push(`Stop loss at ${price(first)}, never moved`);
    else if (last === null || last === undefined) parts.push(`Stop loss set at ${price(first)}, moved ${moves} time(s), then removed`);
    else {
      const tightened = direction === 'buy' ? last > first : last < first;
      const atBreakeven = entryPrice !== null && Math.abs(last - entryPrice) <= Math.abs(entryPrice) * 1e-6;
      const how = atBreakeven ? 'to breakeven' : last === first ? 'back to where it started' : tightened ? '(tightened)' : '(widened)';
      parts.push(`Stop loss set at ${price(first)}, moved ${moves} time(s), last ${price(last)} ${how}`);
    }
  }
  if (tp !== null) parts.push(`take profit ${price(tp)}`);
  if (parts.length === 0) return null;
  const s = parts.join('; ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
}
