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

type Run = StreakSummary['longestWin'];

/**
 * The longest runs and the loss rate, from the ingest summary when it has them (validate computed
 * them in closing order) and otherwise from SQL: the window query reads every trade in order, which
 * takes seconds over a million.
 */
async function runsAndLossRate(store: Store, bt: BacktestInfo): Promise<{ wins: Run; losses: Run; n: number; q: number }> {
  const known = bt.summary?.streaks;
  if (bt.summary && known) {
    const fromSummary = (run: (typeof known)['wins']): Run =>
      run ? { trades: run.length, from: isoOf(run.from), to: isoOf(run.to), net: money(String(run.net)) } : { trades: 0, from: null, to: null, net: null };
    const n = bt.summary.trades;
    return { wins: fromSummary(known.wins), losses: fromSummary(known.losses), n, q: n > 0 ? bt.summary.losingTrades / n : 0 };
  }
  const plan = makePlan({ intent: 'aggregate', metrics: ['max_consecutive_wins', 'max_consecutive_losses'] });
  const s = buildStreakQuery(bt.id, plan);
  const runs = await store.query<Record<string, unknown>>(s.sql, s.params);
  const pick = (sg: number): Run => {
    const r = runs.find((x) => Number(x.sg) === sg);
    return { trades: r ? Number(r.len) : 0, from: isoOf(r?.first_at), to: isoOf(r?.last_at), net: r ? money(r.total) : null };
  };
  const a = buildAggregateQuery(bt.id, plan, ['n', 'losses']);
  const counts = (await store.query<Record<string, unknown>>(a.sql, a.params))[0];
  const n = Number(counts?.n ?? 0);
  return { wins: pick(1), losses: pick(-1), n, q: n > 0 ? Number(counts?.losses ?? 0) / n : 0 };
}

export async function streakInsights(store: Store, bt: BacktestInfo): Promise<{ summary: StreakSummary; findings: Finding[] }> {
  const { wins, losses, n, q } = await runsAndLossRate(store, bt);
  const summary: StreakSummary = { longestWin: wins, longestLoss: losses, expectedLongestLoss: expectedLongestRun(n, q) };
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
