import type { ChunkContext } from './chunk-context.js';
import { money, REASON_WORDS } from './words.js';
import { CLOSE_REASONS } from '../trade.js';

/** Counts and sums over a set of trades: what every summary and pattern chunk states. */
export interface Tally {
  trades: number;
  net: number;
  wins: number;
  losses: number;
  /** Index of the best and worst trade by net (first one on ties), or -1 for none. */
  best: number;
  worst: number;
  bySymbol: Map<string, { trades: number; net: number }>;
  byReason: Map<string, number>;
}

export function tally(ctx: ChunkContext, indices: ArrayLike<number>): Tally {
  const t = ctx.trades;
  const out: Tally = { trades: 0, net: 0, wins: 0, losses: 0, best: -1, worst: -1, bySymbol: new Map(), byReason: new Map() };
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    const net = t.net[i]!;
    out.trades++;
    out.net += net;
    if (net > 0) out.wins++;
    else if (net < 0) out.losses++;
    if (out.best < 0 || net > t.net[out.best]!) out.best = i;
    if (out.worst < 0 || net < t.net[out.worst]!) out.worst = i;
    const s = out.bySymbol.get(t.symbol[i]!) ?? { trades: 0, net: 0 };
    s.trades++;
    s.net += net;
    out.bySymbol.set(t.symbol[i]!, s);
    const reason = REASON_WORDS[CLOSE_REASONS[t.closeReason[i]!]!];
    out.byReason.set(reason, (out.byReason.get(reason) ?? 0) + 1);
  }
  out.net = round2(out.net);
  for (const s of out.bySymbol.values()) s.net = round2(s.net);
  return out;
}

/** Money sums to the cent, so 0.1 + 0.2 reads 0.30 and compares equal to it. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** `EURUSD 8 trades net -30.00 USD; US30 4 trades net -90.50 USD`, most trades first. */
export function symbolsSentence(ctx: ChunkContext, s: Tally): string {
  return [...s.bySymbol]
    .sort((a, b) => b[1].trades - a[1].trades || (a[0] < b[0] ? -1 : 1))
    .map(([sym, v]) => `${sym} ${v.trades} trade${v.trades === 1 ? '' : 's'} net ${money(v.net, ctx.currency)}`)
    .join('; ');
}

/** `stop loss 6, take profit 4`, most frequent first. */
export function reasonsSentence(s: Tally): string {
  return [...s.byReason]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
}

/** `trade 130 -80.00 USD (US30 sell)`. */
export function tradeRef(ctx: ChunkContext, i: number): string {
  const t = ctx.trades;
  return `trade ${t.sourceId[i]} ${money(t.net[i]!, ctx.currency)} (${t.symbol[i]} ${t.direction[i] === 0 ? 'buy' : 'sell'})`;
}

/** The tally as plain JSON for chunk metadata. */
export function tallyJson(ctx: ChunkContext, s: Tally): Record<string, unknown> {
  return {
    trades: s.trades,
    net: s.net,
    wins: s.wins,
    losses: s.losses,
    winRate: s.trades === 0 ? null : s.wins / s.trades,
    bestTradeId: s.best >= 0 ? ctx.trades.sourceId[s.best] : null,
    worstTradeId: s.worst >= 0 ? ctx.trades.sourceId[s.worst] : null,
    symbols: Object.fromEntries([...s.bySymbol].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    exits: Object.fromEntries([...s.byReason].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
  };
}
