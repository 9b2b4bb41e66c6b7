import type { Store } from '../../ports/store.js';
import type { BacktestInfo } from '../execute.js';
import { isoOf, money } from '../facts.js';
import { makePlan } from '../plan-schema.js';
import { buildAggregateQuery, buildStreakQuery } from '../sql-builder.js';
import type { Finding } from './types.js';

export interface StreakSummary {
  longestWin: { trades: number; from: string | null; to: string | null; net: string | null };
  longestLoss: { trades: number; from: string | null; to: string | null; net: string | null };
  /** Longest losing run expected by chance alone for this many trades and this loss rate. */
  expectedLongestLoss: number | null;
}

/**
 * ~ log(n (1 - q)) / log(1 / q): the longest run of a q-probability outcome in n independent trades.
 * The approximation goes below 1 (even negative) for few trades; with any such outcome at all the
 * longest run is at least 1.
 */
export function expectedLongestRun(n: number, q: number): number | null {
  if (n <= 0 || q <= 0 || q >= 1) return null;
  return Math.max(1, Math.round((Math.log(n * (1 - q)) / Math.log(1 / q)) * 10) / 10);
}

export async function streakInsights(store: Store, bt: BacktestInfo): Promise<{ summary: StreakSummary; findings: Finding[] }> {
  const plan = makePlan({ intent: 'aggregate', metrics: ['max_consecutive_wins', 'max_consecutive_losses'] });
  const s = buildStreakQuery(bt.id, plan);
  const runs = await store.query<Record<string, unknown>>(s.sql, s.params);
  const pick = (sg: number) => {
    const r = runs.find((x) => Number(x.sg) === sg);
    return { trades: r ? Number(r.len) : 0, from: isoOf(r?.first_at), to: isoOf(r?.last_at), net: r ? money(r.total) : null };
  };
  const a = buildAggregateQuery(bt.id, plan, ['n', 'losses']);
  const counts = (await store.query<Record<string, unknown>>(a.sql, a.params))[0];
  const n = Number(counts?.n ?? 0);
  const q = n > 0 ? Number(counts?.losses ?? 0) / n : 0;
  const summary: StreakSummary = { longestWin: pick(1), longestLoss: pick(-1), expectedLongestLoss: expectedLongestRun(n, q) };
  const findings: Finding[] = [];
  const l = summary.longestLoss;
  if (l.trades > 0) {
    const usual = summary.expectedLongestLoss !== null && l.trades <= Math.ceil(summary.expectedLongestLoss + 2);
    findings.push({
      kind: 'streak',
      text: `Longest losing streak: ${l.trades} trades (${l.from?.slice(0, 10)} to ${l.to?.slice(0, 10)}, net ${l.net}); with a loss rate of ${(q * 100).toFixed(1)} % over ${n} trades about ${summary.expectedLongestLoss} in a row is expected by chance, so this is ${usual ? 'not unusual' : 'longer than chance suggests: look at what changed then'}. Longest winning streak: ${summary.longestWin.trades} trades.`,
      facts: { longest_losing_streak: l.trades, from: l.from, to: l.to, net: l.net, loss_rate_pct: (q * 100).toFixed(1), trades: n, expected_by_chance: summary.expectedLongestLoss, longest_winning_streak: summary.longestWin.trades },
    });
  }
  return { summary, findings };
}
