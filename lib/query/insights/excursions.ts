import * as aq from 'arquero';
import type { StopChange } from '../../domain/trade.js';
import type { Store } from '../../ports/store.js';
import type { BacktestInfo } from '../execute.js';
import type { Finding } from './types.js';

/**
 * Maximum adverse and favourable excursion (MAE/MFE) estimated from stop history alone; no prices
 * during the trade are known, so each is a BOUND, and the answer says so:
 * - MAE at least the adverse move at exit (a stopped-out trade reached its stop);
 * - MAE below the widest stop that stayed in force without being hit, for a trade not stopped out and
 *   never without a stop (otherwise unbounded);
 * - MFE at least the favourable move at exit, and at least how far a stop was moved beyond the entry
 *   (a stop can only be placed on the losing side of the market).
 * The suggested stop is the 90th percentile of winners' MAE upper bounds per symbol: winners never went
 * further against the trade than that, so it is conservative (wide). Distances are in pips when the
 * trades' pips column gives the pip size, else in price units.
 */

export interface ExcursionRow {
  symbol: string;
  unit: 'pips' | 'price';
  trades: number;
  winners: number;
  losers: number;
  initialStopP50: number | null;
  maeLowerBoundLosersP50: number | null;
  maeUpperBoundWinnersP90: number | null;
  mfeLowerBoundWinnersP50: number | null;
  suggestedStop: number | null;
  /** Losers whose adverse move at exit went beyond the suggested stop (they would have been cut there). */
  losersBeyondSuggestion: number | null;
}

/** Stop histories parsed per answer: enough for stable percentiles, bounded in memory and time. */
const MAX_TRADES = 200_000;

type TradeRow = {
  symbol: string;
  direction: string;
  entry_price: number;
  exit_price: number;
  net: number;
  pips: number | null;
  close_reason: string;
  stops: string;
};

function bounds(t: TradeRow): { maeLow: number; maeHigh: number; mfeLow: number; risk0: number } {
  const sgn = t.direction === 'buy' ? 1 : -1;
  const stops = JSON.parse(t.stops) as StopChange[];
  const adverseExit = Math.max(0, sgn * (t.entry_price - t.exit_price));
  const favourableExit = Math.max(0, sgn * (t.exit_price - t.entry_price));
  const firstStop = stops.find((s) => s.stopLoss !== null)?.stopLoss ?? null;
  const risk0 = firstStop === null ? NaN : sgn * (t.entry_price - firstStop);
  let mfeLow = favourableExit;
  let widest = 0;
  let unprotected = stops.length === 0 || stops[0]!.stopLoss === null;
  for (const s of stops) {
    if (s.stopLoss === null) {
      unprotected = true;
      continue;
    }
    const distance = sgn * (t.entry_price - s.stopLoss);
    if (distance < 0) mfeLow = Math.max(mfeLow, -distance);
    else widest = Math.max(widest, distance);
  }
  const stopped = t.close_reason === 'stop_loss' || t.close_reason === 'trailing_stop';
  const maeHigh = stopped || unprotected ? NaN : Math.max(widest, adverseExit);
  return { maeLow: adverseExit, maeHigh, mfeLow, risk0 };
}

const round = (v: number | null | undefined, unit: 'pips' | 'price') =>
  v === null || v === undefined || !Number.isFinite(v) ? null : unit === 'pips' ? Math.round(v * 10) / 10 : Math.round(v * 1e5) / 1e5;

export async function excursionInsights(store: Store, bt: BacktestInfo): Promise<{ rows: ExcursionRow[]; findings: Finding[]; note: string }> {
  const trades = await store.query<TradeRow>(
    `select symbol, direction, entry_price, exit_price, net::float8 as net, pips, close_reason, stops::text as stops from trades
     where backtest_id = $1 and stops is not null and entry_price is not null and exit_price is not null order by seq limit $2`,
    [bt.id, MAX_TRADES + 1],
  );
  const truncated = trades.length > MAX_TRADES;
  if (truncated) trades.length = MAX_TRADES;
  if (trades.length === 0) {
    return { rows: [], findings: [], note: 'no trade carries a stop history (History CSV exports do not; events.json does), so MAE and MFE cannot be estimated; with bar data they could be measured' };
  }
  const n = trades.length;
  const cols = { symbol: new Array<string>(n), win: new Float64Array(n), maeLow: new Float64Array(n), maeHigh: new Float64Array(n), mfeLow: new Float64Array(n), risk0: new Float64Array(n), pipSize: new Float64Array(n) };
  trades.forEach((t, i) => {
    const b = bounds(t);
    cols.symbol[i] = t.symbol;
    cols.win[i] = t.net > 0 ? 1 : 0;
    cols.maeLow[i] = b.maeLow;
    cols.maeHigh[i] = b.maeHigh;
    cols.mfeLow[i] = b.mfeLow;
    cols.risk0[i] = b.risk0;
    cols.pipSize[i] = t.pips !== null && t.pips !== 0 ? Math.abs(t.exit_price - t.entry_price) / Math.abs(t.pips) : NaN;
  });
  const table = aq.table(cols).derive({ maeHighKnown: (d: any) => (aq.op.is_finite(d.maeHigh) ? d.maeHigh : undefined), risk: (d: any) => (aq.op.is_finite(d.risk0) ? d.risk0 : undefined), pip: (d: any) => (aq.op.is_finite(d.pipSize) ? d.pipSize : undefined) });
  const perSymbol = table
    .groupby('symbol')
    .rollup({
      trades: aq.op.count(),
      winners: (d: any) => aq.op.sum(d.win),
      pip: (d: any) => aq.op.median(d.pip),
      risk50: (d: any) => aq.op.median(d.risk),
    })
    .objects() as { symbol: string; trades: number; winners: number; pip: number | undefined; risk50: number | undefined }[];
  const winners = table.filter((d: any) => d.win === 1).groupby('symbol').rollup({ maeHigh90: (d: any) => aq.op.quantile(d.maeHighKnown, 0.9), mfeLow50: (d: any) => aq.op.median(d.mfeLow) }).objects() as {
    symbol: string;
    maeHigh90: number | undefined;
    mfeLow50: number | undefined;
  }[];
  const losers = table.filter((d: any) => d.win === 0).groupby('symbol').rollup({ maeLow50: (d: any) => aq.op.median(d.maeLow) }).objects() as { symbol: string; maeLow50: number | undefined }[];

  const rows: ExcursionRow[] = perSymbol
    .sort((a, b) => a.symbol.localeCompare(b.symbol))
    .map((s) => {
      const w = winners.find((x) => x.symbol === s.symbol);
      const l = losers.find((x) => x.symbol === s.symbol);
      const pip = s.pip && Number.isFinite(s.pip) && s.pip > 0 ? s.pip : null;
      const unit: 'pips' | 'price' = pip ? 'pips' : 'price';
      const scale = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? null : pip ? v / pip : v);
      const suggestion = w?.maeHigh90 ?? null;
      let beyond: number | null = null;
      if (suggestion !== null && Number.isFinite(suggestion)) {
        beyond = 0;
        for (let i = 0; i < n; i++) if (cols.symbol[i] === s.symbol && cols.win[i] === 0 && cols.maeLow[i]! > suggestion) beyond++;
      }
      return {
        symbol: s.symbol,
        unit,
        trades: s.trades,
        winners: s.winners,
        losers: s.trades - s.winners,
        initialStopP50: round(scale(s.risk50), unit),
        maeLowerBoundLosersP50: round(scale(l?.maeLow50), unit),
        maeUpperBoundWinnersP90: round(scale(w?.maeHigh90), unit),
        mfeLowerBoundWinnersP50: round(scale(w?.mfeLow50), unit),
        suggestedStop: round(scale(suggestion), unit),
        losersBeyondSuggestion: beyond,
      };
    });
  const findings: Finding[] = rows
    .filter((r) => r.suggestedStop !== null)
    .map((r) => ({
      kind: 'excursion' as const,
      text: `${r.symbol}: winners went at most ${r.maeUpperBoundWinnersP90} ${r.unit} against the trade in 90 % of cases (an upper bound from their stops), so a stop near ${r.suggestedStop} ${r.unit} would have kept them; the median initial stop was ${r.initialStopP50 ?? 'unknown'} ${r.unit}, and ${r.losersBeyondSuggestion} of ${r.losers} losers ended further against the trade than that (approximated from stop history, not prices).`,
      facts: { ...r },
    }));
  const sampled = truncated ? `; computed from the first ${MAX_TRADES.toLocaleString('en-US')} trades with a stop history, in order` : '';
  return {
    rows,
    findings,
    note: `MAE and MFE are bounds estimated from stop history and exit prices, not measured from prices during the trade; the suggested stop is the 90th percentile of winners' MAE upper bounds and errs wide${sampled}`,
  };
}
