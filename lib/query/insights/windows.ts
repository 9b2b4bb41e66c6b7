import type { Store } from '../../ports/store.js';
import type { BacktestInfo } from '../execute.js';
import { money } from '../facts.js';
import { makePlan, type Grouping } from '../plan-schema.js';
import { buildAggregateQuery } from '../sql-builder.js';
import { DURATION_BUCKETS, SESSION_BUCKETS, SIZE_BUCKETS, WEEKDAY_NAMES } from '../windows.js';
import type { Finding } from './types.js';

export interface WindowStat {
  window: string;
  trades: number;
  net: string;
  winRatePct: string | null;
  averageTrade: number;
  /** (mean of the window - overall mean) / (sd / sqrt(n)); null with no spread. */
  z: number | null;
  significance: string;
}

export interface WindowSummary {
  grouping: Grouping;
  best: WindowStat | null;
  worst: WindowStat | null;
  windows: WindowStat[];
}

export const MIN_SAMPLE = 30;

export function label(g: Grouping, key: unknown): string {
  if (g === 'weekday') return WEEKDAY_NAMES[Number(key) - 1] ?? String(key);
  if (g === 'hour') return `${String(key).padStart(2, '0')}:00-${String(Number(key) + 1).padStart(2, '0')}:00 UTC`;
  if (g === 'session') return `${SESSION_BUCKETS.find((b) => b.key === key)?.label ?? String(key)} UTC`;
  if (g === 'size_bucket') return SIZE_BUCKETS.find((b) => b.key === key)?.label ?? String(key);
  if (g === 'duration_bucket') return DURATION_BUCKETS.find((b) => b.key === key)?.label ?? String(key);
  return String(key);
}

export function significance(n: number, z: number | null): string {
  if (n < MIN_SAMPLE) return `only ${n} trades (n < ${MIN_SAMPLE}): too few to trust`;
  if (z === null) return 'no spread to test';
  return Math.abs(z) >= 2 ? `|z| = ${Math.abs(z).toFixed(1)} >= 2: unlikely to be chance` : `|z| = ${Math.abs(z).toFixed(1)} < 2: could be chance`;
}

/** Best and worst windows of each time grouping, by net, each tested against the overall mean trade. */
export async function windowInsights(store: Store, bt: BacktestInfo, groupings: Grouping[] = ['weekday', 'hour', 'session', 'month']): Promise<{ summaries: WindowSummary[]; findings: Finding[] }> {
  const overallQ = buildAggregateQuery(bt.id, makePlan({ intent: 'aggregate', metrics: ['count'] }), ['n', 'mean_net', 'sd_net']);
  const overall = (await store.query<Record<string, unknown>>(overallQ.sql, overallQ.params))[0];
  const mean = Number(overall?.mean_net ?? 0);
  const sd = Number(overall?.sd_net ?? 0);
  const summaries: WindowSummary[] = [];
  const findings: Finding[] = [];
  for (const g of groupings) {
    const q = buildAggregateQuery(bt.id, makePlan({ intent: 'aggregate', metrics: ['net', 'win_rate'], groupBy: g }), ['n', 'net', 'win_rate', 'wins', 'mean_net']);
    const rows = await store.query<Record<string, unknown>>(q.sql, q.params);
    const windows: WindowStat[] = rows.map((r) => {
      const n = Number(r.n);
      const avg = Number(r.mean_net);
      const z = sd > 0 && n > 0 ? Math.round(((avg - mean) / (sd / Math.sqrt(n))) * 100) / 100 : null;
      return { window: label(g, r.key), trades: n, net: money(r.net)!, winRatePct: r.win_rate === null ? null : String(r.win_rate), averageTrade: Math.round(avg * 100) / 100, z, significance: significance(n, z) };
    });
    const eligible = windows.filter((w) => w.trades >= MIN_SAMPLE);
    const pool = eligible.length > 0 ? eligible : windows;
    const byNet = [...pool].sort((a, b) => Number(a.net) - Number(b.net));
    const worst = byNet[0] ?? null;
    const best = byNet.at(-1) ?? null;
    summaries.push({ grouping: g, best, worst, windows });
    if (worst && best && worst !== best) {
      findings.push({
        kind: 'window',
        text: `By ${g}: worst ${worst.window} (net ${worst.net} over ${worst.trades} trades, win rate ${worst.winRatePct} %; ${worst.significance}); best ${best.window} (net ${best.net} over ${best.trades} trades, win rate ${best.winRatePct} %; ${best.significance}).`,
        facts: { grouping: g, worst: worst.window, worst_net: worst.net, worst_trades: worst.trades, worst_z: worst.z, best: best.window, best_net: best.net, best_trades: best.trades, best_z: best.z },
      });
    }
  }
  return { summaries, findings };
}
