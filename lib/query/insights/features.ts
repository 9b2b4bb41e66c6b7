import * as aq from 'arquero';
import type { Store } from '../../ports/store.js';
import type { BacktestInfo } from '../execute.js';
import { SESSION_BUCKETS, SIZE_BUCKETS, WEEKDAY_NAMES } from '../windows.js';
import { DEFAULT_FOREST, featureImportance, type FeatureImportance, type ForestOptions } from './feature-importance.js';
import type { Finding } from './types.js';

/**
 * Which features separate winners from losers. The forest is fitted on at most MAX_ROWS trades, taken
 * evenly through the backtest by SQL (seq modulo a step): the tree library's fit time grows faster
 * than linearly (docs/ask.md has the measurements), and 20,000 trades rank features stably.
 */
export const MAX_ROWS = 20_000;

export const FEATURES = ['weekday', 'hour', 'session', 'symbol', 'direction', 'size'] as const;

export interface FeatureValueStat {
  value: string;
  trades: number;
  winRatePct: number;
}

export interface FeatureResult {
  sampled: number;
  of: number;
  importance: FeatureImportance[];
  /** For features that beat their shadow: the values with the best and worst win rate (30+ trades). */
  contrasts: { feature: string; best: FeatureValueStat; worst: FeatureValueStat }[];
}

const sessionOf = (minute: number) => SESSION_BUCKETS.find((b) => minute < b.to)?.label ?? 'off';
const sizeOf = (q: number | null) => (q === null ? 'unknown' : SIZE_BUCKETS.find((b) => q <= b.max)!.label);

export async function featureInsights(store: Store, bt: BacktestInfo, forest: ForestOptions = DEFAULT_FOREST): Promise<{ result: FeatureResult; findings: Finding[] }> {
  const step = Math.max(1, Math.ceil(bt.tradeCount / MAX_ROWS));
  const rows = await store.query<Record<string, unknown>>(
    `select extract(isodow from coalesce(entry_time, exit_time) at time zone 'UTC')::int as wd,
       (extract(hour from coalesce(entry_time, exit_time) at time zone 'UTC') * 60 + extract(minute from coalesce(entry_time, exit_time) at time zone 'UTC'))::int as minute,
       symbol, direction, quantity::float8 as quantity, (net > 0) as win
     from trades where backtest_id = $1 and seq % $2::int = 0 order by seq`,
    [bt.id, step],
  );
  const data = rows.map((r) => ({
    weekday: WEEKDAY_NAMES[Number(r.wd) - 1]!,
    hour: String(Math.floor(Number(r.minute) / 60)).padStart(2, '0'),
    session: sessionOf(Number(r.minute)),
    symbol: String(r.symbol),
    direction: String(r.direction),
    size: sizeOf(r.quantity === null ? null : Number(r.quantity)),
    win: r.win ? 1 : 0,
  }));
  const importance = featureImportance(data, [...FEATURES], 'win', forest);
  const table = aq.from(data);
  const contrasts: FeatureResult['contrasts'] = [];
  for (const f of importance.filter((i) => i.excess > 0.01).slice(0, 3)) {
    const stats = (table.groupby(f.feature).rollup({ trades: aq.op.count(), rate: (d: any) => aq.op.mean(d.win) }).objects() as Record<string, unknown>[])
      .map((s) => ({ value: String(s[f.feature]), trades: Number(s.trades), winRatePct: Math.round(Number(s.rate) * 1000) / 10 }))
      .filter((s) => s.trades >= 30)
      .sort((a, b) => b.winRatePct - a.winRatePct || a.value.localeCompare(b.value));
    if (stats.length >= 2) contrasts.push({ feature: f.feature, best: stats[0]!, worst: stats.at(-1)! });
  }
  const result: FeatureResult = { sampled: data.length, of: bt.tradeCount, importance, contrasts };
  const findings: Finding[] = contrasts.map((c) => {
    const imp = importance.find((i) => i.feature === c.feature)!;
    return {
      kind: 'feature',
      text: `${c.feature} separates winners from losers (forest importance ${imp.importance.toFixed(3)} against ${imp.shadow.toFixed(3)} for the same values shuffled): ${c.worst.value} wins ${c.worst.winRatePct} % of ${c.worst.trades} trades, ${c.best.value} ${c.best.winRatePct} % of ${c.best.trades}.`,
      facts: { feature: c.feature, importance: imp.importance.toFixed(3), shadow: imp.shadow.toFixed(3), worst: c.worst.value, worst_win_rate_pct: c.worst.winRatePct, worst_trades: c.worst.trades, best: c.best.value, best_win_rate_pct: c.best.winRatePct, best_trades: c.best.trades },
    };
  });
  return { result, findings };
}
